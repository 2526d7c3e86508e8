#pragma once

#include "project/projectconfig.h"
#include "django/migrationgraph.h"
#include "git/gitprovenance.h"
#include "status/statussnapshot.h"

#include <QString>
#include <QStringList>

// What one load produced: the snapshot, or a message saying why it could not be made.
struct StatusResult
{
    StatusSnapshot snapshot;
    MigrationGraph declaredGraph; // the files' own graph (DeclaredGraph), made on the worker
    QString error;      // empty on success; user-facing, never contains the password
    QStringList events;   // what was done, for the console: "connected to …", "read 42 rows", …
    QStringList warnings; // partial problems, e.g. a migrations folder that cannot be read
    std::array<int, int(MigrationState::StateCount)> counts{}; // snapshot.counts(), counted on the worker
    qint64 elapsedMs = 0;

    bool ok() const { return error.isEmpty(); }
};

struct StatusLoadOptions
{
    bool readGit = true; // provenance from git (GitProvenanceReader): a few ms, one batch
};

// Reads django_migrations and the migration files (with their declared dependencies) and
// reconciles them; then asks git where each file came from.
// Blocking: call it from a worker thread (it opens its own database connection).
class StatusLoader
{
public:
    static StatusResult load(const ProjectConfig &config, const StatusLoadOptions &options = {});
    // What a reconciled snapshot has to say: files whose declarations could not be read, and
    // dependencies that have neither a file nor a row.
    static QStringList reconcileWarnings(const StatusSnapshot &snapshot);
    // Which rows git is asked about: those with a file, and the orphans. False: none.
    static bool provenanceKeys(const StatusSnapshot &snapshot, QHash<QString, QString> *files, QStringList *orphans);
    // What git said, into the snapshot; its error into warnings.
    static void applyProvenance(GitProvenance git, StatusSnapshot *snapshot, QStringList *warnings);

private:
    static void readProvenance(const ProjectConfig &config, StatusResult *result);
};
