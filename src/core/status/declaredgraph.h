#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

// The migration graph as the files declare it, before Django has run: every row with a file (its
// declared, resolved dependencies) and the rows of apps outside the project that they name,
// in a topological order like Django's plan (dependencies first, then app and name order).
// Applied flags follow StatusSnapshot::isApplied, so inconsistentPairs() is what Django's
// migrate would refuse. Orphan rows (no file, a project app) are not nodes: Django does not know
// them either. The graph view draws this until the doctor's `showmigrations` graph replaces it.
class DeclaredGraph
{
public:
    static MigrationGraph fromSnapshot(const StatusSnapshot &snapshot);
};
