#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QStringList>

// The files' declared graph (MigrationFileParser, resolved by the status reconciler) held against
// Django's own (`showmigrations --plan -v 2`), which stays the authority. Each disagreement is one
// line naming the migration and the edge; a file the tokenizer could not read is named too.
class DeclaredGraphCheck
{
public:
    // snapshot: reconciled from parsed files (its rows' dependencies are the declared edges).
    static QStringList compare(const StatusSnapshot &snapshot, const MigrationGraph &graph);
};
