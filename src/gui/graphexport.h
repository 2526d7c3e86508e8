#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QString>

// The graph view's picture without a window: for `migrationdesk graph --format svg|png`.
namespace GraphExport {
// Lays graph and snapshot out as the Graph tab does (Django's apps folded) and writes path
// as SVG or PNG. Needs a QApplication (any platform, offscreen included).
bool render(const MigrationGraph &graph, const StatusSnapshot &snapshot, const QString &path, bool svg, QString *error);
}
