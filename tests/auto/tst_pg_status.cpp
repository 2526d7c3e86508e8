// The status table's data against the real server: a fixture project migrated by real Django,
// then broken the way users break it.
#include "status/statusloader.h"
#include "status/statusstream.h"
#include "testbed.h"

#include <QProcess>
#include <QtTest>

namespace {
const MigrationRow *find(const StatusSnapshot &s, const QString &app, const QString &name)
{
    for (const MigrationRow &r : s.rows) {
        if (r.app == app && r.name == name)
            return &r;
    }
    return nullptr;
}

// The CLI's row-by-row status must list exactly what the loader's snapshot holds: every row with
// every field, the provenance, the counts and the reasons the text mode prints.
void expectStreamMatchesLoader(const ProjectConfig &config)
{
    const StatusResult loaded = StatusLoader::load(config);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error));
    const StatusSnapshot &s = loaded.snapshot;
    StatusStream stream;
    QVERIFY2(stream.open(config, {}), qPrintable(stream.error()));
    QCOMPARE(stream.historyTableMissing(), s.historyTableMissing);
    QList<MigrationRow> streamed;
    QStringList reasons;
    QVERIFY2(stream.forEach([&](const MigrationRow &row) {
        streamed << row;
        reasons << stream.named().unappliedDependencies(row).join(QLatin1Char(','))
                       + QLatin1Char('|') + stream.named().laterDependencies(row).join(QLatin1Char(','));
        const MigrationProvenance *git = stream.provenanceOf(row);
        const auto expected = s.provenance.constFind(row.key());
        if (expected == s.provenance.cend()) {
            if (git)
                qWarning() << "provenance only in the stream:" << row.key();
            return !git;
        }
        return git && git->path == expected->path && git->addedIn.hash == expected->addedIn.hash
            && git->deletedIn.hash == expected->deletedIn.hash && git->onBranches == expected->onBranches;
    }), "provenance differs (or reading failed)");
    QCOMPARE(streamed.size(), s.rows.size());
    for (qsizetype i = 0; i < s.rows.size(); ++i) {
        const MigrationRow &a = streamed.at(i), &b = s.rows.at(i);
        QCOMPARE(a.key(), b.key());
        QCOMPARE(a.state, b.state);
        QCOMPARE(a.applied, b.applied);
        QCOMPARE(a.recordId, b.recordId);
        QCOMPARE(a.outOfOrder, b.outOfOrder);
        QCOMPARE(a.file, b.file);
        QCOMPARE(a.dependencies, b.dependencies);
        QCOMPARE(reasons.at(i), s.unappliedDependencies(b).join(QLatin1Char(',')) + QLatin1Char('|')
                                    + s.laterDependencies(b).join(QLatin1Char(',')));
    }
    QCOMPARE(stream.counts(), s.counts());
    QCOMPARE(stream.allApplied(), s.allApplied());
}

