#pragma once

#include "project/projectconfig.h"

#include <QIcon>
#include <QString>
#include <QStyle>

// How the window names a project and its target (title, status bar, console), and its icons.
namespace ProjectLabels {
QString projectName(const ProjectConfig &config); // the folder's name
QString targetLabel(const ProjectConfig &config); // its target's name: "Compose" / "Local"
// The freedesktop theme's icon, the style's own as the fallback.
QIcon themedIcon(const QString &name, QStyle::StandardPixmap fallback, const QStyle *style);
}
