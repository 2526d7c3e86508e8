#pragma once

#include "plan/planoptions.h"
#include "plan/plan.h"
#include "project/projectconfig.h"

#include <QList>
#include <QString>
#include <QStringList>

// One backup folder per destructive run:
// <state dir>/projects/<hash>/backups/<yyyyMMdd-HHmmss>-<operation>/
// holding database.dump (+ database.toc), django_migrations.json, files/<relative paths>,
// files.sha256.json and manifest.json (written by the last step of the backup).
struct BackupLocation
{
    QString dir; // absolute folder (created by the plan's first step, not by newBackup())
    QString id;  // folder name, e.g. "20260301-101500-clear-history"
    QString operation; // "clear-history"
    QString restores;  // a restore's own backup: the id of the backup that restore puts back

    bool isNull() const { return dir.isEmpty(); }
};

// The steps that make a destructive plan undoable. Each list goes FIRST in the plan; the runner
// stops at the first failing step, so a backup that fails or cannot be verified keeps the
// destructive steps from running. Pure functions of the config (no I/O) except newBackup(),
// which only picks a free folder name.
namespace SafetySteps {

// A fresh folder name for operation (unique even when two backups start in the same second).
BackupLocation newBackup(const ProjectConfig &config, const QString &operation);

// PlanOptions::values key: the backup folder of the run being resumed (JournalEntry::backupDir),
// so the resumed plan writes into the folder that already holds the first run's dump and files.
inline const QString BackupDirOption = QStringLiteral("backup-dir");

// As above, named after options.now when valid; with BackupDirOption set to a folder of operation
// directly in this project's backups folder, that folder (a resume). Anything else: a fresh one.
BackupLocation newBackup(const ProjectConfig &config, const PlanOptions &options, const QString &operation);

// Every process step of a backup or restore has this limit: a hung `docker compose exec` must not
// hang the run forever, and a large dump still has time.
constexpr int kDumpTimeoutMs = 60 * 60 * 1000;

// pg_dump -Fc (through `docker compose exec -T <db>` for Compose, locally for Local) into
// backup/database.dump, then VERIFIED: no line end translated by a TTY (named "corrupt archive" when
// one was), `pg_restore --list` must name the database and list every
// table the live database has, and a full read (`pg_restore -f /dev/null`) must succeed.
// Ends with the step that writes manifest.json.
QList<PlanStep> databaseBackup(const ProjectConfig &config, const PlanOptions &options,
                               const BackupLocation &backup);

// All django_migrations rows → backup/django_migrations.json (then the manifest).
QList<PlanStep> historySnapshot(const ProjectConfig &config, const BackupLocation &backup);

// Copies the files (relative to config.root; folders are copied whole) to backup/files/ with
// their SHA-256 in backup/files.sha256.json (then the manifest).
QList<PlanStep> fileBackup(const ProjectConfig &config, const QStringList &relativePaths,
                           const BackupLocation &backup);

// Everything a run that touches the database, the history and the files needs, in ONE folder
// with ONE manifest: the verified dump (as databaseBackup()), the history snapshot and the
// files with their SHA-256. The checks that query the database come after the dump's processes
// so that they and the plan's next SQL steps share the runner's connection.
QList<PlanStep> fullBackup(const ProjectConfig &config, const PlanOptions &options,
                           const QStringList &relativePaths, const BackupLocation &backup);

// The tables of settings' database against a dump's table of contents (`pg_restore --list` output):
// every table the database has must be listed (with its data unless exact). exact: the two lists
// must be equal. Empty on success, else what differs. Runs in a CallStep (shared connection).
QString compareTablesWithToc(const DbSettings &settings, const QString &toc, bool exact, const CallContext &context);

// `migrationdesk run backup`: a verified database backup plus the history snapshot.
// Not destructive; id "backup".
Plan backupPlan(const ProjectConfig &config, const PlanOptions &options);

} // namespace SafetySteps
