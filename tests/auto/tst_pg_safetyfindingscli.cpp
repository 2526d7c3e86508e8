// Issue 10, "Safety findings", each against the real test bed: a bare git remote with two clones,
// the PostgreSQL cluster (a lock across DROP DATABASE, an exact restore, a dump mangled by a
// TTY), the real migrationdesk binary killed with SIGKILL on a long step, doctor --fix beside the
// status table, and children that must not see MigrationDesk's own secrets.
//
// This executable doubles as its own helper child (--runner-in-thread): a PlanRunner on a worker
// thread whose process must die with it. (Runs as QTEST_GUILESS_MAIN would: QCoreApplication.)

#include "testbed.h"

#include "db/databaseconnection.h"
#include "operations/guidefactsreader.h"
#include "safety/guardedrunner.h"
#include "project/projectloader.h"
#include "safety/backupstore.h"
#include "safety/projectlock.h"
#include "safety/restoreplans.h"
#include "safety/safetysteps.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

const QString kDbSentinel = QStringLiteral("Sentinel-DB-pw-4711");
const QString kSuperSentinel = QStringLiteral("Sentinel-SU-pw-4712");
const QString kScripts = QStringLiteral(MIGRATIONDESK_SOURCE_DIR "/tests/support/scripts/");

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Nobody's global git settings (hooks, identity, signing) leak in.
QProcessEnvironment gitEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    return env;
}

// git as a person runs it (with an identity of its own).
QString git(const QStringList &args, const QString &dir, int *exitCode = nullptr)
{
    QProcessEnvironment env = gitEnvironment();
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Clone B"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("b@migrationdesk.invalid"));
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Clone B"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("b@migrationdesk.invalid"));
    QString out;
    const int code = TestBed::run(QStringLiteral("git"), args, dir, env, &out);
    if (exitCode)
        *exitCode = code;
    return out.trimmed();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A process that is there and not a zombie.
bool alive(qint64 pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return false;
    const char state = stat.size() > close + 2 ? stat.at(close + 2) : 'X';
    return state != 'Z' && state != 'X';
}

bool goneWithin(qint64 pid, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (alive(pid) && clock.elapsed() < ms)
        QThread::msleep(50);
    return !alive(pid);
}

// Living children of pid whose command name is comm.
QList<qint64> childrenOf(qint64 pid, const QByteArray &comm)
{
    QList<qint64> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 child = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(entry));
        const qsizetype open = stat.indexOf('(');
        const qsizetype close = stat.lastIndexOf(')');
        if (open < 0 || close < 0)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == pid && stat.mid(open + 1, close - open - 1) == comm
            && alive(child))
            found << child;
    }
    return found;
}

RunResult runPlan(const Plan &plan, const QProcessEnvironment &env = QProcessEnvironment(), QByteArray *raw = nullptr)
{
    GuardedRunner runner;
    if (!env.isEmpty())
        runner.setEnvironment(env);
    runner.setLogPath(QStringLiteral("-"));
    QByteArray bytes;
    QObject::connect(&runner, &PlanRunner::output, [&](const QByteArray &chunk, OutputChannel) { bytes += chunk; });
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan) || !finished.wait(180000))
        return RunResult();
    if (raw)
        *raw = bytes;
    return finished.constFirst().constFirst().value<RunResult>();
}

QString describe(const RunResult &r)
{
    return r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + r.problems.join(QLatin1Char('\n'));
}

QStringList userTables(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral(
        "SELECT schemaname || '.' || tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"));
}

// Helper child: a PlanRunner on a worker thread runs `sleep 300`; its pid goes to pidFile.
int runnerInThread(const QString &pidFile)
{
    QThread thread;
    thread.start();
    auto *runner = new GuardedRunner;
    runner->setLogPath(QStringLiteral("-"));
    runner->moveToThread(&thread);
    Plan plan;
    plan.title = QStringLiteral("sleep on a worker thread");
    ProcessStep sleep;
    sleep.description = QStringLiteral("sleep");
    sleep.program = QStringLiteral("/bin/sleep");
    sleep.args = {QStringLiteral("300")};
    plan.steps << sleep;
    QMetaObject::invokeMethod(runner, [runner, plan] { runner->start(plan); }, Qt::BlockingQueuedConnection);
    qint64 pid = 0;
    for (int i = 0; i < 200 && pid <= 0; ++i) {
        QThread::msleep(25);
        QMetaObject::invokeMethod(runner, [runner, &pid] { pid = runner->processId(); }, Qt::BlockingQueuedConnection);
    }
    writeFile(pidFile + QStringLiteral(".tmp"), QByteArray::number(pid));
    QFile::rename(pidFile + QStringLiteral(".tmp"), pidFile);
    for (;;)
        QThread::sleep(1);
}

} // namespace

class TestPgSafetyFindingsCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = gitEnvironment();
        env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), m_tmp.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
        return env;
    }

    CliRun cli(const QStringList &args, const QProcessEnvironment &env) const
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
        CliRun run;
        if (!p.waitForFinished(240000)) {
            p.kill();
            p.waitForFinished();
            return run;
        }
        run.exitCode = p.exitCode();
        run.out = QString::fromUtf8(p.readAllStandardOutput());
        run.err = QString::fromUtf8(p.readAllStandardError());
        return run;
    }

    QStringList commitArgs(const QString &dir, bool push) const
    {
        QStringList args{QStringLiteral("run"), QStringLiteral("commit"), QStringLiteral("--project"), dir,
                         QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
                         QString::fromLatin1(TestBed::kPython)};
        if (push)
            args << QStringLiteral("--push");
        return args;
    }

    // A fixture copy under git with a bare remote (no database needed: commit only talks to git).
    QString gitProject(const QString &name, QString *remote)
    {
        const QString dir = TestBed::copyFixture(m_tmp.path(), name);
        *remote = m_tmp.filePath(name + QStringLiteral(".git"));
        QString error;
        if (dir.isEmpty() || !TestBed::initGitRepo(dir, *remote, &error)) {
            qWarning("%s", qPrintable(error));
            return QString();
        }
        return dir;
    }

    static QString newMigration(const QString &dir, const QString &name)
    {
        const QString path = TestBed::backendDir(dir) + QStringLiteral("/flows/migrations/") + name;
        writeFile(path, "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
                        "    dependencies = [('flows', '0003_flowcontext')]\n    operations = []\n");
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
        QVERIFY2(TestBed::available(), "the test PostgreSQL cluster is not running (CTest fixture pg)");
        m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("findings"));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
    }

    void cleanupTestCase()
    {
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

    // 1. With no upstream and a forcing push refspec in the user's config, `run commit --push`
    //    must not overwrite another clone's commit; once pulled, it pushes and sets the upstream.
    void pushNeverForcesOverAnotherClone_data()
    {
        QTest::addColumn<QString>("pushConfig");
        QTest::addRow("all heads forced") << QStringLiteral("+refs/heads/*:refs/heads/*");
        QTest::addRow("main forced") << QStringLiteral("+refs/heads/main:refs/heads/main");
    }

    void pushNeverForcesOverAnotherClone()
    {
        QFETCH(QString, pushConfig);
        QString remote;
        const QString a = gitProject(QStringLiteral("push %1").arg(QString::fromLatin1(QTest::currentDataTag())), &remote);
        QVERIFY(!a.isEmpty());
        const QString b = m_tmp.filePath(QStringLiteral("clone b %1").arg(QString::fromLatin1(QTest::currentDataTag())));
        int code = 0;
        git({QStringLiteral("clone"), QStringLiteral("-q"), remote, b}, QString(), &code);
        QCOMPARE(code, 0);
        QVERIFY(writeFile(b + QStringLiteral("/from-b.txt"), "b\n"));
        git({QStringLiteral("add"), QStringLiteral("from-b.txt")}, b);
        git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("commit of clone B")}, b, &code);
        QCOMPARE(code, 0);
        git({QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"), QStringLiteral("HEAD:refs/heads/main")}, b, &code);
        QCOMPARE(code, 0);

        git({QStringLiteral("branch"), QStringLiteral("--unset-upstream")}, a, &code);
        QCOMPARE(code, 0);
        git({QStringLiteral("config"), QStringLiteral("remote.origin.push"), pushConfig}, a, &code);
        QCOMPARE(code, 0);
        newMigration(a, QStringLiteral("0004_first_push.py"));

        CliRun run = cli(commitArgs(a, true), cliEnvironment());
        QVERIFY2(run.exitCode != 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("the remote has commits you don't: pull first")), qPrintable(run.err));
        const QString remoteLog = git({QStringLiteral("--git-dir"), remote, QStringLiteral("log"), QStringLiteral("--format=%s"),
                                       QStringLiteral("main")}, QString());
        QVERIFY2(remoteLog.contains(QStringLiteral("commit of clone B")), qPrintable(remoteLog));

        // Pulled: the next commit goes out, with an explicit destination and the upstream set.
        git({QStringLiteral("pull"), QStringLiteral("-q"), QStringLiteral("--rebase"), QStringLiteral("origin"),
             QStringLiteral("main")}, a, &code);
        QCOMPARE(code, 0);
        newMigration(a, QStringLiteral("0005_second_push.py"));
        run = cli(commitArgs(a, true), cliEnvironment());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList log = git({QStringLiteral("--git-dir"), remote, QStringLiteral("log"), QStringLiteral("--format=%s"),
                                     QStringLiteral("main")}, QString()).split(QLatin1Char('\n'));
        QVERIFY2(log.contains(QStringLiteral("commit of clone B")), qPrintable(log.join(u'\n')));
        QCOMPARE(log.count(QStringLiteral("Regenerate all Django migrations")), 2);
        QCOMPARE(git({QStringLiteral("rev-parse"), QStringLiteral("--abbrev-ref"), QStringLiteral("@{u}")}, a),
                 QStringLiteral("origin/main"));
    }

    // 7a + 6: a refused commit unstages what it staged; git (and its hooks) never see our secrets.
    void failedCommitUnstagesAndGitSeesNoSecrets()
    {
        QString remote;
        const QString dir = gitProject(QStringLiteral("commit identity"), &remote);
        QVERIFY(!dir.isEmpty());
        git({QStringLiteral("config"), QStringLiteral("--unset"), QStringLiteral("user.name")}, dir);
        git({QStringLiteral("config"), QStringLiteral("--unset"), QStringLiteral("user.email")}, dir);
        git({QStringLiteral("config"), QStringLiteral("user.useConfigOnly"), QStringLiteral("true")}, dir);
        newMigration(dir, QStringLiteral("0004_no_identity.py"));
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("MIGRATIONDESK_DB_PASSWORD"), kDbSentinel);
        env.insert(QStringLiteral("MIGRATIONDESK_SUPERUSER_PASSWORD"), kSuperSentinel);
        env.insert(QStringLiteral("HOME"), m_tmp.filePath(QStringLiteral("empty home")));
        const QString envFile = m_tmp.filePath(QStringLiteral("hook-env.txt"));
        const QString hook = dir + QStringLiteral("/.git/hooks/pre-commit");
        QVERIFY(writeFile(hook, "#!/bin/sh\nenv > '" + envFile.toUtf8() + "'\n"));
        QVERIFY(QFile::setPermissions(hook, QFile::permissions(hook) | QFileDevice::ExeOwner));

        CliRun run = cli(commitArgs(dir, false), env);
        QVERIFY2(run.exitCode != 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(QStringLiteral("Rolled back")), qPrintable(run.err));
        QCOMPARE(git({QStringLiteral("diff"), QStringLiteral("--cached"), QStringLiteral("--name-only")}, dir), QString());
        QVERIFY(git({QStringLiteral("status"), QStringLiteral("--porcelain")}, dir).contains(QStringLiteral("?? ")));
        // The lock could not log in with the sentinel password, and says where it came from.
        QVERIFY2(run.err.contains(QStringLiteral("The password came from the environment variable MIGRATIONDESK_DB_PASSWORD")),
                 qPrintable(run.err));

        // With an identity the hook runs and the commit lands; the hook saw no secret of ours.
        git({QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Clone A")}, dir);
        git({QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("a@migrationdesk.invalid")}, dir);
        run = cli(commitArgs(dir, false), env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QByteArray hookEnv = readFile(envFile);
        QVERIFY(hookEnv.contains("GIT_TERMINAL_PROMPT=0")); // the step's own env arrives
        QVERIFY2(!hookEnv.contains(kDbSentinel.toUtf8()) && !hookEnv.contains(kSuperSentinel.toUtf8()), hookEnv.constData());
        QVERIFY(!hookEnv.contains("MIGRATIONDESK_DB_PASSWORD") && !hookEnv.contains("MIGRATIONDESK_SUPERUSER_PASSWORD"));
    }

    // 6: any child of the runner: only the step's declared env adds a secret back.
    void childEnvironmentHoldsOnlyDeclaredSecrets()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MIGRATIONDESK_DB_PASSWORD"), kDbSentinel);
        env.insert(QStringLiteral("MIGRATIONDESK_SUPERUSER_PASSWORD"), kSuperSentinel);
        env.insert(QStringLiteral("MIGRATIONDESK_SMTP_PASSWORD"), kSuperSentinel);
        Plan plan;
        plan.title = QStringLiteral("print the environment");
        ProcessStep print;
        print.description = QStringLiteral("env");
        print.program = QStringLiteral("/usr/bin/env");
        print.env = {{QStringLiteral("DB_PASSWORD"), QStringLiteral("declared-for-this-step"), true}};
        plan.steps << print;
        QByteArray raw; // unmasked: masking must not be what hides a leak
        const RunResult result = runPlan(plan, env, &raw);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QVERIFY(raw.contains("DB_PASSWORD=declared-for-this-step"));
        QVERIFY2(!raw.contains(kDbSentinel.toUtf8()) && !raw.contains(kSuperSentinel.toUtf8()), raw.constData());
        QVERIFY(!raw.contains("MIGRATIONDESK_DB_PASSWORD=") && !raw.contains("MIGRATIONDESK_SMTP_PASSWORD="));
    }

    // 7b: a stopped rebase is named as such.
    void rebaseInProgressIsNamed()
    {
        QString remote;
        const QString dir = gitProject(QStringLiteral("rebase"), &remote);
        QVERIFY(!dir.isEmpty());
        int code = 0;
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("side")}, dir);
        QVERIFY(writeFile(dir + QStringLiteral("/README.md"), "side\n"));
        git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-am"), QStringLiteral("side")}, dir, &code);
        QCOMPARE(code, 0);
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")}, dir);
        QVERIFY(writeFile(dir + QStringLiteral("/README.md"), "main\n"));
        git({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-am"), QStringLiteral("main")}, dir, &code);
        QCOMPARE(code, 0);
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("side")}, dir);
        git({QStringLiteral("rebase"), QStringLiteral("main")}, dir, &code);
        QVERIFY(code != 0); // stopped on the conflict

        const ProjectConfig config = TestBed::localConfig(dir, m_project.dbName);
        const CommitCheck check = GuideFactsReader::checkCommit(config);
        QVERIFY(check.rebaseInProgress);
        const QString blockers = check.blockers(false).join(u' ');
        QVERIFY2(blockers.contains(QStringLiteral("A rebase is in progress")), qPrintable(blockers));
        QVERIFY2(!blockers.contains(QStringLiteral("detached")), qPrintable(blockers));
        git({QStringLiteral("rebase"), QStringLiteral("--abort")}, dir);
        QVERIFY(!GuideFactsReader::checkCommit(config).rebaseInProgress);
    }

    // 2: the advisory lock is held on "postgres", keyed by the database name: it survives the
    //    DROP DATABASE ... WITH (FORCE) of reset-database, and refuses a second holder meanwhile.
    void databaseLockSurvivesDropOfItsDatabase()
    {
        const QString name = TestBed::createDatabase(QStringLiteral("lockdrop"));
        QVERIFY(!name.isEmpty());
        const QString root = m_tmp.filePath(QStringLiteral("lock project"));
        QVERIFY(QDir().mkpath(root));
        const ProjectConfig config = TestBed::localConfig(root, name);
        ProjectLock first;
        QCOMPARE(first.acquire(config), ProjectLock::Result::Acquired);
        QVERIFY(first.holdsDatabaseLock());
        QVERIFY(TestBed::dropDatabase(name));

        const QByteArray state = qgetenv("MIGRATIONDESK_STATE_DIR");
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("other machine")).toLocal8Bit());
        ProjectLock second;
        const ProjectLock::Result refused = second.acquire(config);
        // Another folder on the same database: the same lock.
        const QString otherRoot = m_tmp.filePath(QStringLiteral("lock project copy"));
        QVERIFY(QDir().mkpath(otherRoot));
        ProjectLock third;
        const ProjectLock::Result alsoRefused = third.acquire(TestBed::localConfig(otherRoot, name));
        qputenv("MIGRATIONDESK_STATE_DIR", state);
        QCOMPARE(refused, ProjectLock::Result::Refused);
        QVERIFY2(second.error().contains(QStringLiteral("database lock")), qPrintable(second.error()));
        QCOMPARE(alsoRefused, ProjectLock::Result::Refused);
        first.release();

        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("other machine")).toLocal8Bit());
        ProjectLock after;
        const ProjectLock::Result acquired = after.acquire(config);
        qputenv("MIGRATIONDESK_STATE_DIR", state);
        QCOMPARE(acquired, ProjectLock::Result::Acquired);
    }

    // 3: kill -9 of the binary on a long step (pg_dump waiting for a table lock) takes the child
    //    along, and the half-made backup folder is never listed as usable.
    void killedBinaryTakesItsChildAlong()
    {
        const ProjectConfig &config = m_project.config;
        const QStringList before = [&] {
            QStringList ids;
            for (const BackupInfo &b : BackupStore(config).listAll())
                ids << b.id;
            return ids;
        }();
        const QString connection = QStringLiteral("table-lock");
        {
            QSqlDatabase db = DatabaseConnection::addConfigured(connection, m_project.db);
            QVERIFY(db.open());
            QVERIFY(db.transaction());
            QSqlQuery lock(db);
            QVERIFY(lock.exec(QStringLiteral("LOCK TABLE auth_group IN ACCESS EXCLUSIVE MODE")));
        }
        QProcess binary;
        binary.setProcessEnvironment(cliEnvironment());
        binary.start(QStringLiteral(MIGRATIONDESK_BINARY),
                     QStringList{QStringLiteral("run"), QStringLiteral("backup"), QStringLiteral("--yes")}
                         + TestBed::localCliArgs(m_project));
        QVERIFY(binary.waitForStarted());
        QList<qint64> dumps;
        QElapsedTimer clock;
        clock.start();
        while (dumps.isEmpty() && clock.elapsed() < 30000) {
            QThread::msleep(100);
            dumps = childrenOf(binary.processId(), "pg_dump");
        }
        QVERIFY2(!dumps.isEmpty(), binary.readAllStandardError().constData());
        // pg_dump really waits on the lock (it is the long step, not something that ends alone).
        QThread::msleep(500);
        QVERIFY(alive(dumps.constFirst()));

        ::kill(pid_t(binary.processId()), SIGKILL);
        QVERIFY(binary.waitForFinished(10000));
        const bool dumpGone = goneWithin(dumps.constFirst(), 5000);
        {
            QSqlDatabase db = QSqlDatabase::database(connection, false);
            db.rollback();
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
        if (!dumpGone)
            ::kill(pid_t(dumps.constFirst()), SIGKILL);
        QVERIFY2(dumpGone, "pg_dump outlived the killed MigrationDesk");

        // The run's folder exists, without its manifest: incomplete, never offered for restore.
        QList<BackupInfo> left;
        for (const BackupInfo &b : BackupStore(config).listAll()) {
            if (!before.contains(b.id))
                left << b;
        }
        QCOMPARE(left.size(), 1);
        QVERIFY(!left.constFirst().complete);
        for (const BackupInfo &b : BackupStore(config).list())
            QVERIFY(b.id != left.constFirst().id);
        QString error;
        QVERIFY(RestorePlans::restore(config, OperationOptions(), left.constFirst(), &error).id.isEmpty());
        QVERIFY2(error.contains(QStringLiteral("incomplete")), qPrintable(error));
    }

    // 3, the thread case: the child of a runner that forked on a worker thread dies with its
    //    parent process too, and not before.
    void childOfWorkerThreadRunnerDiesWithTheParent()
    {
        const QString pidFile = m_tmp.filePath(QStringLiteral("thread-child.pid"));
        QProcess helper;
        helper.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--runner-in-thread"), pidFile});
        QVERIFY(helper.waitForStarted());
        QElapsedTimer clock;
        clock.start();
        while (!QFile::exists(pidFile) && clock.elapsed() < 20000)
            QThread::msleep(50);
        const qint64 child = readFile(pidFile).toLongLong();
        QVERIFY(child > 0);
        QThread::msleep(300);
        QVERIFY(alive(child)); // the worker thread lives: so does its child
        ::kill(pid_t(helper.processId()), SIGKILL);
        QVERIFY(helper.waitForFinished(10000));
        const bool gone = goneWithin(child, 5000);
        if (!gone)
            ::kill(pid_t(-child), SIGKILL);
        QVERIFY2(gone, "the sleep outlived its killed parent");
    }

    // 7e: a step that succeeds but leaves a background process: it ends with the step's group.
    void backgroundProcessOfSuccessfulStepIsEnded()
    {
        const QString pidFile = m_tmp.filePath(QStringLiteral("background.pid"));
        Plan plan;
        plan.title = QStringLiteral("leave a daemon");
        ProcessStep step;
        step.description = QStringLiteral("start something in the background");
        step.program = kScripts + QStringLiteral("leaves_background_child.sh");
        step.args = {pidFile};
        plan.steps << step;
        QByteArray raw;
        const RunResult result = runPlan(plan, QProcessEnvironment(), &raw);
        QVERIFY2(result.success, qPrintable(describe(result)));
        const qint64 pid = readFile(pidFile).toLongLong();
        QVERIFY(pid > 0);
        const bool gone = goneWithin(pid, 1000);
        if (!gone)
            ::kill(pid_t(pid), SIGKILL);
        QVERIFY2(gone, "the background sleep outlived its step");
        QVERIFY(raw.contains("ending them"));
    }

    // 4: a full restore equals the backup: a table made after it is gone, rows are as they were.
    void fullRestoreEqualsTheBackup()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("restore exact"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        RunResult result = runPlan(SafetySteps::backupPlan(p.config, OperationOptions()));
        QVERIFY2(result.success, qPrintable(describe(result)));
        const QList<BackupInfo> backups = BackupStore(p.config).list();
        QCOMPARE(backups.size(), 1);
        const QStringList tables = userTables(p.db);
        const QStringList counts = TestBed::tableRowCounts(p.db);
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("CREATE TABLE made_after_backup (id int); "
                                                      "CREATE SCHEMA later; CREATE TABLE later.notes (id int); "
                                                      "INSERT INTO auth_group (name) VALUES ('late')")));
        QVERIFY(userTables(p.db) != tables);

        QString error;
        const Plan restore = RestorePlans::restore(p.config, OperationOptions(), backups.constFirst(), &error);
        QVERIFY2(!restore.id.isEmpty(), qPrintable(error));
        QByteArray raw;
        result = runPlan(restore, QProcessEnvironment(), &raw);
        QVERIFY2(result.success, qPrintable(describe(result) + QString::fromUtf8(raw.right(3000))));
        QCOMPARE(userTables(p.db), tables);
        QCOMPARE(TestBed::tableRowCounts(p.db), counts);
        QVERIFY2(raw.contains("holds exactly the"), raw.right(2000).constData());
        TestBed::dropDatabase(p.dbName);
    }

    // 7c: a dump whose line ends a TTY translated is named as such.
    void ttyMangledDumpIsNamed()
    {
        const ProjectConfig &config = m_project.config;
        const BackupLocation backup = SafetySteps::newBackup(config, QStringLiteral("backup"));
        Plan plan;
        plan.title = QStringLiteral("backup");
        plan.projectRoot = config.root;
        plan.steps = SafetySteps::databaseBackup(config, OperationOptions(), backup);
        CallStep mangle; // what `docker compose exec` without -T does to the bytes
        mangle.description = QStringLiteral("fault: translate every \\n into \\r\\n");
        const QString dump = backup.dir + QStringLiteral("/database.dump");
        mangle.run = [dump](const CallContext &) {
            QByteArray bytes = readFile(dump);
            bytes.replace("\n", "\r\n");
            return writeFile(dump, bytes) ? QString() : QStringLiteral("cannot rewrite the dump");
        };
        plan.steps.insert(2, mangle);
        const RunResult result = runPlan(plan);
        QVERIFY(!result.success);
        QVERIFY2(result.message.contains(QStringLiteral("corrupt archive (a TTY translated line ends)")),
                 qPrintable(describe(result)));
        QVERIFY(!BackupStore::read(backup.dir).complete);
    }

    // 7d: a rejected password names where it came from.
    void wrongPasswordNamesItsSource()
    {
        const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("wrong password"));
        QVERIFY(!dir.isEmpty());
        const QString envPath = dir + QStringLiteral("/.env");
        QByteArray env = readFile(envPath);
        QStringList lines = QString::fromUtf8(env).split(QLatin1Char('\n'));
        for (QString &line : lines) {
            if (line.startsWith(QStringLiteral("DB_PASSWORD=")))
                line = QStringLiteral("DB_PASSWORD=not-the-password");
        }
        QVERIFY(writeFile(envPath, lines.join(QLatin1Char('\n')).toUtf8()));

        const QByteArray saved = qgetenv("MIGRATIONDESK_DB_PASSWORD");
        qunsetenv("MIGRATIONDESK_DB_PASSWORD");
        ProjectConfig config = ProjectDetector::detect(dir).config;
        config.db.port = TestBed::server().port; // the fixture's .env already points there
        {
            DatabaseConnection connection(config.db, QStringLiteral("wrong"));
            QVERIFY(!connection.open());
            QVERIFY2(connection.error().contains(QStringLiteral("The password came from DB_PASSWORD in %1").arg(envPath)),
                     qPrintable(connection.error()));
        }
        Plan plan;
        plan.title = QStringLiteral("query");
        SqlStep select;
        select.description = QStringLiteral("select");
        select.db = config.db;
        select.statements << SqlStatement{QStringLiteral("SELECT 1"), {}, false, {}};
        plan.steps << select;
        const RunResult result = runPlan(plan);
        QVERIFY(!result.success);
        QVERIFY2(result.message.contains(QStringLiteral("DB_PASSWORD in %1").arg(envPath)), qPrintable(describe(result)));

        qputenv("MIGRATIONDESK_DB_PASSWORD", "also-wrong");
        config = ProjectDetector::detect(dir).config;
        if (saved.isNull())
            qunsetenv("MIGRATIONDESK_DB_PASSWORD");
        else
            qputenv("MIGRATIONDESK_DB_PASSWORD", saved);
        DatabaseConnection connection(config.db, QStringLiteral("wrong-env"));
        QVERIFY(!connection.open());
        QVERIFY2(connection.error().contains(QStringLiteral("MIGRATIONDESK_DB_PASSWORD")), qPrintable(connection.error()));
    }

    // 5: doctor --fix removes the orphans the status table shows, never rows it calls External.
    void doctorFixLeavesExternalRows()
    {
        QVERIFY(TestBed::execSql(m_project.db, QStringLiteral(
            "INSERT INTO django_migrations (app, name, applied) VALUES "
            "('flows', '0099_from_other_branch', now()), ('billing', '0001_initial', now())")));
        const CliRun status = cli(QStringList{QStringLiteral("status")} + TestBed::localCliArgs(m_project), cliEnvironment());
        QVERIFY2(QRegularExpression(QStringLiteral("billing +0001_initial +External")).match(status.out).hasMatch(),
                 qPrintable(status.out + status.err));
        QVERIFY2(QRegularExpression(QStringLiteral("flows +0099_from_other_branch +Orphan")).match(status.out).hasMatch(),
                 qPrintable(status.out + status.err));
        const CliRun fix = cli(QStringList{QStringLiteral("doctor"), QStringLiteral("--fix"), QStringLiteral("--yes")}
                                   + TestBed::localCliArgs(m_project),
                               cliEnvironment());
        QVERIFY2(fix.exitCode != 2, qPrintable(fix.out + fix.err));
        const QString rows = QStringLiteral("SELECT app || '.' || name FROM django_migrations WHERE app || '.' || name IN "
                                            "('flows.0099_from_other_branch', 'billing.0001_initial')");
        QVERIFY2(TestBed::queryStrings(m_project.db, rows) == QStringList{QStringLiteral("billing.0001_initial")},
                 qPrintable(TestBed::queryStrings(m_project.db, rows).join(u' ') + QLatin1Char('\n') + fix.out + fix.err));
        TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'billing'"));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.value(0) == QLatin1String("--runner-in-thread"))
        return runnerInThread(args.value(1));
    TestPgSafetyFindingsCli test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pg_safetyfindingscli.moc"
