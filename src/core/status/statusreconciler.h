#pragma once

#include "db/migrationrecord.h"
#include "scan/migrationfile.h"
#include "status/statussnapshot.h"

// Joins django_migrations rows with the files on disk. Pure: no I/O, so it is tested directly.
class StatusReconciler
{
public:
    // historyTableMissing: there is no django_migrations table, so every file is Pending.
    static StatusSnapshot reconcile(const QList<MigrationRecord> &records, const MigrationFileScan &scan,
                                    bool historyTableMissing = false);
};
