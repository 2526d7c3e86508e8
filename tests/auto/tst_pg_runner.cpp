// The engine against the real test bed: SQL steps in one transaction with bound values, the
// wait step, and the shipped operations end to end on the migrated Hanna-shaped fixture, both
// through PlanRunner and through `migrationdesk run` (runOperationCommand, in process).

#include "testbed.h"

#include "cli/runcommand.h"
#include "db/databaseconnection.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "safety/guardedrunner.h"
#include "targets/targets.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

struct Run
{
    RunResult result;
    QString out;
    QString err;
};

Run runPlan(const Plan &plan, const QString &logPath,
            const QProcessEnvironment &env = QProcessEnvironment(), int timeoutMs = 120000)
{
    Run run;
    GuardedRunner runner;
    if (!env.isEmpty())
        runner.setEnvironment(env);
    runner.setLogPath(logPath);
    runner.setMaskedTextEnabled(true);
    QObject::connect(&runner, &PlanRunner::maskedText, [&](const QString &text, OutputChannel ch) {
        (ch == OutputChannel::StdOut ? run.out : run.err) += text;
    });
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan) || !finished.wait(timeoutMs))
        return run;
    run.result = finished.constFirst().constFirst().value<RunResult>();
    return run;
}

// Redirects this process's stdout and stderr (fds 1 and 2) into files while a CLI command runs.
class OutputCapture
{
public:
    OutputCapture()
    {
        m_out.open();
        m_err.open();
        std::fflush(stdout);
        std::fflush(stderr);
        m_savedOut = ::dup(1);
        m_savedErr = ::dup(2);
        ::dup2(m_out.handle(), 1);
        ::dup2(m_err.handle(), 2);
    }
    void finish(QString *out, QString *err)
    {
        std::fflush(stdout);
        std::fflush(stderr);
        ::dup2(m_savedOut, 1);
        ::dup2(m_savedErr, 2);
        ::close(m_savedOut);
        ::close(m_savedErr);
        m_out.seek(0);
        m_err.seek(0);
        *out = QString::fromUtf8(m_out.readAll());
        *err = QString::fromUtf8(m_err.readAll());
    }

private:
    QTemporaryFile m_out;
    QTemporaryFile m_err;
    int m_savedOut = -1;
    int m_savedErr = -1;
};

int runCli(const QStringList &args, QString *out, QString *err)
{
    OutputCapture capture;
    const int code = runOperationCommand(args);
    capture.finish(out, err);
    return code;
}

} // namespace

