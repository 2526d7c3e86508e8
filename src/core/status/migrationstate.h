#pragma once

#include <QString>

// Where a migration stands once the database rows and the files on disk are reconciled.
enum class MigrationState {
    Applied,      // row and file
    Pending,      // file, no row
    Orphan,       // row, no file, in an app whose migrations live in the project
    External,     // row of an app whose migrations live outside the project (auth, admin, ...)
    Inconsistent, // applied before one of its dependencies (needs Django's graph)
    StateCount
};

QString migrationStateName(MigrationState state); // "Applied", ... (stable, used in JSON)
bool migrationStateFromName(const QString &name, MigrationState *state);

// The one definition of an orphan, shared by the status table, the graph enrichment and the
// doctor (whose fix deletes what it calls orphans): a django_migrations row without a file, of an
// app whose migrations live in this project, that Django's graph (when it was read) does not know
// either. A row of any other app is External: its files live elsewhere (Django's own apps, a
// package, an app not installed here) and nothing here may remove it.
enum class DjangoKnows { Unknown, Yes, No };
MigrationState stateOfRowWithoutFile(bool projectApp, DjangoKnows knows = DjangoKnows::Unknown);
