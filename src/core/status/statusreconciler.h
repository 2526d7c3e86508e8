#pragma once

#include "db/migrationrecord.h"
#include "scan/migrationfile.h"
#include "status/statussnapshot.h"

#include <utility>

// Joins django_migrations rows with the files on disk, then adds the edges the files declare. Pure: no I/O, so it is tested directly.
class StatusReconciler
{
public:
    // historyTableMissing: there is no django_migrations table, so every file is Pending.
    static StatusSnapshot reconcile(const QList<MigrationRecord> &records, const MigrationFileScan &scan,
                                    bool historyTableMissing = false);
    // The declared edges (MigrationFile::declaration) into the rows: dependencies, Inconsistent
    // (an applied row whose dependency is not applied) and out of order. Files not parsed leave
    // the snapshot as the plain join made it.
    static void applyDeclarations(StatusSnapshot *snapshot,
                                  const QList<std::pair<qsizetype, const MigrationFile *>> &declared);
};
