#pragma once

#include "doctor/finding.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

// How a finding's severity looks: a colour readable on the palette and an icon whose shape
// differs per severity (colour is never the only cue), plus the doctor's "all good" check.
namespace FindingStyle {

QColor color(Severity severity, const QPalette &palette);
QIcon icon(Severity severity, const QPalette &palette);
QString label(Severity severity);      // translated: "Error", "Warning", "Info"
QString kindLabel(FindingKind kind);   // the rule's label: "Inconsistent history", ...
QIcon healthyIcon(const QPalette &palette); // the green check of "No problems found"
QColor healthyColor(const QPalette &palette);

} // namespace FindingStyle
