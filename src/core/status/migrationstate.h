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
