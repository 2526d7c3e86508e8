// The test bed itself: the Hanna-shaped fixture migrates with real Django against the real test
// cluster, fixture copies survive awkward folder names, and git helpers make a real remote. The
// Docker engine's own test bed is checked in tst_docker_testbed.

#include "testbed.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestPgTestbed : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void fixtureHasNoBytecode();
    void fixtureMigratesWithRealDjango();
    void fixtureHasCrossAppDependencies();
    void copyFixtureHandlesSpacesAndNonAscii();
    void initGitRepoPushesToBareRemote();

private:
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
    QStringList m_databases;
};

void TestPgTestbed::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY2(TestBed::available(),
             qPrintable(QStringLiteral("no test cluster in %1 (run via ctest: pg_start)").arg(TestBed::dir())));
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("hanna"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
    m_databases << m_project.dbName;
}

void TestPgTestbed::cleanupTestCase()
{
    for (const QString &name : std::as_const(m_databases))
        TestBed::dropDatabase(name);
}

void TestPgTestbed::fixtureHasNoBytecode()
{
    QDirIterator it(TestBed::fixtureSourceDir(), QDir::Dirs | QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QVERIFY2(!path.contains(QStringLiteral("__pycache__")) && !path.endsWith(QStringLiteral(".pyc")),
                 qPrintable(path));
    }
}

void TestPgTestbed::fixtureMigratesWithRealDjango()
{
    const QStringList apps = TestBed::queryStrings(
        m_project.db, QStringLiteral("SELECT DISTINCT app FROM django_migrations ORDER BY app"));
    for (const char *app : {"admin", "auth", "contenttypes", "sessions", "conversations", "flows",
                            "customer_data", "meta_integration"})
        QVERIFY2(apps.contains(QLatin1String(app)), app);

    // Every migration file on disk is applied, and nothing else from the project apps.
    const QString backend = TestBed::backendDir(m_project.dir);
    int files = 0;
    for (const char *app : {"conversations", "flows", "customer_data", "meta_integration"}) {
        const QStringList onDisk = QDir(backend + QLatin1Char('/') + QLatin1String(app) + QStringLiteral("/migrations"))
                                       .entryList({QStringLiteral("0*.py")}, QDir::Files, QDir::Name);
        QVERIFY2(onDisk.size() >= 2, app);
        files += onDisk.size();
        QStringList applied = TestBed::queryStrings(
            m_project.db, QStringLiteral("SELECT name FROM django_migrations WHERE app = '%1' ORDER BY name")
                              .arg(QLatin1String(app)));
        QStringList expected;
        for (const QString &file : onDisk)
            expected << file.chopped(3);
        QCOMPARE(applied, expected);
    }
    QCOMPARE(files, 10);

    // The tables Django made are really there, foreign keys included.
    const QStringList fk = TestBed::queryStrings(m_project.db, QStringLiteral(
        "SELECT ccu.table_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = 'flows_flowcontext' ORDER BY 1"));
    QVERIFY2(fk.contains(QStringLiteral("conversations_contact")), qPrintable(fk.join(QLatin1Char(','))));

    QString output;
    QVERIFY(TestBed::runManage(m_project.dir, m_project.db, {QStringLiteral("showmigrations"), QStringLiteral("--plan")}, &output));
    QVERIFY2(!output.contains(QStringLiteral("[ ]")), qPrintable(output));
    QVERIFY(output.contains(QStringLiteral("[X]  flows.0003_flowcontext")));
}

