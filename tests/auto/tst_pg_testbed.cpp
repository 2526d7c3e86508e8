// The test bed itself: the Hanna-shaped fixture migrates with real Django against the real test
// cluster, fixture copies survive awkward folder names, git helpers make a real remote, and the
// fake docker CLI behaves like the real one where the app depends on it.

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

struct DockerResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

DockerResult docker(const QStringList &args, const QString &workDir, const QProcessEnvironment &env,
                    const QString &program = QStringLiteral("docker"))
{
    DockerResult result;
    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(workDir);
    // Resolve through the fake's PATH, as the app resolves through the user's PATH.
    const QString path = env.value(QStringLiteral("PATH"));
    QString resolved = program;
    for (const QString &dir : path.split(QLatin1Char(':'))) {
        if (QFileInfo(dir + QLatin1Char('/') + program).isExecutable()) {
            resolved = dir + QLatin1Char('/') + program;
            break;
        }
    }
    process.start(resolved, args);
    if (!process.waitForStarted(10000) || !process.waitForFinished(180000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QStringList composeArgs(const ProjectConfig &config, const QStringList &rest)
{
    return QStringList{QStringLiteral("compose"), QStringLiteral("-f"), config.composeFile,
                       QStringLiteral("-p"), config.composeProjectName} + rest;
}

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

    void fakeDockerVersions();
    void fakeDockerExecRunsManagePy();
    void fakeDockerExecRunsPsql();
    void fakeDockerExecWithoutTEmulatesTty();
    void fakeDockerUnknownCommandsExit125();
    void fakeDockerVolumeLs();
    void fakeDockerRefusesToStopSharedCluster();
    void fakeDockerDownUpAndVolumeRmOnPrivateCluster();

private:
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project; // shared by the fake docker tests (read-only use)
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

    // The fake docker finds the compose file in the working directory and maps /app there too.
    const DockerResult viaDocker = docker({QStringLiteral("compose"), QStringLiteral("exec"), QStringLiteral("-T"),
                                           QStringLiteral("backend"), QStringLiteral("python"), QStringLiteral("manage.py"),
                                           QStringLiteral("showmigrations"), QStringLiteral("flows")},
                                          dir, TestBed::fakeDockerEnvironment());
    QVERIFY2(viaDocker.exitCode == 0, viaDocker.err.constData());
    QVERIFY(viaDocker.out.contains(" [X] 0003_flowcontext\n"));

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

void TestPgTestbed::fakeDockerVersions()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    DockerResult r = docker({QStringLiteral("compose"), QStringLiteral("version")}, m_project.dir, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Docker Compose version v2."), r.out.constData());
    r = docker({QStringLiteral("version"), QStringLiteral("--format"), QStringLiteral("{{.Server.Version}}")}, m_project.dir, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+\\n$")).match(QString::fromUtf8(r.out)).hasMatch());
    r = docker({QStringLiteral("version")}, m_project.dir, env, QStringLiteral("docker-compose"));
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("docker-compose version 1."));

    QProcessEnvironment noV2 = env;
    noV2.insert(QStringLiteral("FAKE_DOCKER_NO_COMPOSE_V2"), QStringLiteral("1"));
    r = docker({QStringLiteral("compose"), QStringLiteral("version")}, m_project.dir, noV2);
    QVERIFY(r.exitCode != 0);
}

void TestPgTestbed::fakeDockerExecRunsManagePy()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    const DockerResult r = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("backend"),
                                                        QStringLiteral("python"), QStringLiteral("manage.py"), QStringLiteral("showmigrations")}),
                                  m_project.dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    for (const char *app : {"conversations", "flows", "customer_data", "meta_integration", "auth"})
        QVERIFY2(out.contains(QStringLiteral("\n%1\n").arg(QLatin1String(app))) || out.startsWith(QLatin1String(app)), app);
    QVERIFY(out.contains(QStringLiteral(" [X] 0003_flowcontext")));
    QVERIFY(!out.contains(QLatin1Char('\r')));

    // -e forwards a variable, -w picks the directory inside the "container".
    QProcessEnvironment withVar = env;
    withVar.insert(QStringLiteral("MIGRATIONDESK_PROBE"), QStringLiteral("forwarded"));
    const DockerResult probe = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("-e"),
                                                            QStringLiteral("MIGRATIONDESK_PROBE"), QStringLiteral("-w"), QStringLiteral("/app/flows"),
                                                            QStringLiteral("backend"), QStringLiteral("python3"), QStringLiteral("-c"),
                                                            QStringLiteral("import os; print(os.environ['MIGRATIONDESK_PROBE'], os.environ['DB_HOST'], os.environ['DB_PORT'], os.path.basename(os.getcwd()))")}),
                                      m_project.dir, withVar);
    QVERIFY2(probe.exitCode == 0, probe.err.constData());
    QCOMPARE(QString::fromUtf8(probe.out).trimmed(),
             QStringLiteral("forwarded 127.0.0.1 %1 flows").arg(TestBed::server().port));
}

