#include "engine/planrunner.h"

#include "engine/operationlog.h"
#include "engine/stepworker.h"
#include "plan/planrenderer.h"
#include "platform/childprocess.h"
#include "platform/processgroup.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace {

constexpr qsizetype kTailBytes = 8192;
constexpr int kTailLines = 10;
constexpr int kKillDeadlineMs = 2000;
constexpr qsizetype kMaxCaptured = 32 * 1024 * 1024; // output kept for checks (a dump's TOC)

int channelIndex(OutputChannel c) { return c == OutputChannel::StdOut ? 0 : 1; }

// Last lines of a step's error output, decoded and masked.
QString tailLines(const QByteArray &bytes, const SecretMasker &masker)
{
    QStringList lines = masker.apply(QString::fromUtf8(bytes)).split(QLatin1Char('\n'));
    lines.removeIf([](const QString &l) { return l.trimmed().isEmpty(); });
    if (lines.size() > kTailLines)
        lines = lines.mid(lines.size() - kTailLines);
    return lines.join(QLatin1Char('\n'));
}

// The explanation of the first failure hint of a process step that matches its output.
QString failureHint(const PlanStep &step, const QByteArray &output)
{
    const auto *process = std::get_if<ProcessStep>(&step);
    if (!process || process->failureHints.isEmpty())
        return QString();
    const QString text = QString::fromUtf8(output);
    for (const FailureHint &hint : process->failureHints) {
        const QRegularExpression re(hint.pattern, QRegularExpression::MultilineOption);
        if (re.isValid() && re.match(text).hasMatch())
            return hint.explanation;
    }
    return QString();
}

QString resolveProgram(const QString &program, const QProcessEnvironment &env)
{
    if (program.contains(QLatin1Char('/')))
        return program;
    // The child's PATH decides (tests put the fake docker first), not ours.
    const QString found = QStandardPaths::findExecutable(
        program, env.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts));
    return found.isEmpty() ? program : found;
}

} // namespace

PlanRunner::PlanRunner(QObject *parent)
    : QObject(parent)
    , m_timeoutTimer(new QTimer(this))
    , m_killTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
{
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<OutputChannel>();
    m_timeoutTimer->setSingleShot(true);
    m_killTimer->setSingleShot(true);
    m_pollTimer->setInterval(50);
    connect(m_timeoutTimer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        endGroup();
    });
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        if (m_killSent) {
            // SIGKILL was sent a while ago and something is still listed (e.g. an unreaped zombie
            // of a grandchild): do not hang the run on it.
            if (m_processExited)
                concludeStep(m_processExitCode, QString());
            return;
        }
        if (m_pgid > 0)
            ProcessGroup::kill(m_pgid);
        m_killSent = true;
        m_killTimer->start(kKillDeadlineMs);
        if (m_processExited)
            m_pollTimer->start(); // concludes once the group is really gone
    });
    connect(m_pollTimer, &QTimer::timeout, this, &PlanRunner::pollGroup);
}

PlanRunner::~PlanRunner()
{
    if (m_process) {
        m_process->disconnect(this);
        const qint64 pgid = m_pgid;
        if (pgid > 0) {
            ProcessGroup::terminate(pgid);
            m_process->waitForFinished(m_graceMs); // reaps the leader, so alive() sees the rest
            ProcessGroup::endBlocking(pgid, m_graceMs, kKillDeadlineMs);
        }
        m_process->waitForFinished(1000);
        delete m_process;
    }
    m_workerCancel = true;
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        delete m_worker;
    }
    if (m_running) {
        m_result.cancelled = true;
        m_result.exitCode = StepExit::Cancelled;
        m_result.failedStep = m_index;
        m_result.message = QStringLiteral("Cancelled: the application quit while step %1 ran.")
                               .arg(m_index + 1);
        m_result.finished = QDateTime::currentDateTime();
        const QString path = logPath(m_plan);
        if (!path.isEmpty())
            OperationLog::append(path, m_plan, m_result);
    }
}

