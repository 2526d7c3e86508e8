#include "status/statusstream.h"

#include "db/databaseconnection.h"
#include "git/gitprovenance.h"
#include "scan/migrationfileparser.h"
#include "scan/migrationfilescanner.h"
#include "status/statusloader.h"
#include "status/statusreconciler.h"

#include <QSet>

#include <future>

namespace {

bool isSpecialName(const QString &name)
{
    return name == QLatin1String("__first__") || name == QLatin1String("__latest__");
}

// What the files name, as readSome takes it: their keys, the keys they depend on or replace,
// and the apps whose every row matters (an app a file reaches through __first__/__latest__
// without having files of its own, or an app outside the project whose rows say what Django
// counts as applied).
void namedByFiles(const MigrationFileScan &scan, QStringList *keys, QStringList *wholeApps)
{
    const QSet<QString> projectApps(scan.apps.cbegin(), scan.apps.cend());
    QSet<QString> fileApps;
    for (const MigrationFile &f : scan.files)
        fileApps.insert(f.app);
    QSet<QString> apps;
    auto reference = [&](const QString &key) {
        const qsizetype dot = key.indexOf(QLatin1Char('.'));
        if (dot <= 0)
            return;
        const QString app = key.left(dot);
        if (isSpecialName(key.mid(dot + 1))) {
            if (!fileApps.contains(app))
                apps.insert(app);
            return;
        }
        *keys << key;
        if (!projectApps.contains(app))
            apps.insert(app);
    };
    for (const MigrationFile &f : scan.files) {
        *keys << f.app + QLatin1Char('.') + f.name;
        for (const QString &dep : f.declaration.dependencies)
            reference(dep);
        for (const QString &later : f.declaration.runBefore)
            reference(later);
        for (const QString &replaced : f.declaration.replaces)
            reference(replaced);
    }
    keys->removeDuplicates();
    *wholeApps = QStringList(apps.cbegin(), apps.cend());
}

} // namespace

StatusStream::StatusStream() = default;
StatusStream::~StatusStream() = default;

bool StatusStream::openHistory(const DbSettings &db, const Options &options, bool *tableExists)
{
    m_connection = std::make_unique<DatabaseConnection>(db, QStringLiteral("status-stream"));
    if (!m_connection->open()) {
        m_error = m_connection->error();
        return false;
    }
    const MigrationRecordStore store(m_connection->database());
    QString error;
    if (!store.beginSnapshot(&error)) {
        m_error = QStringLiteral("Cannot read the migration history: %1").arg(error);
        return false;
    }
    *tableExists = store.historyTableExists(&error);
    if (!error.isEmpty()) {
        m_error = QStringLiteral("Cannot read the migration history: %1").arg(error);
        return false;
    }
    if (*tableExists && options.readExtent && !store.readExtent(&m_extent, &error)) {
        m_error = QStringLiteral("Cannot read django_migrations: %1").arg(error);
        return false;
    }
    return true;
}

bool StatusStream::open(const ProjectConfig &config, const Options &options)
{
    // The files and git's history are read while the connection is made: each waits on
    // something else.
    struct OnDisk
    {
        MigrationFileScan scan;
        GitProvenanceReader::History history;
    };
    std::future<OnDisk> reading = std::async(std::launch::async, [&config, &options] {
        OnDisk disk;
        disk.scan = MigrationFileScanner::scan(config.root, config.backendDir);
        MigrationFileParser::readAll(&disk.scan, config.root, MigrationFileParser::authUserModel(config.backendDir));
        if (options.readGit)
            disk.history = GitProvenanceReader::readHistory(config.root, config.backendDir);
        return disk;
    });
    bool tableExists = false;
    const bool opened = openHistory(config.db, options, &tableExists);
    const OnDisk disk = reading.get();
    m_warnings << disk.scan.problems;
    if (!opened)
        return false;
    QString error;
    const MigrationRecordStore store(m_connection->database());
    QList<MigrationRecord> records;
    if (tableExists) {
        QStringList keys, wholeApps;
        namedByFiles(disk.scan, &keys, &wholeApps);
        // Rows whose file git remembers are named too: their provenance is read with the rest.
        keys << disk.history.keys();
        if (!store.readSome(keys, wholeApps, &records, &error)) {
            m_error = QStringLiteral("Cannot read django_migrations: %1").arg(error);
            return false;
        }
    } else {
        m_connection.reset(); // nothing more to read
    }
    m_named = StatusReconciler::reconcile(records, disk.scan, !tableExists);
    m_warnings << StatusLoader::reconcileWarnings(m_named);
    QHash<QString, QString> files;
    QStringList orphans;
    if (options.readGit && StatusLoader::provenanceKeys(m_named, &files, &orphans)) // as the loader asks git
        StatusLoader::applyProvenance(GitProvenanceReader::fromHistory(config.root, disk.history, files, orphans),
                                      &m_named, &m_warnings);
    return true;
}

