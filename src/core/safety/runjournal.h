#pragma once

#include "plan/plan.h"
#include "project/projectconfig.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

// The progress of one run of a multi-step or destructive plan, as last written to disk.
struct JournalEntry
{
    QString path;          // the journal file it came from
    QString planId;
    QString title;
    QString projectRoot;
    QStringList steps;     // step descriptions, in plan order
    QList<int> done;       // indices of the steps that finished with exit code 0
    int current = -1;      // the step that was running or failed last
    int firstStep = 0;     // a resumed run starts here
    QString state;         // "running", "failed", "cancelled", "succeeded"
    QString message;       // the run's last word (masked)
    QString backupDir;     // the run's backup folder (Plan::backupDir); a resume rebuilds with it
    QStringList inputs;    // Plan::inputs of the run: a resume must be built from the same
    qint64 pid = 0;        // the process that wrote it
    QDateTime started;
    QDateTime updated;

    bool isNull() const { return planId.isEmpty(); }
    // Running but its writer is gone: the app was killed or crashed mid-run.
    bool interrupted() const;
    // Where a resume starts: the first step that is not done (steps.size() when all are).
    int resumeFrom() const;
    // "Steps 1–3 done; step 4 (Delete migration files) was running when MigrationDesk stopped."
    QString summary() const;
};

// One file per plan id under <state dir>/projects/<hash>/journal/: written whole (atomically)
// when a run starts, then one short JSON line appended at every step start and end (cheaper than
// rewriting it, and a kill -9 leaves the last complete line as the state). GuardedRunner writes it;
// the app reads it on the next start to say what was done and offer resume (GuardedRunner::start(plan,
// entry.resumeFrom())) or restore (the backup named in the first step's output / BackupStore).
namespace Journal {
QString folderForProject(const QString &projectRoot);
QString pathFor(const QString &projectRoot, const QString &planId);

// Entries whose run did not succeed: interrupted, failed or cancelled with a step left undone
// (a run stopped after its last step is done). Newest first.
QList<JournalEntry> unfinished(const ProjectConfig &config);
QList<JournalEntry> unfinished(const QString &projectRoot);
JournalEntry read(const QString &path);
bool write(const JournalEntry &entry, QString *error = nullptr);
// Appends entry's progress (done, current, state, message, updated) to the journal write() began.
bool update(const JournalEntry &entry, QString *error = nullptr);
// Forgets a run (after the user restored or dismissed it).
bool discard(const QString &projectRoot, const QString &planId);
}