QString PlanRunner::logPath(const Plan &plan) const
{
    if (m_logPath == QLatin1String("-"))
        return QString();
    if (!m_logPath.isEmpty())
        return m_logPath;
    if (plan.projectRoot.isEmpty())
        return QString();
    return OperationLog::pathForProject(plan.projectRoot);
}

qint64 PlanRunner::processId() const
{
    return m_process ? m_process->processId() : 0;
}

bool PlanRunner::start(const Plan &plan, int fromStep)
{
    if (m_running)
        return false;
    fromStep = std::clamp(fromStep, 0, int(plan.steps.size()));
    m_plan = plan;
    m_result = RunResult();
    m_result.planId = plan.id;
    m_result.title = plan.title;
    m_result.started = QDateTime::currentDateTime();
    m_running = true;
    m_cancelRequested = false;
    m_workerCancel = false;
    m_index = -1;
    m_fromStep = fromStep;
    m_result.firstStep = fromStep;
    for (MaskedTextDecoder &t : m_texts)
        t.setSecrets(plan.secrets);

    notify([&](RunObserver &o) { return o.runStarted(plan, fromStep, m_result.started); });

    if (m_preflight.isSet() && m_preflight.needed(plan, fromStep)) {
        ensureWorker();
        m_inPreflight = true;
        StepWorker *worker = m_worker;
        const QProcessEnvironment env = m_environment.isEmpty() ? QProcessEnvironment::systemEnvironment()
                                                                : m_environment;
        const Plan copy = plan;
        const RunPreflight preflight = m_preflight;
        QMetaObject::invokeMethod(
            worker, [worker, preflight, copy, env, fromStep] { worker->runPreflight(preflight, copy, env, fromStep); },
            Qt::QueuedConnection);
        return true;
    }
    // Asynchronous even for the first step: callers connect and return before anything happens.
    QMetaObject::invokeMethod(this, [this, fromStep] { startStep(fromStep); }, Qt::QueuedConnection);
    return true;
}

void PlanRunner::onPreflightDone(const QStringList &problems)
{
    if (!m_running || !m_inPreflight)
        return;
    m_inPreflight = false;
    if (m_cancelRequested || problems.isEmpty()) {
        startStep(m_fromStep); // a cancel is reported there
        return;
    }
    const SecretMasker masker(m_plan.secrets);
    for (const QString &problem : problems)
        m_result.problems << masker.apply(problem);
    m_result.exitCode = StepExit::Failed;
    m_result.errorTail = m_result.problems.join(QLatin1Char('\n'));
    m_result.message = QStringLiteral("%1 was not started: the pre-flight check found %2 problem(s). "
                                      "Nothing was changed.\n")
                           .arg(m_plan.title, QString::number(problems.size()))
        + m_result.errorTail;
    const QByteArray text = (m_result.message + QLatin1Char('\n')).toUtf8();
    emit output(text, OutputChannel::StdErr);
    if (m_textEnabled)
        emit maskedText(QString::fromUtf8(text), OutputChannel::StdErr);
    finishRun();
}

void PlanRunner::notify(const std::function<QString(RunObserver &)> &call)
{
    for (const std::shared_ptr<RunObserver> &observer : std::as_const(m_observers))
        warn(call(*observer));
}

void PlanRunner::warn(const QString &warning)
{
    if (warning.isEmpty())
        return;
    const QByteArray text = QStringLiteral("warning: %1\n").arg(warning).toUtf8();
    emit output(text, OutputChannel::StdErr);
    if (m_textEnabled)
        emit maskedText(QString::fromUtf8(text), OutputChannel::StdErr);
}

