#include "platform/childprocess.h"

#include "platform/processgroup.h"

#include <QElapsedTimer>

#include <QProcess>
#include <QStringList>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

QProcessEnvironment ChildProcess::sanitized(QProcessEnvironment environment)
{
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("MIGRATIONDESK_")) && key.contains(QLatin1String("PASSWORD")))
            environment.remove(key);
    }
    return environment;
}

QProcessEnvironment ChildProcess::systemEnvironment()
{
    return sanitized(QProcessEnvironment::systemEnvironment());
}

void ChildProcess::tieToParent(QProcess &process, bool newSession)
{
    // Read in the parent: after fork, getppid() names whoever the child belongs to now.
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent, newSession] {
        // Only async-signal-safe calls between fork and exec.
        if (newSession)
            ::setsid();
        // PDEATHSIG fires when the forking THREAD ends, not only the process: QProcess is started
        // from the thread that owns it, and every owner here waits for its children, so the thread
        // outlives the child. The getppid() check covers a parent killed before prctl() ran.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);
    });
}

ChildProcess::ToolProcess::ToolProcess() = default;

ChildProcess::ToolProcess::~ToolProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

void ChildProcess::ToolProcess::start(const QString &program, const QStringList &args, const QString &workingDir,
                                      const QProcessEnvironment &environment, bool mergeChannels)
{
    m_program = program;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(sanitized(environment));
    tieToParent(*m_process);
    if (!workingDir.isEmpty())
        m_process->setWorkingDirectory(workingDir);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_merged = mergeChannels;
    if (mergeChannels)
        m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(program, args);
}

ChildProcess::ToolRun ChildProcess::ToolProcess::wait(int timeoutMs)
{
    ToolRun run;
    if (!m_process || !m_process->waitForStarted(10000)) {
        run.err = QStringLiteral("%1 did not start: %2").arg(m_program, m_process ? m_process->errorString() : QString());
        return run;
    }
    run.started = true;
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(2000);
        run.err = QStringLiteral("%1 did not answer within %2 s").arg(m_program).arg(timeoutMs / 1000);
        return run;
    }
    run.out = m_process->readAllStandardOutput();
    if (!m_merged)
        run.err = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
    run.exitCode = m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    return run;
}

ChildProcess::ToolRun ChildProcess::runTool(const QString &program, const QStringList &args, const QString &workingDir,
                                            const QProcessEnvironment &environment, int timeoutMs)
{
    ToolProcess process;
    process.start(program, args, workingDir, environment);
    return process.wait(timeoutMs);
}

ChildProcess::ToolRun ChildProcess::runStreaming(const QString &program, const QStringList &args,
                                                 const QString &workingDir, const QProcessEnvironment &environment,
                                                 const StreamedRunOptions &options,
                                                 const std::function<void(const QByteArray &)> &onOutput,
                                                 const std::function<bool()> &cancelled)
{
    ToolRun run;
    QProcess process;
    process.setProcessEnvironment(sanitized(environment));
    tieToParent(process, true);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    process.setStandardInputFile(options.stdinFile.isEmpty() ? QProcess::nullDevice() : options.stdinFile);
    if (options.stdoutFile.isEmpty())
        process.setProcessChannelMode(QProcess::MergedChannels);
    else
        process.setStandardOutputFile(options.stdoutFile);
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("%1 did not start: %2").arg(program, process.errorString());
        return run;
    }
    run.started = true;
    const qint64 group = process.processId();
    const QProcess::ProcessChannel channel =
        options.stdoutFile.isEmpty() ? QProcess::StandardOutput : QProcess::StandardError;
    process.setReadChannel(channel);
    QElapsedTimer clock;
    clock.start();
    auto forward = [&] {
        const QByteArray piece = process.readAll();
        if (!piece.isEmpty() && onOutput)
            onOutput(piece);
    };
    while (process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(100);
        forward();
        const bool timedOut = options.timeoutMs > 0 && clock.elapsed() > options.timeoutMs;
        if (timedOut || (cancelled && cancelled())) {
            ProcessGroup::endBlocking(group, 2000, 2000);
            process.waitForFinished(2000);
            run.err = timedOut ? QStringLiteral("%1 did not finish within %2 s").arg(program).arg(options.timeoutMs / 1000)
                               : QStringLiteral("%1 was stopped").arg(program);
            return run;
        }
    }
    process.waitForFinished(1000);
    forward();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return run;
}
