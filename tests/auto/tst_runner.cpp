// PlanRunner with real processes: exit codes, stop at the first failure, timeouts, cancel that
// reaches a grandchild (also one that ignores SIGTERM), quitting while a step runs, 50 MB of
// output, a sentinel password that must not leak, file steps and the operation log.

#include "engine/operationlog.h"
#include "engine/planrunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kSentinel = QStringLiteral("Sentinel-Pw-91c4");

QString script(const QString &name)
{
    return QStringLiteral(MIGRATIONDESK_SOURCE_DIR "/tests/support/scripts/") + name;
}

ProcessStep sh(const QString &scriptName, const QStringList &args = {})
{
    ProcessStep step;
    step.description = scriptName;
    step.program = QStringLiteral("/bin/sh");
    step.args = QStringList{script(scriptName)} + args;
    return step;
}

ProcessStep program(const QString &name, const QStringList &args)
{
    ProcessStep step;
    step.description = name;
    step.program = name;
    step.args = args;
    return step;
}

Plan planOf(const QList<PlanStep> &steps)
{
    Plan plan;
    plan.id = QStringLiteral("test");
    plan.title = QStringLiteral("Test plan");
    plan.steps = steps;
    return plan;
}

// Runs plan to the end and returns its result.
RunResult runToEnd(PlanRunner &runner, const Plan &plan, int timeoutMs = 60000)
{
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan))
        return RunResult();
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        return RunResult();
    return finished.constFirst().constFirst().value<RunResult>();
}

// True while pid is a living process (a zombie nobody reaped counts as gone).
bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line.at(close + 2) != 'Z' && line.at(close + 2) != 'X';
}