QString PlanRunner::checkOutput()
{
    QByteArray bytes = m_captured;
    if (!m_checkFile.isEmpty()) {
        QFile file(m_checkFile);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read %1 to check it").arg(m_checkFile);
        bytes = file.read(kMaxCaptured);
    }
    const QString text = QString::fromUtf8(bytes);
    for (const OutputCheck &check : std::as_const(m_checks)) {
        const QRegularExpression re(check.pattern, QRegularExpression::MultilineOption);
        if (!re.isValid() || !re.match(text).hasMatch())
            return QStringLiteral("output check failed: %1").arg(check.description);
    }
    return QString();
}

void PlanRunner::cancel()
{
    if (!m_running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_workerCancel = true;
    if (m_process)
        endGroup();
}

void PlanRunner::startStep(int index)
{
    if (!m_running)
        return;
    if (m_cancelRequested) {
        m_result.cancelled = true;
        m_result.exitCode = StepExit::Cancelled;
        m_result.failedStep = index;
        m_result.message = QStringLiteral("Cancelled before step %1.").arg(index + 1);
        notify([this](RunObserver &o) { return o.runEnded(m_result); });
        finishRun();
        return;
    }
    if (index >= m_plan.steps.size()) {
        m_result.success = true;
        m_result.message = QStringLiteral("%1: %2 step(s) succeeded.")
                               .arg(m_plan.title, QString::number(m_plan.steps.size() - m_fromStep));
        notify([this](RunObserver &o) { return o.runEnded(m_result); });
        finishRun();
        return;
    }
    m_index = index;
    m_timedOut = false;
    m_ending = false;
    m_killSent = false;
    m_processExited = false;
    m_processExitCode = 0;
    m_stderrTail.clear();
    m_checks.clear();
    m_checkFile.clear();
    m_captured.clear();
    m_checkError.clear();

    StepRecord record;
    record.index = index;
    record.command = PlanRenderer::renderStep(m_plan.steps.at(index), m_plan.secrets);
    record.started = QDateTime::currentDateTime();
    m_result.steps.append(record);
    notify([index](RunObserver &o) { return o.stepStarted(index); });
    emit stepStarted(index, record.started.toString(QStringLiteral("HH:mm:ss")) + QStringLiteral("  $ ")
                                + record.command);

    const PlanStep &step = m_plan.steps.at(index);
    if (const auto *p = std::get_if<ProcessStep>(&step)) {
        startProcess(*p);
        return;
    }
    ensureWorker();
    m_forwardOutput = true;
    StepWorker *worker = m_worker;
    if (const auto *s = std::get_if<SqlStep>(&step)) {
        const SqlStep copy = *s;
        QMetaObject::invokeMethod(worker, [worker, index, copy] { worker->runSql(index, copy); },
                                  Qt::QueuedConnection);
    } else if (const auto *f = std::get_if<FileStep>(&step)) {
        const FileStep copy = *f;
        QMetaObject::invokeMethod(worker, [worker, index, copy] { worker->runFiles(index, copy); },
                                  Qt::QueuedConnection);
    } else if (const auto *w = std::get_if<WaitStep>(&step)) {
        const WaitStep copy = *w;
        QMetaObject::invokeMethod(worker, [worker, index, copy] { worker->runWait(index, copy); },
                                  Qt::QueuedConnection);
    } else if (const auto *c = std::get_if<CallStep>(&step)) {
        const CallStep copy = *c;
        QMetaObject::invokeMethod(worker, [worker, index, copy] { worker->runCall(index, copy); },
                                  Qt::QueuedConnection);
    }
}

void PlanRunner::closeWorkerConnections()
{
    if (!m_worker)
        return;
    StepWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->closeConnections(); }, Qt::QueuedConnection);
}

