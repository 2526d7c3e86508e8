#pragma once

#include "status/migrationstate.h"

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

#include <array>

// How a migration state looks: a colour picked for the palette's lightness (so it stays readable
// on light and dark themes) and an icon whose shape differs per state (so colour is never the
// only cue).
class QPainter;
class QPen;
class QRectF;

namespace MigrationStateStyle {

bool isDark(const QPalette &palette);
QColor color(MigrationState state, const QPalette &palette);
QIcon icon(MigrationState state, const QPalette &palette);
// The warning triangle with '!' shared by the Orphan state and the doctor's warnings.
void paintWarningTriangle(QPainter &p, const QRectF &box, const QColor &fill, const QPen &markPen, qreal stroke);
QString label(MigrationState state);       // translated name shown in the table
QString description(MigrationState state); // one sentence for tooltips

// "Applied 42 · Pending 3 · …" as rich text, each state in its colour; states with 0 are left
// out except Applied and Pending, which are always shown.
QString countsHtml(const std::array<int, int(MigrationState::StateCount)> &counts,
                   const QPalette &palette);
// The same as plain text, for tooltips, accessibility and tests.
QString countsText(const std::array<int, int(MigrationState::StateCount)> &counts);

} // namespace MigrationStateStyle
