#include "status/statusloader.h"

#include "db/databaseconnection.h"
#include "db/migrationrecordstore.h"
#include "scan/migrationfileparser.h"
#include "status/declaredgraph.h"
#include "git/gitprovenance.h"
#include "scan/migrationfilescanner.h"
#include "status/statusreconciler.h"

#include <QElapsedTimer>

bool StatusLoader::provenanceKeys(const StatusSnapshot &snapshot, QHash<QString, QString> *files, QStringList *orphans)
{
    for (const MigrationRow &row : snapshot.rows) {
        if (!row.file.isEmpty())
            files->insert(row.key(), row.file);
        else if (row.state == MigrationState::Orphan)
            orphans->append(row.key());
    }
    return !files->isEmpty() || !orphans->isEmpty();
}

void StatusLoader::applyProvenance(GitProvenance git, StatusSnapshot *snapshot, QStringList *warnings)
{
    if (!git.error.isEmpty())
        *warnings << git.error;
    snapshot->gitRepository = git.isRepository;
    snapshot->provenance = std::move(git.byKey);
}

void StatusLoader::readProvenance(const ProjectConfig &config, StatusResult *result)
{
    QHash<QString, QString> files;
    QStringList orphans;
    if (!provenanceKeys(result->snapshot, &files, &orphans))
        return;
    GitProvenance git = GitProvenanceReader::read(config.root, config.backendDir, files, orphans);
    const int calls = git.gitCalls;
    applyProvenance(std::move(git), &result->snapshot, &result->warnings);
    if (result->snapshot.gitRepository)
        result->events << QStringLiteral("git: provenance of %1 migrations (%2 git calls)")
                              .arg(result->snapshot.provenance.size())
                              .arg(calls);
}

QStringList StatusLoader::reconcileWarnings(const StatusSnapshot &snapshot)
{
    QStringList warnings;
    for (const QString &file : snapshot.unreadableFiles)
        warnings << QStringLiteral("Dependencies not read from %1; Django's graph (Doctor) will tell").arg(file);
    return warnings << snapshot.missingDependencies;
}

StatusResult StatusLoader::load(const ProjectConfig &config, const StatusLoadOptions &options)
{
    StatusResult result;
    QElapsedTimer timer;
    timer.start();

    MigrationFileScan scan = MigrationFileScanner::scan(config.root, config.backendDir);
    // The edges, from the files' own literals: the graph is known before Django runs.
    MigrationFileParser::readAll(&scan, config.root, MigrationFileParser::authUserModel(config.backendDir));
    result.events << QStringLiteral("Scanned %1: %2 migration files in %3 apps")
                         .arg(config.backendRelative())
                         .arg(scan.files.size())
                         .arg(scan.apps.size());
    result.warnings << scan.problems;

    DatabaseConnection connection(config.db, QStringLiteral("status"));
    if (!connection.open()) {
        result.error = connection.error();
        result.elapsedMs = timer.elapsed();
        return result;
    }
    result.events << QStringLiteral("Connected to %1").arg(connection.describe());

    MigrationRecordStore store(connection.database());
    QString error;
    QList<MigrationRecord> records;
    const bool tableExists = store.historyTableExists(&error);
    if (!error.isEmpty()) {
        result.error = QStringLiteral("Cannot read the migration history: %1").arg(error);
        result.elapsedMs = timer.elapsed();
        return result;
    }
    if (!tableExists) {
        result.events << QStringLiteral("No django_migrations table in %1: no migration history yet, "
                                        "every file is Pending.").arg(config.db.name);
    } else if (!store.readAll(&records, &error)) {
        result.error = QStringLiteral("Cannot read django_migrations: %1").arg(error);
        result.elapsedMs = timer.elapsed();
        return result;
    } else {
        result.events << QStringLiteral("Read %1 rows from django_migrations").arg(records.size());
    }

    result.snapshot = StatusReconciler::reconcile(records, scan, !tableExists);
    result.warnings << reconcileWarnings(result.snapshot);
    result.declaredGraph = DeclaredGraph::fromSnapshot(result.snapshot);
    if (options.readGit)
        readProvenance(config, &result);
    result.counts = result.snapshot.counts();
    result.elapsedMs = timer.elapsed();
    return result;
}
