#pragma once

#include "doctor/finding.h"
#include "plan/plan.h"
#include "targets/targets.h"
#include "project/projectconfig.h"
#include "safety/safetysteps.h"

#include <QDateTime>
#include <QString>

// What every doctor plan needs besides the finding: how to reach the project, where backups
// go, and the moment that names them (passed in, so building a plan stays a pure function).
struct DoctorPlanContext
{
    ProjectConfig config; // reaches the project with config.composeVariant
    QString backupsDir; // moved untracked files (per project, see DoctorPlans::defaultBackupsDir)
    QDateTime now;
};

namespace DoctorPlans {
// <state dir>/projects/<hash of the root>/backups: beside the project's operation log.
QString defaultBackupsDir(const QString &projectRoot);

// An empty plan for the project: id, title, root, secrets.
Plan makePlan(const DoctorPlanContext &context, const QString &id, const QString &title);

// The snapshot of django_migrations that precedes every change of the history: the safety
// net's own history backup (SafetySteps::historySnapshot into a "doctor-fix" backup folder with
// a manifest), so the Backups panel lists it and "Undo last change" restores it.
// The backup folder of a plan built from context (named after context.now; the folder itself is
// created by the plan's first step).
BackupLocation snapshotBackup(const DoctorPlanContext &context);
QList<PlanStep> snapshotSteps(const DoctorPlanContext &context, const BackupLocation &backup);
// Appends the snapshot steps to plan and sets plan.backupDir to their folder.
void addSnapshot(Plan &plan, const DoctorPlanContext &context);
// Where a plan's snapshot is (or will be) written: <plan.backupDir>/django_migrations.json.
QString snapshotPath(const Plan &plan);
// True for each step addSnapshot() adds (the first one included).
bool isSnapshotStep(const PlanStep &step);

// A verified pg_dump -Fc (SafetySteps::databaseBackup) into a fresh backup folder named after
// operation, appended to plan (plan.backupDir set): for fixes that run Django backwards.
void addDatabaseBackup(Plan &plan, const DoctorPlanContext &context, const QString &operation);

// A git command in the project root (never a prompt).
ProcessStep git(const DoctorPlanContext &context, const QStringList &args, const QString &description);

SqlStep sqlStep(const DoctorPlanContext &context, const QString &description,
                const QList<SqlStatement> &statements);
// Inserts the row unless it exists (running a fix twice changes nothing).
SqlStatement recordApplied(const QString &app, const QString &name, const QDateTime &applied);
SqlStatement deleteRecord(const QString &app, const QString &name);
SqlStatement deleteRecordById(qint64 id);

ProcessStep manage(const DoctorPlanContext &context, const QStringList &args, const QString &description);
// Moves project-relative files to backups/untracked-STAMP/, keeping their relative paths.
FileStep moveToBackup(const DoctorPlanContext &context, const QStringList &relativePaths);
// Django itself must accept the history: `migrate --plan` raises InconsistentMigrationHistory
// or "Conflicting migrations" exactly as `migrate` would, without applying anything.
ProcessStep verifyStep(const DoctorPlanContext &context);
bool isVerifyStep(const PlanStep &step);

// "Fix all": the recommended fix of every finding, in dependency order — snapshot, then every
// SQL statement in ONE transaction (orphans removed, history completed, tables recorded), then
// file moves, then Django commands (merge, --fake-initial), then the verification. Empty
// steps when nothing is recommended. A recommended fix whose rule never merges (negative rank:
// phantoms, adopting a reset) is returned alone instead.
Plan fixAll(const QList<Finding> &findings, const DoctorPlanContext &context);
}