void PlanRunner::ensureWorker()
{
    if (m_thread)
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("PlanRunner worker"));
    m_worker = new StepWorker(&m_workerCancel);
    m_worker->moveToThread(m_thread);
    connect(m_worker, &StepWorker::text, this, &PlanRunner::onWorkerText);
    connect(m_worker, &StepWorker::done, this, &PlanRunner::onWorkerDone);
    connect(m_worker, &StepWorker::preflightDone, this, &PlanRunner::onPreflightDone);
    // Runs on the worker thread as it ends: its connections are removed where they were opened.
    connect(m_thread, &QThread::finished, m_worker, &StepWorker::closeConnections, Qt::DirectConnection);
    m_thread->start();
}

void PlanRunner::startProcess(const ProcessStep &step)
{
    // No connection of ours stays open while a process runs: `compose down` or a restore must
    // not wait for it (queued: the worker is idle between steps).
    closeWorkerConnections();
    // Our own secrets stay with us (git and docker need none of them); the step's env adds back
    // exactly what this program needs.
    QProcessEnvironment env = ChildProcess::sanitized(m_environment.isEmpty() ? QProcessEnvironment::systemEnvironment()
                                                                              : m_environment);
    for (const EnvVar &var : step.env)
        env.insert(var.name, var.value);

    auto *process = new QProcess(this);
    m_process = process;
    m_forwardOutput = step.showOutput;
    m_checks = step.outputChecks;
    m_checkFile = step.stdoutFile;
    process->setProgram(resolveProgram(step.program, env));
    process->setArguments(step.args);
    process->setProcessEnvironment(env);
    if (!step.workingDir.isEmpty())
        process->setWorkingDirectory(step.workingDir);
    // Never let a child wait for a terminal answer (createsuperuser, psql prompts).
    process->setStandardInputFile(step.stdinFile.isEmpty() ? QProcess::nullDevice() : step.stdinFile);
    if (!step.stdoutFile.isEmpty())
        process->setStandardOutputFile(step.stdoutFile, QIODevice::Truncate);
    // Its own session and process group, so cancel reaches everything it starts; and it dies with
    // us, so a kill -9 of MigrationDesk does not leave a pg_dump or a migrate running.
    ChildProcess::tieToParent(*process, true);

    connect(process, &QProcess::readyReadStandardOutput, this,
            [this] { readChannel(OutputChannel::StdOut); });
    connect(process, &QProcess::readyReadStandardError, this,
            [this] { readChannel(OutputChannel::StdErr); });
    connect(process, &QProcess::finished, this, &PlanRunner::onProcessFinished);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && process == m_process)
            concludeStep(StepExit::NotStarted, process->errorString());
    });

    process->start();
    if (m_process != process)
        return; // failed to start and already concluded
    m_pgid = process->processId();
    if (step.timeoutMs > 0)
        m_timeoutTimer->start(step.timeoutMs);
}

void PlanRunner::readChannel(OutputChannel channel)
{
    if (!m_process)
        return;
    const QByteArray chunk = channel == OutputChannel::StdOut ? m_process->readAllStandardOutput()
                                                              : m_process->readAllStandardError();
    if (chunk.isEmpty())
        return;
    if (channel == OutputChannel::StdOut && !m_checks.isEmpty() && m_captured.size() < kMaxCaptured)
        m_captured += chunk;
    if (channel == OutputChannel::StdErr) {
        m_stderrTail += chunk;
        if (m_stderrTail.size() > 2 * kTailBytes)
            m_stderrTail.remove(0, m_stderrTail.size() - kTailBytes);
    }
    if (m_forwardOutput)
        forward(chunk, channel);
}

void PlanRunner::forward(const QByteArray &chunk, OutputChannel channel)
{
    emit output(chunk, channel);
    if (!m_textEnabled)
        return;
    const int i = channelIndex(channel);
    const QString text = m_texts[i].feed(chunk);
    if (!text.isEmpty())
        emit maskedText(text, channel);
}

void PlanRunner::flushText()
{
    if (!m_textEnabled)
        return;
    for (OutputChannel channel : {OutputChannel::StdOut, OutputChannel::StdErr}) {
        const QString rest = m_texts[channelIndex(channel)].finish();
        if (!rest.isEmpty())
            emit maskedText(rest, channel);
    }
}