void TestPgTestbed::fixtureHasCrossAppDependencies()
{
    // Dependencies that cross apps, read from the files Django generated.
    const QRegularExpression dep(QStringLiteral("\\('(\\w+)', '(\\w+)'\\)"));
    const QString backend = TestBed::fixtureSourceDir() + QStringLiteral("/whatsappcrm_backend");
    QSet<QString> crossing;
    for (const char *app : {"conversations", "flows", "customer_data", "meta_integration"}) {
        const QString dir = backend + QLatin1Char('/') + QLatin1String(app) + QStringLiteral("/migrations");
        for (const QString &file : QDir(dir).entryList({QStringLiteral("0*.py")}, QDir::Files)) {
            const QString text = readFile(dir + QLatin1Char('/') + file);
            QVERIFY2(text.contains(QStringLiteral("Generated by Django 3.2")), qPrintable(file));
            const int start = text.indexOf(QStringLiteral("dependencies = ["));
            const int end = text.indexOf(QLatin1Char(']'), start);
            auto it = dep.globalMatch(text.mid(start, end - start));
            while (it.hasNext()) {
                const auto m = it.next();
                if (m.captured(1) != QLatin1String(app))
                    crossing << QStringLiteral("%1 -> %2.%3").arg(QLatin1String(app), m.captured(1), m.captured(2));
            }
        }
    }
    QVERIFY2(crossing.contains(QStringLiteral("flows -> conversations.0003_message_sent_by_step")),
             qPrintable(crossing.values().join(QLatin1Char('\n'))));
    bool customerOnConversations = false, conversationsOnMeta = false;
    for (const QString &c : std::as_const(crossing)) {
        customerOnConversations |= c.startsWith(QStringLiteral("customer_data -> conversations."));
        conversationsOnMeta |= c.startsWith(QStringLiteral("conversations -> meta_integration."));
    }
    QVERIFY(customerOnConversations);
    QVERIFY(conversationsOnMeta);
}

void TestPgTestbed::copyFixtureHandlesSpacesAndNonAscii()
{
    const QString folder = QStringLiteral("Hanna CRM – Ünïcödé 项目");
    DbSettings db = TestBed::server();
    db.name = TestBed::createDatabase(QStringLiteral("copy"));
    QVERIFY(!db.name.isEmpty());
    m_databases << db.name;
    const QString dir = TestBed::copyFixture(m_tmp.path() + QStringLiteral("/with space ä"), folder, db);
    QVERIFY(!dir.isEmpty());
    QVERIFY(dir.endsWith(folder));
    QVERIFY(QFile::exists(dir + QStringLiteral("/docker-compose.yml")));
    QVERIFY(QFile::exists(dir + QStringLiteral("/whatsappcrm_backend/manage.py")));

    const QString env = readFile(dir + QStringLiteral("/.env"));
    QVERIFY(env.contains(QStringLiteral("\nDB_NAME=%1\n").arg(db.name)));
    QVERIFY(env.contains(QStringLiteral("\nDB_PORT=%1\n").arg(db.port)));
    QVERIFY(env.contains(QStringLiteral("\nDB_HOST=127.0.0.1\n")));
    QVERIFY(env.contains(QStringLiteral("\nDB_PASSWORD=%1\n").arg(db.password)));
    QVERIFY(env.contains(QStringLiteral("SECRET_KEY=")));

    QString output;
    QVERIFY2(TestBed::runManage(dir, db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows'")),
             QStringList{QStringLiteral("3")});

    const ProjectConfig config = TestBed::localConfig(dir, db.name);
    QCOMPARE(config.target, TargetKind::Local);
    QCOMPARE(config.python, QStringLiteral("/usr/bin/python3"));
    QCOMPARE(config.db.name, db.name);
    QCOMPARE(config.backendDir, dir + QStringLiteral("/whatsappcrm_backend"));
}

void TestPgTestbed::initGitRepoPushesToBareRemote()
{
    const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("git project"));
    QVERIFY(!dir.isEmpty());
    QString error;
    QVERIFY2(TestBed::initGitRepo(dir, m_tmp.path() + QStringLiteral("/remote.git"), &error), qPrintable(error));
    QString output;
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("status"), QStringLiteral("--porcelain")}, dir,
                          QProcessEnvironment::systemEnvironment(), &output), 0);
    QCOMPARE(output, QString());
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("rev-parse"), QStringLiteral("--abbrev-ref"), QStringLiteral("@{u}")},
                          dir, QProcessEnvironment::systemEnvironment(), &output), 0);
    QCOMPARE(output.trimmed(), QStringLiteral("origin/main"));
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"), QStringLiteral("main")},
                          m_tmp.path() + QStringLiteral("/remote.git"), QProcessEnvironment::systemEnvironment(), &output), 0);
    QVERIFY(output.contains(QStringLiteral("whatsappcrm_backend/flows/migrations/0003_flowcontext.py")));
}

QTEST_GUILESS_MAIN(TestPgTestbed)
#include "tst_pg_testbed.moc"