void TestPgTestbed::fakeDockerExecRunsPsql()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    const DockerResult r = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("db"),
                                                        QStringLiteral("psql"), QStringLiteral("-U"), QStringLiteral("postgres"),
                                                        QStringLiteral("-d"), m_project.dbName, QStringLiteral("-tA"),
                                                        QStringLiteral("-c"), QStringLiteral("select 1")}),
                                  m_project.dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("1\n"));

    // An explicit host/port meant for inside the container still reaches the test cluster.
    const DockerResult hosted = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("db"),
                                                             QStringLiteral("psql"), QStringLiteral("-h"), QStringLiteral("localhost"),
                                                             QStringLiteral("-p"), QStringLiteral("5432"), QStringLiteral("-U"), QStringLiteral("postgres"),
                                                             QStringLiteral("-d"), m_project.dbName, QStringLiteral("-tAc"),
                                                             QStringLiteral("SELECT count(*) > 0 FROM django_migrations")}),
                                       m_project.dir, env);
    QVERIFY2(hosted.exitCode == 0, hosted.err.constData());
    QCOMPARE(hosted.out, QByteArray("t\n"));
}

void TestPgTestbed::fakeDockerExecWithoutTEmulatesTty()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    const QStringList psql = {QStringLiteral("db"), QStringLiteral("psql"), QStringLiteral("-U"), QStringLiteral("postgres"),
                              QStringLiteral("-d"), m_project.dbName, QStringLiteral("-tAc"),
                              QStringLiteral("select 1 union all select 2")};
    const DockerResult tty = docker(composeArgs(compose, QStringList{QStringLiteral("exec")} + psql), m_project.dir, env);
    QCOMPARE(tty.exitCode, 0);
    QCOMPARE(tty.out, QByteArray("1\r\n2\r\n"));

    // Why it matters: pg_dump -Fc through a TTY is no longer a valid archive.
    const QStringList dump = {QStringLiteral("db"), QStringLiteral("pg_dump"), QStringLiteral("-U"), QStringLiteral("postgres"),
                              QStringLiteral("-Fc"), m_project.dbName};
    const DockerResult clean = docker(composeArgs(compose, QStringList{QStringLiteral("exec"), QStringLiteral("-T")} + dump), m_project.dir, env);
    const DockerResult mangled = docker(composeArgs(compose, QStringList{QStringLiteral("exec")} + dump), m_project.dir, env);
    QCOMPARE(clean.exitCode, 0);
    QCOMPARE(mangled.exitCode, 0);
    QVERIFY(clean.out.startsWith("PGDMP"));
    QVERIFY(mangled.out.size() > clean.out.size());

    QTemporaryDir dumps;
    for (const auto &[name, bytes, shouldWork] : {std::tuple{"clean.dump", clean.out, true}, std::tuple{"mangled.dump", mangled.out, false}}) {
        QFile file(dumps.filePath(QLatin1String(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        QString output;
        const int code = TestBed::run(QStringLiteral("/usr/lib/postgresql/15/bin/pg_restore"),
                                      {QStringLiteral("--list"), file.fileName()}, QString(),
                                      QProcessEnvironment::systemEnvironment(), &output);
        // pg_restore may even "list" the mangled file, but it finds no table in it.
        const bool readable = code == 0 && output.contains(QStringLiteral("TABLE public django_migrations"));
        QVERIFY2(readable == shouldWork, qPrintable(QLatin1String(name) + QLatin1Char(' ') + output));
    }
}

void TestPgTestbed::fakeDockerUnknownCommandsExit125()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    const QList<QStringList> unknown = {
        composeArgs(compose, {QStringLiteral("logs")}),
        composeArgs(compose, {QStringLiteral("up")}), // attached up
        composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("db"), QStringLiteral("bash")}),
        {QStringLiteral("system"), QStringLiteral("prune")},
        {QStringLiteral("volume"), QStringLiteral("inspect"), QStringLiteral("x")},
        {QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--format"), QStringLiteral("{{.CreatedAt}}")},
    };
    for (const QStringList &args : unknown) {
        const DockerResult r = docker(args, m_project.dir, env);
        QVERIFY2(r.exitCode == 125, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(!r.err.isEmpty(), qPrintable(args.join(QLatin1Char(' '))));
    }
    const DockerResult v1 = docker({QStringLiteral("logs")}, m_project.dir, env, QStringLiteral("docker-compose"));
    QCOMPARE(v1.exitCode, 125);
}

void TestPgTestbed::fakeDockerVolumeLs()
{
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    // The stack becomes known to the fake by a compose call, as with a real engine after `up`.
    DockerResult r = docker(composeArgs(compose, {QStringLiteral("ps"), QStringLiteral("--services"),
                                                  QStringLiteral("--status"), QStringLiteral("running")}),
                            m_project.dir, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("db\nbackend\n"));
    r = docker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--filter"),
                QStringLiteral("label=com.docker.compose.project=") + compose.composeProjectName,
                QStringLiteral("--format"), QStringLiteral("{{.Name}}")},
               m_project.dir, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, (compose.composeProjectName + QStringLiteral("_postgres_data\n")).toUtf8());
    r = docker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q"), QStringLiteral("--filter"),
                QStringLiteral("name=") + compose.composeProjectName + QStringLiteral("_postgres")},
               m_project.dir, env);
    QCOMPARE(r.out, (compose.composeProjectName + QStringLiteral("_postgres_data\n")).toUtf8());
    r = docker({QStringLiteral("volume"), QStringLiteral("ls")}, m_project.dir, env);
    QVERIFY(r.out.startsWith("DRIVER    VOLUME NAME\n"));
    QVERIFY(r.out.contains("local     " + compose.composeProjectName.toUtf8() + "_postgres_data\n"));
}

