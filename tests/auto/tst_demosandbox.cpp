// The demo sandbox with its real parts (initdb, pg_ctl, Debian's Django): prepared from nothing,
// reused, rebuilt after its project copy went (the copy and the database live and die together),
// and removed by reset().
#include "testbed.h"

#include "db/databaseconnection.h"
#include "demo/demosandbox.h"
#include "project/dotenvfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {

// The demo database as the demo's .env describes it.
DbSettings demoDatabase(const DemoSandbox &sandbox)
{
    const DotEnvFile env = DotEnvFile::load(sandbox.projectDir() + QStringLiteral("/.env"));
    DbSettings db;
    db.host = env.value(QStringLiteral("DB_HOST"));
    db.port = env.value(QStringLiteral("DB_PORT")).toInt();
    db.name = env.value(QStringLiteral("DB_NAME"));
    db.user = env.value(QStringLiteral("DB_USER"));
    db.password = env.value(QStringLiteral("DB_PASSWORD"));
    return db;
}

qint64 rowsOf(const DbSettings &db, const QString &app)
{
    DatabaseConnection connection(db, QStringLiteral("demotest"));
    if (!connection.open())
        return -1;
    QSqlQuery query(connection.database());
    query.prepare(QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = ?"));
    query.addBindValue(app);
    return query.exec() && query.next() ? query.value(0).toLongLong() : -1;
}

} // namespace

class TestDemoSandbox : public QObject
{
    Q_OBJECT

private slots:
    void freshCopyGetsFreshDatabase()
    {
        QTemporaryDir base;
        QVERIFY(base.isValid());
        DemoSandbox sandbox(base.filePath(QStringLiteral("demo")));
        QStringList progress;
        const auto report = [&progress](const QString &m) { progress << m; };

        DemoSandbox::Result first = sandbox.prepare(report);
        QVERIFY2(first.ok(), qPrintable(first.error));
        QVERIFY(QFileInfo::exists(first.projectDir + QStringLiteral("/whatsappcrm_backend/manage.py")));
        const DbSettings db = demoDatabase(sandbox);
        const qint64 flows = rowsOf(db, QStringLiteral("flows"));
        QVERIFY2(flows > 0, "manage.py migrate recorded the flows migrations");

        // What a user does to the demo: the history of flows goes, its tables stay. A second start
        // reuses everything as the user left it: nothing copied, nothing migrated.
        QVERIFY(TestBed::execSql(db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows'")));
        sandbox.stop();
        progress.clear();
        const DemoSandbox::Result again = sandbox.prepare(report);
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(rowsOf(demoDatabase(sandbox), QStringLiteral("flows")), qint64(0));
        const QString said = progress.join(QLatin1Char('\n'));
        QVERIFY2(!said.contains(QStringLiteral("Copying")) && !said.contains(QStringLiteral("migrate")), qPrintable(said));

        // The cache went (or another HOME): a fresh copy must not be migrated against the old,
        // changed database, where `migrate` stops on tables that already exist.
        sandbox.stop();
        QVERIFY(QDir(sandbox.projectDir()).removeRecursively());
        progress.clear();
        const DemoSandbox::Result rebuilt = sandbox.prepare(report);
        QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.error));
        QVERIFY(progress.join(QLatin1Char('\n')).contains(QStringLiteral("Copying")));
        QCOMPARE(rowsOf(demoDatabase(sandbox), QStringLiteral("flows")), flows);

        // A start that did not finish (killed during migrate: no ready mark) is done again, not
        // taken for a demo: the history of flows is whole again.
        QVERIFY(TestBed::execSql(demoDatabase(sandbox), QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows'")));
        sandbox.stop();
        QVERIFY(QFile::remove(sandbox.projectDir() + QStringLiteral("/.migrationdesk-demo-ready")));
        progress.clear();
        const DemoSandbox::Result resumed = sandbox.prepare(report);
        QVERIFY2(resumed.ok(), qPrintable(resumed.error));
        QVERIFY(progress.join(QLatin1Char('\n')).contains(QStringLiteral("Copying")));
        QCOMPARE(rowsOf(demoDatabase(sandbox), QStringLiteral("flows")), flows);

        // reset(): nothing of the demo is left, and it builds again from nothing.
        QString error;
        QVERIFY2(sandbox.reset(&error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(sandbox.projectDir()));
        QVERIFY(!QFileInfo::exists(sandbox.clusterDir()));
        const DemoSandbox::Result fromScratch = sandbox.prepare(report);
        QVERIFY2(fromScratch.ok(), qPrintable(fromScratch.error));
        QVERIFY(progress.join(QLatin1Char('\n')).contains(QStringLiteral("Creating a private PostgreSQL cluster")));
        QVERIFY2(sandbox.reset(&error), qPrintable(error));
    }

    void clusterBelongsToItsSandbox()
    {
        // Two sandboxes (two HOMEs) never share a cluster, also when run as root (/var/tmp).
        QTemporaryDir a, b;
        QVERIFY(DemoSandbox(a.path()).clusterDir() != DemoSandbox(b.path()).clusterDir());
        QCOMPARE(DemoSandbox(a.path()).clusterDir(), DemoSandbox(a.path() + QStringLiteral("/")).clusterDir());
    }
};

QTEST_GUILESS_MAIN(TestDemoSandbox)
#include "tst_demosandbox.moc"