qint64 waitForPidFile(const QString &path)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            const qint64 pid = f.readAll().trimmed().toLongLong();
            if (pid > 0)
                return pid;
        }
        QTest::qWait(20);
    }
    return 0;
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        // Keep this test's runs out of the user's real operation logs.
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
    }

    void exitCodes_data()
    {
        QTest::addColumn<int>("code");
        QTest::addRow("success") << 0;
        QTest::addRow("one") << 1;
        QTest::addRow("three") << 3;
        QTest::addRow("forty-two") << 42;
    }

    void exitCodes()
    {
        QFETCH(int, code);
        PlanRunner runner;
        QSignalSpy stepFinished(&runner, &PlanRunner::stepFinished);
        const RunResult result = runToEnd(runner, planOf({sh(QStringLiteral("fail_with_output.sh"),
                                                             {QString::number(code)})}));
        QCOMPARE(result.planId, QStringLiteral("test"));
        QCOMPARE(result.success, code == 0);
        QCOMPARE(result.exitCode, code);
        QCOMPARE(stepFinished.size(), 1);
        QCOMPARE(stepFinished.constFirst().at(0).toInt(), 0);
        QCOMPARE(stepFinished.constFirst().at(1).toInt(), code);
        QCOMPARE(result.failedStep, code == 0 ? -1 : 0);
    }

    void stepsRunInOrderWithHeaders()
    {
        PlanRunner runner;
        QSignalSpy started(&runner, &PlanRunner::stepStarted);
        QByteArray out;
        connect(&runner, &PlanRunner::output, this, [&](const QByteArray &chunk, OutputChannel ch) {
            if (ch == OutputChannel::StdOut)
                out += chunk;
        });
        ProcessStep a = program(QStringLiteral("echo"), {QStringLiteral("first")});
        ProcessStep b = program(QStringLiteral("echo"), {QStringLiteral("second word")});
        b.workingDir = m_tmp.path();
        const RunResult result = runToEnd(runner, planOf({a, b}));
        QVERIFY(result.success);
        QCOMPARE(out, QByteArray("first\nsecond word\n"));
        QCOMPARE(started.size(), 2);
        QCOMPARE(started.at(0).at(0).toInt(), 0);
        QVERIFY(started.at(0).at(1).toString().endsWith(QStringLiteral("$ echo first")));
        QVERIFY(started.at(1).at(1).toString().endsWith(QStringLiteral("&& echo 'second word'")));
        QCOMPARE(result.steps.size(), 2);
        QVERIFY(result.steps.at(1).started >= result.steps.at(0).finished);
    }

    void stopsAtFirstFailure()
    {
        const QString marker = m_tmp.filePath(QStringLiteral("second-step-ran"));
        PlanRunner runner;
        QSignalSpy started(&runner, &PlanRunner::stepStarted);
        const RunResult result = runToEnd(
            runner, planOf({sh(QStringLiteral("fail_with_output.sh"), {QStringLiteral("3")}),
                            program(QStringLiteral("touch"), {marker})}));
        QVERIFY(!result.success);
        QCOMPARE(result.failedStep, 0);
        QCOMPARE(result.exitCode, 3);
        QCOMPARE(started.size(), 1);
        QVERIFY(!QFile::exists(marker));
        QCOMPARE(result.steps.size(), 1);
        QVERIFY(result.message.contains(QStringLiteral("exit code 3")));
        QVERIFY(result.failedCommand.contains(QStringLiteral("fail_with_output.sh 3")));
        // The last lines of its error output, not the first ones.
        const QStringList tail = result.errorTail.split(QLatin1Char('\n'));
        QCOMPARE(tail.size(), 10);
        QCOMPARE(tail.constFirst(), QStringLiteral("error line 6"));
        QCOMPARE(tail.constLast(), QStringLiteral("error line 15"));
    }

    void missingProgram()
    {
        PlanRunner runner;
        const RunResult result = runToEnd(runner, planOf({program(QStringLiteral("/nonexistent/tool"), {})}));
        QCOMPARE(result.exitCode, int(StepExit::NotStarted));
        QVERIFY(result.message.contains(QStringLiteral("could not start")));
    }

    void oneRunAtATime()
    {
        PlanRunner runner;
        QSignalSpy finished(&runner, &PlanRunner::finished);
        QVERIFY(runner.start(planOf({program(QStringLiteral("sleep"), {QStringLiteral("0.2")})})));
        QVERIFY(runner.isRunning());
        QVERIFY(!runner.start(planOf({program(QStringLiteral("true"), {})})));
        QVERIFY(finished.wait(10000));
        QVERIFY(!runner.isRunning());
        QVERIFY(finished.constFirst().constFirst().value<RunResult>().success);
    }

    void timeoutEndsStep()
    {
        ProcessStep step = program(QStringLiteral("sleep"), {QStringLiteral("30")});
        step.timeoutMs = 300;
        PlanRunner runner;
        runner.setGracePeriod(1000);
        QElapsedTimer clock;
        clock.start();
        const RunResult result = runToEnd(runner, planOf({step, program(QStringLiteral("true"), {})}));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(result.timedOut);
        QVERIFY(!result.cancelled);
        QCOMPARE(result.exitCode, int(StepExit::TimedOut));
        QCOMPARE(result.failedStep, 0);
        QCOMPARE(result.steps.size(), 1);
    }

    void cancelKillsGrandchild_data()
    {
        QTest::addColumn<bool>("ignoreTerm");
        QTest::addRow("grandchild obeys SIGTERM") << false;
        QTest::addRow("grandchild ignores SIGTERM") << true;
    }

    void cancelKillsGrandchild()
    {
        QFETCH(bool, ignoreTerm);
        const QString pidFile = m_tmp.filePath(QStringLiteral("grandchild-%1.pid").arg(ignoreTerm));
        QStringList args{pidFile};
        if (ignoreTerm)
            args << QStringLiteral("ignore-term");
        const QString marker = m_tmp.filePath(QStringLiteral("after-cancel-%1").arg(ignoreTerm));

        PlanRunner runner;
        runner.setGracePeriod(500);
        QSignalSpy finished(&runner, &PlanRunner::finished);
        QVERIFY(runner.start(planOf({sh(QStringLiteral("wrapper_with_grandchild.sh"), args),
                                     program(QStringLiteral("touch"), {marker})})));
        const qint64 grandchild = waitForPidFile(pidFile);
        QVERIFY(grandchild > 0);
        QVERIFY(processAlive(grandchild));
        const qint64 wrapper = runner.processId();
        QVERIFY(wrapper > 0);
        QVERIFY(wrapper != grandchild);

        QElapsedTimer clock;
        clock.start();
        runner.cancel();
        QVERIFY(finished.wait(10000));
        const RunResult result = finished.constFirst().constFirst().value<RunResult>();
        QVERIFY(result.cancelled);
        QCOMPARE(result.exitCode, int(StepExit::Cancelled));
        QCOMPARE(result.failedStep, 0);
        QVERIFY(!QFile::exists(marker));
        // Gone by the time finished() arrives: no orphan survives a cancel.
        QVERIFY2(!processAlive(grandchild), qPrintable(QString::number(grandchild)));
        QVERIFY(!processAlive(wrapper));
        if (ignoreTerm)
            QVERIFY(clock.elapsed() >= 400); // needed the SIGKILL after the grace period
    }

    void quittingWhileRunningLeavesNoOrphans()
    {
        const QString pidFile = m_tmp.filePath(QStringLiteral("quit.pid"));
        const QString log = m_tmp.filePath(QStringLiteral("quit-log.jsonl"));
        auto *runner = new PlanRunner;
        runner->setGracePeriod(500);
        runner->setLogPath(log);
        QVERIFY(runner->start(planOf({sh(QStringLiteral("wrapper_with_grandchild.sh"),
                                         {pidFile, QStringLiteral("ignore-term")})})));
        const qint64 grandchild = waitForPidFile(pidFile);
        QVERIFY(grandchild > 0);
        QVERIFY(processAlive(grandchild));
        delete runner;
        QVERIFY(!processAlive(grandchild));
        QFile f(log);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        QCOMPARE(line.value(QStringLiteral("cancelled")).toBool(), true);
    }

    void largeOutputArrivesComplete()
    {
        constexpr qint64 size = 50LL * 1024 * 1024;
        PlanRunner runner;
        qint64 bytes = 0;
        qint64 zeros = 0;
        connect(&runner, &PlanRunner::output, this, [&](const QByteArray &chunk, OutputChannel ch) {
            if (ch == OutputChannel::StdOut) {
                bytes += chunk.size();
                zeros += chunk.count('\0');
            }
        });
        QElapsedTimer clock;
        clock.start();
        const RunResult result = runToEnd(
            runner, planOf({program(QStringLiteral("head"), {QStringLiteral("-c"), QString::number(size),
                                                             QStringLiteral("/dev/zero")})}),
            120000);
        QVERIFY(result.success);
        QCOMPARE(bytes, size);
        QCOMPARE(zeros, size);
        qInfo("50 MB through the runner in %lld ms", clock.elapsed());
    }

    void hiddenOutputIsNotForwarded()
    {
        ProcessStep step = program(QStringLiteral("echo"), {QStringLiteral("hidden")});
        step.showOutput = false;
        PlanRunner runner;
        QSignalSpy output(&runner, &PlanRunner::output);
        const RunResult result = runToEnd(runner, planOf({step}));
        QVERIFY(result.success);
        QCOMPARE(output.size(), 0);
    }

    void stdoutToFile()
    {
        ProcessStep step = program(QStringLiteral("echo"), {QStringLiteral("into a file")});
        step.stdoutFile = m_tmp.filePath(QStringLiteral("out file.txt"));
        PlanRunner runner;
        const RunResult result = runToEnd(runner, planOf({step}));
        QVERIFY(result.success);
        QFile f(step.stdoutFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("into a file\n"));
    }

    void sentinelPasswordNeverLeaks()
    {
        const QString pidFile = m_tmp.filePath(QStringLiteral("probe.pid"));
        const QString log = m_tmp.filePath(QStringLiteral("secret-log.jsonl"));
        ProcessStep step = sh(QStringLiteral("secret_probe.sh"), {pidFile});
        step.env << EnvVar{QStringLiteral("DB_PASSWORD"), kSentinel, true};
        Plan plan = planOf({step});
        plan.addSecret(kSentinel);

        PlanRunner runner;
        runner.setLogPath(log);
        runner.setMaskedTextEnabled(true);
        QSignalSpy finished(&runner, &PlanRunner::finished);
        QSignalSpy started(&runner, &PlanRunner::stepStarted);
        QByteArray raw;
        QString text[2];
        connect(&runner, &PlanRunner::output, this, [&](const QByteArray &chunk, OutputChannel) { raw += chunk; });
        connect(&runner, &PlanRunner::maskedText, this, [&](const QString &t, OutputChannel ch) {
            text[ch == OutputChannel::StdOut ? 0 : 1] += t;
        });
        QVERIFY(runner.start(plan));

        const qint64 pid = waitForPidFile(pidFile);
        QVERIFY(pid > 0);
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray argv = cmdline.readAll();
        QVERIFY(argv.contains("secret_probe.sh")); // it is the child we think it is
        QVERIFY(!argv.contains(kSentinel.toUtf8()));
        QFile go(pidFile + QStringLiteral(".go"));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();

        QVERIFY(finished.wait(10000));
        const RunResult result = finished.constFirst().constFirst().value<RunResult>();
        QCOMPARE(result.exitCode, 5);
        // The child really had it (raw bytes go to the console, which masks them itself) ...
        QVERIFY(raw.contains(kSentinel.toUtf8()));
        // ... but no text that leaves the runner shows it.
        QCOMPARE(text[0], QStringLiteral("password is \u2022\u2022\u2022\u2022\n"));
        QCOMPARE(text[1], QStringLiteral("error: password \u2022\u2022\u2022\u2022 rejected\n"));
        QVERIFY(!started.constFirst().at(1).toString().contains(kSentinel));
        QVERIFY(result.errorTail.contains(QStringLiteral("password \u2022\u2022\u2022\u2022 rejected")));
        QVERIFY(!result.errorTail.contains(kSentinel));
        QVERIFY(!result.message.contains(kSentinel));
        QFile logFile(log);
        QVERIFY(logFile.open(QIODevice::ReadOnly));
        const QByteArray logBytes = logFile.readAll();
        QVERIFY(!logBytes.isEmpty());
        QVERIFY(!logBytes.contains(kSentinel.toUtf8()));
        QVERIFY(logBytes.contains("DB_PASSWORD=\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"));
    }

    void fileStepBacksUpThenDeletes()
    {
        QTemporaryDir base;
        QVERIFY(base.isValid());
        const QDir dir(base.path());
        QVERIFY(dir.mkpath(QStringLiteral("crm/migrations/__pycache__")));
        auto write = [&](const QString &rel, const QByteArray &content) {
            QFile f(dir.filePath(rel));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        };
        write(QStringLiteral("crm/migrations/__init__.py"), "");
        write(QStringLiteral("crm/migrations/0001_initial.py"), "# initial\n");
        write(QStringLiteral("crm/migrations/__pycache__/0001_initial.cpython-311.pyc"), "pyc");

        FileStep step;
        step.description = QStringLiteral("delete migration files");
        step.baseDir = base.path();
        step.paths = {QStringLiteral("crm/migrations/0001_initial.py"), QStringLiteral("crm/migrations/__pycache__")};
        step.backupDir = m_tmp.filePath(QStringLiteral("backup \u00fc"));
        step.remove = true;
        PlanRunner runner;
        const RunResult result = runToEnd(runner, planOf({step}));
        QVERIFY2(result.success, qPrintable(result.message + result.errorTail));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("crm/migrations/0001_initial.py"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("crm/migrations/__pycache__"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("crm/migrations/__init__.py"))));
        QFile copy(step.backupDir + QStringLiteral("/crm/migrations/0001_initial.py"));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), QByteArray("# initial\n"));
        QVERIFY(QFile::exists(step.backupDir + QStringLiteral("/crm/migrations/__pycache__/0001_initial.cpython-311.pyc")));
    }

    // A migrations folder that is a symlink leads out of the project; ".." does too. Nothing is
    // deleted, not even the paths that were fine.
    void fileStepRefusesPathsOutsideItsFolder_data()
    {
        QTest::addColumn<QString>("badPath");
        QTest::addRow("symlinked migrations folder") << QStringLiteral("linked/migrations/0001_initial.py");
        QTest::addRow("dot-dot") << QStringLiteral("crm/../../outside/migrations/0001_initial.py");
    }

    void fileStepRefusesPathsOutsideItsFolder()
    {
        QFETCH(QString, badPath);
        QTemporaryDir tmp;
        const QDir dir(tmp.path());
        QVERIFY(dir.mkpath(QStringLiteral("project/crm/migrations")));
        QVERIFY(dir.mkpath(QStringLiteral("outside/migrations")));
        QVERIFY(dir.mkpath(QStringLiteral("project/linked")));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("outside/migrations")),
                            dir.filePath(QStringLiteral("project/linked/migrations"))));
        for (const QString &rel : {QStringLiteral("project/crm/migrations/0001_initial.py"),
                                   QStringLiteral("outside/migrations/0001_initial.py")}) {
            QFile f(dir.filePath(rel));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("# migration\n");
        }
        FileStep step;
        step.description = QStringLiteral("delete migration files");
        step.baseDir = dir.filePath(QStringLiteral("project"));
        step.paths = {QStringLiteral("crm/migrations/0001_initial.py"), badPath};
        step.remove = true;
        PlanRunner runner;
        const RunResult result = runToEnd(runner, planOf({step}));
        QVERIFY(!result.success);
        QVERIFY2(result.message.contains(QLatin1String("outside")) || result.errorTail.contains(QLatin1String("outside")),
                 qPrintable(result.message + result.errorTail));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("outside/migrations/0001_initial.py"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("project/crm/migrations/0001_initial.py"))));
    }

    void operationLogLine()
    {
        QTemporaryDir project;
        QVERIFY(project.isValid());
        Plan plan = planOf({program(QStringLiteral("echo"), {QStringLiteral("hello")}),
                            sh(QStringLiteral("fail_with_output.sh"), {QStringLiteral("7")})});
        plan.projectRoot = project.path();
        const QString path = OperationLog::pathForProject(project.path());
        QVERIFY(path.startsWith(m_tmp.filePath(QStringLiteral("state/projects/"))));
        QVERIFY(path.endsWith(QStringLiteral("/operations.jsonl")));

        PlanRunner runner;
        QCOMPARE(runner.logPath(plan), path);
        runToEnd(runner, plan);
        runToEnd(runner, plan);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QJsonParseError error;
        const QJsonObject line = QJsonDocument::fromJson(lines.constLast(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(line.value(QStringLiteral("plan")).toString(), QStringLiteral("test"));
        QCOMPARE(line.value(QStringLiteral("exitCode")).toInt(), 7);
        QCOMPARE(line.value(QStringLiteral("failedStep")).toInt(), 1);
        QCOMPARE(line.value(QStringLiteral("success")).toBool(), false);
        QVERIFY(!line.value(QStringLiteral("user")).toString().isEmpty());
        QVERIFY(!line.value(QStringLiteral("host")).toString().isEmpty());
        QVERIFY(!line.value(QStringLiteral("start")).toString().isEmpty());
        QVERIFY(!line.value(QStringLiteral("end")).toString().isEmpty());
        const QJsonArray steps = line.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(0).toObject().value(QStringLiteral("command")).toString(), QStringLiteral("echo hello"));
        QCOMPARE(steps.at(0).toObject().value(QStringLiteral("exitCode")).toInt(), 0);
        QCOMPARE(steps.at(1).toObject().value(QStringLiteral("exitCode")).toInt(), 7);
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
