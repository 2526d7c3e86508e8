// The status table's data against the real server: a fixture project migrated by real Django,
// then broken the way users break it.
#include "status/statusloader.h"
#include "testbed.h"

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

void TestPgStatus::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgStatus)
#include "tst_pg_status.moc"
