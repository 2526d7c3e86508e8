#pragma once

#include "plan/planoptions.h"
#include "plan/plan.h"
#include "safety/backupstore.h"

#include <QString>

// Plans that put a backup back. A restore is destructive, so each plan first backs up what it
// is about to overwrite (a new backup "restore"), then restores, in this order:
//  - database: the dump's SHA-256 checked against the manifest, then `pg_restore
//    --single-transaction --clean --if-exists --exit-on-error` (all or nothing);
//  - history (only when the backup has no database dump, which holds the table already):
//    DELETE + INSERT of the snapshot rows in one transaction, sequence reset;
//  - files: copied back to their relative paths, every SHA-256 checked.
namespace RestorePlans {
// An empty plan (no id) with error set when the backup is missing or incomplete.
Plan restore(const ProjectConfig &config, const PlanOptions &options, const BackupInfo &backup,
             QString *error = nullptr);
// "Undo last change": restore of BackupStore::lastDestructive().
Plan undoLast(const ProjectConfig &config, const PlanOptions &options, QString *error = nullptr);
// The same for the backups a caller listed already (newest first): no folder is read again.
Plan undoLast(const ProjectConfig &config, const PlanOptions &options, const QList<BackupInfo> &listed,
              QString *error = nullptr);
}