void TestPgTestbed::fakeDockerRefusesToStopSharedCluster()
{
    QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    env.remove(QStringLiteral("FAKE_DOCKER_PG_DIR"));
    const ProjectConfig compose = TestBed::composeConfig(m_project.dir, m_project.db);
    const DockerResult r = docker(composeArgs(compose, {QStringLiteral("down")}), m_project.dir, env);
    QCOMPARE(r.exitCode, 125);
    QVERIFY(TestBed::available());
}

void TestPgTestbed::fakeDockerDownUpAndVolumeRmOnPrivateCluster()
{
    const QString clusterDir = m_tmp.path() + QStringLiteral("/private cluster");
    QString error;
    QVERIFY2(TestBed::startPrivateCluster(clusterDir, &error), qPrintable(error));
    auto stop = qScopeGuard([&] { TestBed::stopPrivateCluster(clusterDir); });

    DbSettings db = TestBed::clusterSettings(clusterDir);
    QVERIFY(db.port > 0);
    QVERIFY(db.port != TestBed::server().port);
    db.name = QStringLiteral("whatsappcrm_db");
    QVERIFY(TestBed::execSql(TestBed::clusterSettings(clusterDir), QStringLiteral("CREATE DATABASE whatsappcrm_db")));
    const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("hanna private"), db);
    QVERIFY(!dir.isEmpty());
    const ProjectConfig compose = TestBed::composeConfig(dir, db);
    QCOMPARE(compose.composeProjectName, QStringLiteral("hannaprivate"));
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment(clusterDir);

    DockerResult r = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("backend"),
                                                  QStringLiteral("python"), QStringLiteral("manage.py"), QStringLiteral("migrate"),
                                                  QStringLiteral("--noinput")}),
                            dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString countSql = QStringLiteral("SELECT count(*) > 20 FROM django_migrations");
    QCOMPARE(TestBed::queryStrings(db, countSql), QStringList{QStringLiteral("true")});

    // A volume in use cannot be removed.
    r = docker({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("hannaprivate_postgres_data")}, dir, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("volume is in use"));

    r = docker(composeArgs(compose, {QStringLiteral("down")}), dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!TestBed::execSql(db, QStringLiteral("SELECT 1"), &error));
    r = docker(composeArgs(compose, {QStringLiteral("ps"), QStringLiteral("--services"), QStringLiteral("--status"), QStringLiteral("running")}), dir, env);
    QCOMPARE(r.out, QByteArray());
    r = docker(composeArgs(compose, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("db"), QStringLiteral("psql"),
                                     QStringLiteral("-c"), QStringLiteral("select 1")}), dir, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("is not running"));

    r = docker(composeArgs(compose, {QStringLiteral("up"), QStringLiteral("-d")}), dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(TestBed::queryStrings(db, countSql), QStringList{QStringLiteral("true")}); // data survived

    r = docker(composeArgs(compose, {QStringLiteral("down")}), dir, env);
    QCOMPARE(r.exitCode, 0);
    r = docker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--format"), QStringLiteral("{{.Name}}")}, dir, env);
    QCOMPARE(r.out, QByteArray("hannaprivate_postgres_data\n"));
    r = docker({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("hannaprivate_postgres_data")}, dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("hannaprivate_postgres_data\n"));
    r = docker({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}, dir, env);
    QCOMPARE(r.out, QByteArray());
    r = docker({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("hannaprivate_postgres_data")}, dir, env);
    QCOMPARE(r.exitCode, 1);

    r = docker(composeArgs(compose, {QStringLiteral("up"), QStringLiteral("-d")}), dir, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // As the postgres image does: a fresh cluster with the same password and an empty POSTGRES_DB.
    QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), &error),
             QStringList{QStringLiteral("0")});
    QVERIFY(TestBed::queryStrings(db, QStringLiteral("SELECT 1 FROM django_migrations"), &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("django_migrations")));

    // And Django can start over on it.
    QString output;
    QVERIFY2(TestBed::runManage(dir, db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QCOMPARE(TestBed::queryStrings(db, countSql), QStringList{QStringLiteral("true")});

    QVERIFY(TestBed::stopPrivateCluster(clusterDir, &error));
    QVERIFY(!QFile::exists(clusterDir + QStringLiteral("/pg.env")));
    QVERIFY(!TestBed::execSql(db, QStringLiteral("SELECT 1")));
}

QTEST_GUILESS_MAIN(TestPgTestbed)
#include "tst_pg_testbed.moc"