class TestPgRunner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_db; // scratch database for the SQL tests
    TestBed::MigratedProject m_project;

    DbSettings scratch() const
    {
        DbSettings db = TestBed::server();
        db.name = m_db;
        return db;
    }

    QStringList projectArgs() const { return TestBed::localCliArgs(m_project); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
        QVERIFY2(TestBed::available(), "the test PostgreSQL cluster is not running (CTest fixture pg)");
        m_db = TestBed::createDatabase(QStringLiteral("engine"));
        QVERIFY(!m_db.isEmpty());
        QString error;
        QVERIFY2(TestBed::execSql(scratch(), QStringLiteral("CREATE TABLE notes (id integer PRIMARY KEY, body text)"),
                                  &error), qPrintable(error));
        // A folder with spaces and non-ASCII, as users have.
        m_project = TestBed::migratedProject(m_tmp.filePath(QStringLiteral("Mein Projekt \u00fc")));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
        qputenv("MIGRATIONDESK_DB_PASSWORD", m_project.db.password.toUtf8());
    }

    void cleanupTestCase()
    {
        if (!m_db.isEmpty())
            TestBed::dropDatabase(m_db);
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

    void sqlFailureRollsBackTheWholeStep()
    {
        QVERIFY(TestBed::execSql(scratch(), QStringLiteral("DELETE FROM notes")));
        SqlStep step;
        step.description = QStringLiteral("two inserts");
        step.db = scratch();
        step.statements << SqlStatement{QStringLiteral("INSERT INTO notes (id, body) VALUES (?, ?)"),
                                        {1, QStringLiteral("first")}, false}
                        << SqlStatement{QStringLiteral("INSERT INTO no_such_table (id) VALUES (?)"), {2}, false};
        Plan plan;
        plan.id = QStringLiteral("sql");
        plan.title = QStringLiteral("SQL");
        plan.steps << step;
        const Run run = runPlan(plan, QStringLiteral("-"));
        QVERIFY(!run.result.success);
        QCOMPARE(run.result.exitCode, int(StepExit::Failed));
        QCOMPARE(run.result.failedStep, 0);
        QVERIFY2(run.result.errorTail.contains(QStringLiteral("no_such_table")), qPrintable(run.result.errorTail));
        QVERIFY(run.result.errorTail.contains(QStringLiteral("rolled back")));
        // The first INSERT succeeded on its own, yet nothing stays.
        QCOMPARE(TestBed::queryStrings(scratch(), QStringLiteral("SELECT count(*) FROM notes")),
                 QStringList{QStringLiteral("0")});
    }

    void sqlBindsValuesAndPrintsRows()
    {
        QVERIFY(TestBed::execSql(scratch(), QStringLiteral("DELETE FROM notes")));
        const QString nasty = QStringLiteral("it's \u00fc'); DROP TABLE notes; --");
        SqlStep step;
        step.description = QStringLiteral("insert and read");
        step.db = scratch();
        step.statements << SqlStatement{QStringLiteral("INSERT INTO notes (id, body) VALUES (?, ?)"), {7, nasty}, false}
                        << SqlStatement{QStringLiteral("SELECT id, body FROM notes WHERE id = ?"), {7}, true};
        Plan plan;
        plan.id = QStringLiteral("sql");
        plan.title = QStringLiteral("SQL");
        plan.steps << step;
        const Run run = runPlan(plan, QStringLiteral("-"));
        QVERIFY2(run.result.success, qPrintable(run.result.message + run.result.errorTail));
        QCOMPARE(TestBed::queryStrings(scratch(), QStringLiteral("SELECT id, body FROM notes")),
                 QStringList{QStringLiteral("7|") + nasty});
        QVERIFY2(run.out.contains(QStringLiteral(" id | body")), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral(" 7  | ") + nasty));
        QVERIFY(run.out.contains(QStringLiteral("(1 row)")));
    }

    void sqlConnectFailureSaysWhere()
    {
        SqlStep step;
        step.description = QStringLiteral("wrong password");
        step.db = scratch();
        step.db.password = QStringLiteral("Wrong-Sentinel-5521");
        step.statements << SqlStatement{QStringLiteral("SELECT 1"), {}, false};
        Plan plan;
        plan.id = QStringLiteral("sql");
        plan.title = QStringLiteral("SQL");
        plan.steps << step;
        plan.addSecret(step.db.password);
        const Run run = runPlan(plan, QStringLiteral("-"));
        QCOMPARE(run.result.exitCode, int(StepExit::Failed));
        QVERIFY2(run.result.errorTail.contains(QStringLiteral("cannot connect to ") + m_db), qPrintable(run.result.errorTail));
        QVERIFY(!run.result.errorTail.contains(step.db.password));
        QVERIFY(!run.err.contains(step.db.password));
    }

    void waitStep()
    {
        WaitStep up;
        up.description = QStringLiteral("server is up");
        up.db = TestBed::server();
        up.timeoutMs = 10000;
        Plan plan;
        plan.id = QStringLiteral("wait");
        plan.title = QStringLiteral("Wait");
        plan.steps << up;
        Run run = runPlan(plan, QStringLiteral("-"));
        QVERIFY2(run.result.success, qPrintable(run.result.errorTail));
        QVERIFY(run.out.contains(QStringLiteral("accepts connections")));

        // Nobody listens on port 1: the step gives up after its timeout.
        WaitStep down = up;
        down.db.port = 1;
        down.timeoutMs = 1500;
        down.intervalMs = 200;
        plan.steps = {down};
        QElapsedTimer clock;
        clock.start();
        run = runPlan(plan, QStringLiteral("-"));
        QCOMPARE(run.result.exitCode, int(StepExit::TimedOut));
        QVERIFY(clock.elapsed() >= 1200);
        QVERIFY2(clock.elapsed() < 8000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(run.result.errorTail.contains(QStringLiteral("did not accept connections")));
    }

    void waitStepCancels()
    {
        WaitStep down;
        down.description = QStringLiteral("never up");
        down.db = TestBed::server();
        down.db.port = 1;
        down.timeoutMs = 60000;
        Plan plan;
        plan.id = QStringLiteral("wait");
        plan.title = QStringLiteral("Wait");
        plan.steps << down;
        GuardedRunner runner;
        runner.setLogPath(QStringLiteral("-"));
        QSignalSpy finished(&runner, &PlanRunner::finished);
        QVERIFY(runner.start(plan));
        QTest::qWait(300);
        QElapsedTimer clock;
        clock.start();
        runner.cancel();
        QVERIFY(finished.wait(5000));
        QVERIFY(clock.elapsed() < 3000);
        QVERIFY(finished.constFirst().constFirst().value<RunResult>().cancelled);
    }

    void localShowMigrationsEndToEnd()
    {
        const Plan plan = OperationCatalog::build(QStringLiteral("showmigrations"), m_project.config);
        const QString log = m_tmp.filePath(QStringLiteral("showmigrations.jsonl"));
        const Run run = runPlan(plan, log);
        QVERIFY2(run.result.success, qPrintable(run.result.message + QLatin1Char('\n') + run.result.errorTail));
        // Every app of the fixture, all applied after migrate.
        for (const QString &app : {QStringLiteral("conversations"), QStringLiteral("customer_data"),
                                   QStringLiteral("flows"), QStringLiteral("meta_integration")})
            QVERIFY2(run.out.contains(app + QLatin1Char('\n')), qPrintable(app + QStringLiteral(" in:\n") + run.out));
        QVERIFY(run.out.contains(QStringLiteral(" [X] 0001_initial")));
        QVERIFY(!run.out.contains(QStringLiteral("[ ]")));
        QFile f(log);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.contains("\"plan\":\"showmigrations\""));
        QVERIFY(!bytes.contains(m_project.db.password.toUtf8()));
    }

    void historyEndToEnd()
    {
        const Plan plan = OperationCatalog::build(QStringLiteral("history"), m_project.config);
        const Run run = runPlan(plan, QStringLiteral("-"));
        QVERIFY2(run.result.success, qPrintable(run.result.errorTail));
        const QStringList count = TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations"));
        QCOMPARE(count.size(), 1);
        QVERIFY(count.constFirst().toInt() > 5);
        QVERIFY(run.out.startsWith(QStringLiteral(" app ")));
        QVERIFY2(run.out.contains(QStringLiteral("(%1 rows)").arg(count.constFirst())), qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("| 0001_initial ")));
    }

    void cliListAndDryRun()
    {
        QString out, err;
        QCOMPARE(runCli({QStringLiteral("--list")}, &out, &err), 0);
        QVERIFY(out.contains(QStringLiteral("showmigrations")));
        QVERIFY(out.contains(QStringLiteral("history")));

        QCOMPARE(runCli({QStringLiteral("no-such-operation")}, &out, &err), 2);
        QVERIFY(err.contains(QStringLiteral("unknown operation")));

        QCOMPARE(runCli(QStringList{QStringLiteral("showmigrations"), QStringLiteral("--dry-run")} + projectArgs(),
                        &out, &err), 0);
        // Exactly the preview the GUI shows, and it names the interpreter and the backend folder.
        QVERIFY2(out.contains(QStringLiteral("/usr/bin/python3 -u manage.py showmigrations")), qPrintable(out + err));
        QVERIFY(out.contains(QStringLiteral("DB_PASSWORD=\u2022\u2022\u2022\u2022")));
        QVERIFY(!out.contains(m_project.db.password));
        QVERIFY(out.startsWith(QStringLiteral("# Show migrations\n")));
    }

    void cliRunsShowMigrations()
    {
        QString out, err;
        const int code = runCli(QStringList{QStringLiteral("showmigrations")} + projectArgs(), &out, &err);
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY(out.contains(QStringLiteral(" [X] 0001_initial")));
        QVERIFY(err.contains(QStringLiteral("$ cd ")));
        QVERIFY(!out.contains(m_project.db.password) && !err.contains(m_project.db.password));

        // A failing step: its exit code, and what failed.
        const int failed = runCli(QStringList{QStringLiteral("history")} + projectArgs()
                                      + QStringList{QStringLiteral("--db-name"), QStringLiteral("no_such_db_x")},
                                  &out, &err);
        QCOMPARE(failed, int(StepExit::Failed));
        QVERIFY2(err.contains(QStringLiteral("no_such_db_x")), qPrintable(err));
    }

    void cliPerMigration()
    {
        // sqlmigrate: the SQL of one migration, from real Django, nothing changed.
        QString out, err;
        QCOMPARE(runCli(QStringList{QStringLiteral("sqlmigrate"), QStringLiteral("--app"), QStringLiteral("customer_data"),
                                    QStringLiteral("--name"), QStringLiteral("0001_initial")} + projectArgs(), &out, &err), 0);
        QVERIFY2(out.contains(QStringLiteral("CREATE TABLE")), qPrintable(out + err));

        // Back one migration of customer_data: destructive, so --yes; a dump first; one row fewer.
        const auto rows = [this] {
            DatabaseConnection connection(m_project.db, QStringLiteral("permigration"));
            if (!connection.open())
                return -1;
            QSqlQuery q(connection.database());
            return q.exec(QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'customer_data'")) && q.next()
                ? q.value(0).toInt() : -1;
        };
        const int before = rows();
        QVERIFY(before >= 2);
        const QStringList back = QStringList{QStringLiteral("migrate"), QStringLiteral("--app"), QStringLiteral("customer_data"),
                                             QStringLiteral("--to"), QStringLiteral("0001_initial")} + projectArgs();
        QVERIFY(runCli(back, &out, &err) != 0); // no --yes: refused, nothing ran
        QCOMPARE(rows(), before);
        QCOMPARE(runCli(back + QStringList{QStringLiteral("--yes")}, &out, &err), 0);
        QVERIFY2((out + err).contains(QStringLiteral("pg_dump")), qPrintable(out + err));
        QCOMPARE(rows(), 1);
        // And forward again.
        QCOMPARE(runCli(QStringList{QStringLiteral("migrate"), QStringLiteral("--app"), QStringLiteral("customer_data"),
                                    QStringLiteral("--yes")} + projectArgs(), &out, &err), 0);
        QCOMPARE(rows(), before);
    }

    void cliCtrlCCancels()
    {
        // A hanging interpreter: Ctrl+C must end it (and its child) and exit 130.
        const QString sleepy = QStringLiteral(MIGRATIONDESK_SOURCE_DIR "/tests/support/scripts/sleepy_python.sh");
        QStringList args = QStringList{QStringLiteral("check")} + projectArgs();
        args[args.indexOf(QString::fromLatin1(TestBed::kPython))] = sleepy;
        // Ctrl+C once the interpreter has printed its line: a fixed delay raced a loaded machine.
        const QString started = m_tmp.filePath(QStringLiteral("sleepy-started"));
        QFile::remove(started);
        qputenv("SLEEPY_PYTHON_STARTED", started.toLocal8Bit());
        QTimer poll;
        poll.setInterval(20);
        QObject::connect(&poll, &QTimer::timeout, [&poll, started] {
            if (QFile::exists(started)) {
                poll.stop();
                QTimer::singleShot(200, [] { ::raise(SIGINT); }); // its output reaches the runner first
            }
        });
        poll.start();
        QElapsedTimer clock;
        clock.start();
        QString out, err;
        const int code = runCli(args, &out, &err);
        QCOMPARE(code, int(StepExit::Cancelled));
        QVERIFY(clock.elapsed() < 10000);
        qunsetenv("SLEEPY_PYTHON_STARTED");
        QVERIFY2(out.contains(QStringLiteral("sleepy python")), qPrintable(out + err));
        QVERIFY(err.contains(QStringLiteral("Cancelled")));
    }
};

QTEST_GUILESS_MAIN(TestPgRunner)
#include "tst_pg_runner.moc"
