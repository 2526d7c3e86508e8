#include "projectlabels.h"

#include "targets/targets.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace ProjectLabels {

QString projectName(const ProjectConfig &config)
{
    const QString folder = QFileInfo(config.root).fileName();
    return folder.isEmpty() ? config.root : folder;
}

QString targetLabel(const ProjectConfig &config)
{
    return Targets::forProject(config)->displayName();
}

QIcon themedIcon(const QString &name, QStyle::StandardPixmap fallback, const QStyle *style)
{
    return QIcon::fromTheme(name, style->standardIcon(fallback));
}

} // namespace ProjectLabels
