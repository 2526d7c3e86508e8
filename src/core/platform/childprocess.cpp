#include "platform/childprocess.h"

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

ChildProcess::ToolRun ChildProcess::runTool(const QString &program, const QStringList &args, const QString &workingDir,
                                            const QProcessEnvironment &environment, int timeoutMs)
{
    ToolRun run;
    QProcess process;
    process.setProcessEnvironment(sanitized(environment));
    tieToParent(process);
    process.setWorkingDirectory(workingDir);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("%1 did not start: %2").arg(program, process.errorString());
        return run;
    }
    run.started = true;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
        run.err = QStringLiteral("%1 did not answer within %2 s").arg(program).arg(timeoutMs / 1000);
        return run;
    }
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return run;
}