bool git(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"), args);
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestPgStatus : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void migratedProjectIsAllApplied();
    void deletedDependencyRowAndOrphanRow();
    void missingHistoryTableMeansEverythingPending();
    void wrongPasswordIsExplainedWithoutThePassword();
    void unreachableServer();
    void streamMatchesLoaderOnEveryKindOfRow();
    void cleanupTestCase();

private:
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

void TestPgStatus::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("Hanna CRM ü"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgStatus::migratedProjectIsAllApplied()
{
    const StatusResult r = StatusLoader::load(m_project.config);
    QVERIFY2(r.ok(), qPrintable(r.error));
    const StatusSnapshot &s = r.snapshot;
    QVERIFY(!s.historyTableMissing);
    QCOMPARE(s.projectApps, (QStringList{QStringLiteral("conversations"), QStringLiteral("customer_data"),
                                         QStringLiteral("flows"), QStringLiteral("meta_integration")}));
    const auto c = s.counts();
    QCOMPARE(c[int(MigrationState::Applied)], s.fileCount);
    QVERIFY(s.fileCount >= 10);
    QCOMPARE(c[int(MigrationState::Pending)], 0);
    QCOMPARE(c[int(MigrationState::Orphan)], 0);
    QVERIFY(c[int(MigrationState::External)] >= 4); // auth, admin, contenttypes, sessions
    QCOMPARE(find(s, QStringLiteral("auth"), QStringLiteral("0001_initial"))->state, MigrationState::External);
    const MigrationRow *first = find(s, QStringLiteral("flows"), QStringLiteral("0001_initial"));
    QVERIFY(first);
    QCOMPARE(first->state, MigrationState::Applied);
    QCOMPARE(first->file, QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py"));
    QVERIFY(first->applied.isValid());
    QVERIFY(qAbs(first->applied.secsTo(QDateTime::currentDateTimeUtc())) < 3600);
    QVERIFY(s.allApplied());
    QVERIFY(r.events.join(QLatin1Char('\n')).contains(QLatin1String("Read ")));
    expectStreamMatchesLoader(m_project.config);
}

void TestPgStatus::deletedDependencyRowAndOrphanRow()
{
    // conversations.0002 is a dependency of later migrations: remove its row, as a bad
    // manual fix does, and record a migration whose file was deleted on another branch.
    QString error;
    QVERIFY2(TestBed::execSql(m_project.db,
                              QStringLiteral("DELETE FROM django_migrations WHERE app = 'conversations' AND name LIKE '0002%';"
                                             "INSERT INTO django_migrations (app, name, applied) VALUES "
                                             "('flows', '0099_from_other_branch', now()),"
                                             "('thirdparty', '0001_initial', now())"),
                              &error),
             qPrintable(error));
    const StatusResult r = StatusLoader::load(m_project.config);
    QVERIFY2(r.ok(), qPrintable(r.error));
    const StatusSnapshot &s = r.snapshot;
    const auto c = s.counts();
    QCOMPARE(c[int(MigrationState::Pending)], 1);
    QCOMPARE(c[int(MigrationState::Orphan)], 1);
    for (const MigrationRow &row : s.rows) {
        if (row.app == QLatin1String("conversations") && row.name.startsWith(QLatin1String("0002"))) {
            QCOMPARE(row.state, MigrationState::Pending);
            QVERIFY(!row.applied.isValid());
            QVERIFY(row.file.endsWith(QLatin1String(".py")));
        }
    }
    const MigrationRow *orphan = find(s, QStringLiteral("flows"), QStringLiteral("0099_from_other_branch"));
    QVERIFY(orphan);
    QCOMPARE(orphan->state, MigrationState::Orphan);
    QVERIFY(orphan->file.isEmpty());
    QCOMPARE(find(s, QStringLiteral("thirdparty"), QStringLiteral("0001_initial"))->state, MigrationState::External);
    QVERIFY(!s.allApplied());
    expectStreamMatchesLoader(m_project.config);
}

void TestPgStatus::missingHistoryTableMeansEverythingPending()
{
    const QString name = TestBed::createDatabase(QStringLiteral("nohistory"));
    QVERIFY(!name.isEmpty());
    ProjectConfig config = m_project.config;
    config.db.name = name;
    const StatusResult r = StatusLoader::load(config);
    QVERIFY2(r.ok(), qPrintable(r.error));
    QVERIFY(r.snapshot.historyTableMissing);
    QCOMPARE(r.snapshot.counts()[int(MigrationState::Pending)], r.snapshot.fileCount);
    QCOMPARE(r.snapshot.rows.size(), r.snapshot.fileCount);
    QVERIFY(r.events.join(QLatin1Char('\n')).contains(QLatin1String("no migration history yet")));
    expectStreamMatchesLoader(config);
    TestBed::dropDatabase(name);
}

void TestPgStatus::wrongPasswordIsExplainedWithoutThePassword()
{
    ProjectConfig config = m_project.config;
    config.db.password = QStringLiteral("Sentinel-Wrong-Pw-8472");
    const StatusResult r = StatusLoader::load(config);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(QLatin1String("Wrong user or password")), qPrintable(r.error));
    QVERIFY(!r.error.contains(config.db.password));
    QVERIFY(!r.events.join(QLatin1Char('\n')).contains(config.db.password));
}

void TestPgStatus::unreachableServer()
{
    ProjectConfig config = m_project.config;
    config.db.port = 1; // nothing listens there
    const StatusResult r = StatusLoader::load(config);
    QVERIFY(!r.ok());
    QVERIFY2(r.error.contains(QLatin1String("Cannot reach PostgreSQL on 127.0.0.1:1")), qPrintable(r.error));
}

// What only a hand-edited table and a long history have: duplicates, hostile names, a row
// applied before its dependency, a squash, __first__/__latest__ and run_before across apps,
// a file deleted in git whose row stayed. Last: it leaves the project changed.
void TestPgStatus::streamMatchesLoaderOnEveryKindOfRow()
{
    QString error;
    QVERIFY2(TestBed::execSql(m_project.db,
                              QStringLiteral("INSERT INTO django_migrations (app, name, applied) VALUES "
                                             "('flows', '0001_initial', now() + interval '1 day'),"
                                             "('flows', '0001_initial', now() - interval '9 days'),"
                                             "('caf\u00e9 \"q\"\\', '0001_\U0001F680', now()),"
                                             "('zzz', 'only row', now()),"
                                             "('sessions', '0099_later', now());"
                                             "UPDATE django_migrations SET applied = now() + interval '2 days' "
                                             "WHERE app = 'customer_data' AND name = '0001_initial'"),
                              &error),
             qPrintable(error));
    const QString migrations = m_project.config.root + QStringLiteral("/whatsappcrm_backend/flows/migrations/");
    QFile squash(migrations + QStringLiteral("0004_squashed_and_more.py"));
    QVERIFY(squash.open(QIODevice::WriteOnly));
    squash.write("from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
                 "    replaces = [('flows', '0099_from_other_branch'), ('flows', '0003_flowcontext')]\n"
                 "    dependencies = [('flows', '0003_flowcontext'), ('auth', '__first__'), ('sessions', '__latest__'),\n"
                 "                    ('thirdparty', '0001_initial'), ('nowhere', '__first__')]\n"
                 "    run_before = [('zzz', 'only row'), ('conversations', '__latest__')]\n"
                 "    operations = []\n");
    squash.close();
    // A migration file committed, then deleted: its row is an orphan git remembers.
    QTemporaryDir remote;
    QVERIFY2(TestBed::initGitRepo(m_project.config.root, remote.filePath(QStringLiteral("origin.git")), &error),
             qPrintable(error));
    QVERIFY(git(m_project.config.root, {QStringLiteral("rm"), QStringLiteral("-q"),
                                        QStringLiteral("whatsappcrm_backend/meta_integration/migrations/0002_webhookeventlog_conversation.py")}));
    QVERIFY(git(m_project.config.root, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                                        QStringLiteral("Remove a migration")}));
    const StatusResult r = StatusLoader::load(m_project.config);
    QVERIFY2(r.ok(), qPrintable(r.error));
    // The cases are there (the comparison below would pass on an empty project too).
    const MigrationRow *removed = find(r.snapshot, QStringLiteral("meta_integration"), QStringLiteral("0002_webhookeventlog_conversation"));
    QVERIFY(removed);
    QCOMPARE(removed->state, MigrationState::Orphan);
    QVERIFY(!r.snapshot.provenance.value(removed->key()).deletedIn.isNull());
    QVERIFY(find(r.snapshot, QStringLiteral("caf\u00e9 \"q\"\\"), QStringLiteral("0001_\U0001F680")));
    const MigrationRow *squashRow = find(r.snapshot, QStringLiteral("flows"), QStringLiteral("0004_squashed_and_more"));
    QVERIFY(squashRow);
    QVERIFY(squashRow->dependencies.contains(QStringLiteral("auth.0001_initial")));
    QVERIFY(squashRow->dependencies.contains(QStringLiteral("sessions.0099_later")));
    QVERIFY(find(r.snapshot, QStringLiteral("zzz"), QStringLiteral("only row"))->dependencies.contains(squashRow->key()));
    const MigrationRow *early = find(r.snapshot, QStringLiteral("customer_data"), QStringLiteral("0002_customerprofile_contact"));
    QVERIFY(early && early->outOfOrder);
    QVERIFY(r.snapshot.counts()[int(MigrationState::Inconsistent)] > 0);
    expectStreamMatchesLoader(m_project.config);
}

void TestPgStatus::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgStatus)
#include "tst_pg_status.moc"
