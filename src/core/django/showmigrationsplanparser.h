#pragma once

#include "django/migrationgraph.h"

#include <QString>
#include <QStringList>

struct ShowMigrationsPlan
{
    MigrationGraph graph;
    bool noMigrations = false;  // Django printed "(no migrations)"
    QStringList unparsedLines;  // lines that are not plan lines (warnings, garbage), trimmed
};

// Parses the output of `manage.py showmigrations --plan -v 2` (Django 3.2 and later):
//   [X]  contenttypes.0001_initial
//   [ ]  auth.0001_initial ... (contenttypes.0001_initial)
//   [X]  admin.0001_initial ... (auth.0001_initial, contenttypes.0001_initial)
// Unlike `migrate`, this command works even when the history is inconsistent, so it is the
// doctor's view of Django's own graph. Colour codes and CRLF line ends are tolerated.
class ShowMigrationsPlanParser
{
public:
    static ShowMigrationsPlan parse(const QString &output);
};