void PlanRunner::onProcessFinished()
{
    auto *process = qobject_cast<QProcess *>(sender());
    if (!process || process != m_process)
        return;
    readChannel(OutputChannel::StdOut);
    readChannel(OutputChannel::StdErr);
    m_processExited = true;
    m_processExitCode = process->exitStatus() == QProcess::CrashExit ? StepExit::Crashed
                                                                     : process->exitCode();
    if (!m_ending) {
        if (groupAlive()) {
            // Something the step started in the background (`cmd &`) would outlive the run: it
            // ends with the step's process group, as a cancel would end it.
            forward(QByteArrayLiteral("the step left processes running in its process group: ending them\n"),
                    OutputChannel::StdErr);
            endGroup();
            m_pollTimer->start();
            return;
        }
        concludeStep(m_processExitCode, QString());
        return;
    }
    // Cancelled or timed out: the step ends when its whole group is gone.
    if (!groupAlive())
        concludeStep(m_processExitCode, QString());
    else
        m_pollTimer->start();
}

void PlanRunner::endGroup()
{
    if (m_ending || !m_process)
        return;
    m_ending = true;
    m_timeoutTimer->stop();
    if (m_pgid > 0)
        ProcessGroup::terminate(m_pgid);
    m_killTimer->start(m_graceMs);
}

void PlanRunner::pollGroup()
{
    if (m_processExited && !groupAlive())
        concludeStep(m_processExitCode, QString());
}

bool PlanRunner::groupAlive() const
{
    return m_pgid > 0 && ProcessGroup::alive(m_pgid);
}

void PlanRunner::onWorkerText(int index, const QByteArray &utf8, int channel)
{
    if (index != m_index || !m_running)
        return;
    const OutputChannel ch = channel == 0 ? OutputChannel::StdOut : OutputChannel::StdErr;
    if (ch == OutputChannel::StdErr)
        m_stderrTail += utf8;
    forward(utf8, ch);
}

void PlanRunner::onWorkerDone(int index, int exitCode, const QString &error)
{
    if (index != m_index || !m_running)
        return;
    concludeStep(exitCode, error);
}