const MigrationProvenance *StatusStream::provenanceOf(const MigrationRow &row) const
{
    // As StatusLoader reads it: for rows with a file and for orphans, never for External rows.
    if (m_named.provenance.isEmpty() || (row.file.isEmpty() && row.state != MigrationState::Orphan))
        return nullptr;
    const auto it = m_named.provenance.constFind(row.key());
    return it == m_named.provenance.cend() ? nullptr : &it.value();
}

bool StatusStream::forEach(const std::function<bool(const MigrationRow &)> &visit)
{
    m_counts = {};
    bool more = true;
    auto deliver = [&](const MigrationRow &row) {
        ++m_counts[int(row.state)];
        more = visit(row);
        return more;
    };
    // Named rows with a record come out where the table has them; those without one (files
    // not applied) are merged in by key.
    QHash<std::pair<QString, QString>, qsizetype> namedWithRecord;
    QSet<QString> namedApps;
    QList<qsizetype> pending;
    for (qsizetype i = 0; i < m_named.rows.size(); ++i) {
        const MigrationRow &row = m_named.rows.at(i);
        if (row.recordId != 0) {
            namedWithRecord.insert({row.app, row.name}, i);
            namedApps.insert(row.app);
        } else {
            pending << i;
        }
    }
    qsizetype nextPending = 0;
    auto emitPendingBefore = [&](const QString &app, const QString &name) {
        for (; more && nextPending < pending.size(); ++nextPending) {
            const MigrationRow &p = m_named.rows.at(pending.at(nextPending));
            const int byApp = p.app.compare(app);
            if (byApp > 0 || (byApp == 0 && p.name.compare(name) >= 0))
                break;
            deliver(p);
        }
    };

    bool ok = true;
    if (m_connection) {
        const QSet<QString> projectApps(m_named.projectApps.cbegin(), m_named.projectApps.cend());
        MigrationRow row;
        QString previousApp, previousName;
        bool appNamed = false;
        MigrationState stateWithoutFile = MigrationState::External;
        const MigrationRecordStore store(m_connection->database());
        QString error;
        ok = store.forEach([&](const MigrationRecord &record) {
            const bool sameApp = record.app == previousApp;
            if (sameApp && record.name == previousName)
                return true; // a duplicate: the status shows the first
            if (!sameApp) {
                previousApp = record.app;
                appNamed = namedApps.contains(record.app);
                stateWithoutFile = stateOfRowWithoutFile(projectApps.contains(record.app));
            }
            previousName = record.name;
            emitPendingBefore(record.app, record.name);
            if (!more)
                return false;
            if (appNamed) {
                const auto it = namedWithRecord.constFind({record.app, record.name});
                if (it != namedWithRecord.cend())
                    return deliver(m_named.rows.at(*it));
            }
            row.app = record.app;
            row.name = record.name;
            row.applied = record.applied;
            row.recordId = record.id;
            row.state = stateWithoutFile;
            return deliver(row);
        }, &error);
        if (!ok)
            m_error = QStringLiteral("Reading django_migrations stopped: %1").arg(error);
        store.endSnapshot();
        m_connection.reset();
    }
    for (; ok && more && nextPending < pending.size(); ++nextPending)
        deliver(m_named.rows.at(pending.at(nextPending)));
    return ok;
}

bool StatusStream::allApplied() const
{
    return StatusSnapshot::allApplied(m_counts);
}