void PlanRunner::concludeStep(int exitCode, const QString &error)
{
    if (!m_running || m_index < 0)
        return;
    m_timeoutTimer->stop();
    m_killTimer->stop();
    m_pollTimer->stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_pgid = 0;
    flushText();
    if (m_rollback) {
        finishRollback(exitCode);
        return;
    }

    if (m_timedOut)
        exitCode = StepExit::TimedOut;
    else if (m_cancelRequested && exitCode != 0)
        exitCode = StepExit::Cancelled;
    else if (exitCode == 0 && !m_checks.isEmpty()) {
        m_checkError = checkOutput();
        if (!m_checkError.isEmpty()) {
            exitCode = StepExit::Failed;
            const QByteArray line = (m_checkError + QLatin1Char('\n')).toUtf8();
            m_stderrTail += line;
            forward(line, OutputChannel::StdErr);
            flushText();
        }
    }

    const int index = m_index;
    StepRecord &record = m_result.steps.last();
    record.exitCode = exitCode;
    record.finished = QDateTime::currentDateTime();
    emit stepFinished(index, exitCode);

    if (exitCode == 0) { // the next step, or the cancel that came after this one finished
        notify([index](RunObserver &o) { return o.stepSucceeded(index); });
        QMetaObject::invokeMethod(this, [this, index] { startStep(index + 1); }, Qt::QueuedConnection);
        return;
    }

    const SecretMasker masker(m_plan.secrets);
    const QString description = masker.apply(stepDescription(m_plan.steps.at(index)));
    m_result.failedStep = index;
    m_result.exitCode = exitCode;
    m_result.failedCommand = record.command;
    m_result.errorTail = tailLines(m_stderrTail, masker);
    if (m_result.errorTail.isEmpty())
        m_result.errorTail = masker.apply(error.trimmed());
    if (m_cancelRequested) {
        m_result.cancelled = true;
        m_result.message = QStringLiteral("Cancelled during step %1 (%2).")
                               .arg(QString::number(index + 1), description);
    } else if (m_timedOut) {
        m_result.timedOut = true;
        m_result.message = QStringLiteral("Step %1 (%2) timed out and was ended.")
                               .arg(QString::number(index + 1), description);
    } else if (!m_checkError.isEmpty()) {
        m_result.message = QStringLiteral("Step %1 of %2 (%3) failed: %4.")
                               .arg(QString::number(index + 1), QString::number(m_plan.steps.size()),
                                    description, m_checkError);
    } else if (!error.isEmpty() && exitCode == StepExit::Failed) {
        m_result.message = QStringLiteral("Step %1 of %2 (%3) failed: %4")
                               .arg(QString::number(index + 1), QString::number(m_plan.steps.size()),
                                    description, masker.apply(error));
    } else if (const QString hint = failureHint(m_plan.steps.at(index), m_stderrTail + m_captured); !hint.isEmpty()) {
        m_result.message = QStringLiteral("Step %1 of %2 (%3) failed: %4.")
                               .arg(QString::number(index + 1), QString::number(m_plan.steps.size()),
                                    description, hint);
    } else if (exitCode == StepExit::NotStarted && !error.isEmpty()) {
        m_result.message = QStringLiteral("Step %1 (%2) could not start: %3")
                               .arg(QString::number(index + 1), description, masker.apply(error));
    } else {
        m_result.message = QStringLiteral("Step %1 of %2 (%3) failed with exit code %4.")
                               .arg(QString::number(index + 1), QString::number(m_plan.steps.size()),
                                    description, QString::number(exitCode));
    }
    if (const auto *process = std::get_if<ProcessStep>(&m_plan.steps.at(index)); process && process->rollback) {
        startRollback(*process->rollback);
        return;
    }
    endFailedRun();
}

void PlanRunner::startRollback(const ProcessStep &rollback)
{
    m_rollback = std::make_shared<const ProcessStep>(rollback);
    m_timedOut = false;
    m_ending = false;
    m_killSent = false;
    m_processExited = false;
    m_processExitCode = 0;
    m_captured.clear();
    const QString header = QStringLiteral("rolling back (%1): $ %2\n")
                               .arg(rollback.description, PlanRenderer::renderProcess(rollback));
    forward(SecretMasker(m_plan.secrets).apply(header).toUtf8(), OutputChannel::StdErr);
    startProcess(rollback);
}

void PlanRunner::finishRollback(int exitCode)
{
    const std::shared_ptr<const ProcessStep> rollback = std::move(m_rollback);
    m_rollback.reset();
    if (m_timedOut)
        exitCode = StepExit::TimedOut;
    if (exitCode == 0) {
        m_result.message += QStringLiteral(" Rolled back: %1.").arg(rollback->description);
    } else {
        m_result.message += QStringLiteral(" Rolling back (%1) failed too, with exit code %2: run `%3` yourself.")
                                .arg(rollback->description, QString::number(exitCode),
                                     SecretMasker(m_plan.secrets).apply(PlanRenderer::renderProcess(*rollback)));
    }
    endFailedRun();
}

void PlanRunner::endFailedRun()
{
    notify([this](RunObserver &o) { return o.runEnded(m_result); });
    finishRun();
}

void PlanRunner::finishRun()
{
    closeWorkerConnections();
    m_result.finished = QDateTime::currentDateTime();
    m_running = false;
    m_index = -1;
    const QString path = logPath(m_plan);
    QString error;
    if (!path.isEmpty() && !OperationLog::append(path, m_plan, m_result, &error))
        warn(QStringLiteral("operation log: ") + error);
    emit finished(m_result);
}
