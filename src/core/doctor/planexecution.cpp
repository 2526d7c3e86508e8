#include "doctor/planexecution.h"

#include "console/secretmasker.h"
#include "safety/guardedrunner.h"
#include "platform/childprocess.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcessEnvironment>

CapturedStep::CapturedStep(const ProcessStep &step)
    : m_step(step)
{
}

void CapturedStep::start()
{
    m_process = std::make_unique<QProcess>();
    QProcessEnvironment env = ChildProcess::systemEnvironment();
    for (const EnvVar &var : m_step.env)
        env.insert(var.name, var.value); // secrets travel here, never in argv
    m_process->setProcessEnvironment(env);
    ChildProcess::tieToParent(*m_process);
    if (!m_step.workingDir.isEmpty())
        m_process->setWorkingDirectory(m_step.workingDir);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->start(m_step.program, m_step.args);
}

bool CapturedStep::wait(int timeoutMs)
{
    QStringList secrets;
    for (const EnvVar &var : m_step.env) {
        if (var.secret)
            secrets << var.value;
    }
    const SecretMasker masker(secrets);
    if (!m_process || !m_process->waitForStarted(10000)) {
        m_error = masker.apply(QStringLiteral("%1 could not be started: %2")
                                   .arg(m_step.program, m_process ? m_process->errorString() : QString()));
        return false;
    }
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(2000);
        m_error = QStringLiteral("%1 did not finish within %2 s").arg(m_step.program).arg(timeoutMs / 1000);
        return false;
    }
    m_out = m_process->readAllStandardOutput();
    const QString err = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
    m_exitCode = m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    if (m_exitCode != 0) {
        // The last lines hold Python's exception; earlier ones are the traceback.
        const QStringList lines = err.split(QLatin1Char('\n'));
        m_error = masker.apply(lines.mid(std::max<qsizetype>(0, lines.size() - 6)).join(QLatin1Char('\n')));
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 exited with code %2").arg(m_step.program).arg(m_exitCode);
        return false;
    }
    return true;
}

namespace PlanExecution {

bool prepareOutputFolders(const Plan &plan, QString *error)
{
    for (const PlanStep &step : plan.steps) {
        const auto *p = std::get_if<ProcessStep>(&step);
        if (!p || p->stdoutFile.isEmpty())
            continue;
        const QString dir = QFileInfo(p->stdoutFile).absolutePath();
        if (!QDir().mkpath(dir)) {
            if (error)
                *error = QStringLiteral("Cannot create the backup folder %1").arg(dir);
            return false;
        }
    }
    return true;
}

RunResult runBlocking(const Plan &plan, const std::function<void(const QString &, OutputChannel)> &onText,
                      const QString &logPath)
{
    RunResult result;
    QString error;
    if (!prepareOutputFolders(plan, &error)) {
        result.planId = plan.id;
        result.title = plan.title;
        result.message = error;
        result.exitCode = 1;
        return result;
    }
    GuardedRunner runner;
    if (!logPath.isEmpty())
        runner.setLogPath(logPath);
    runner.setMaskedTextEnabled(bool(onText));
    if (onText) {
        QObject::connect(&runner, &PlanRunner::stepStarted, [&](int, const QString &header) {
            onText(header + QLatin1Char('\n'), OutputChannel::StdErr);
        });
        QObject::connect(&runner, &PlanRunner::maskedText, [&](const QString &text, OutputChannel channel) {
            onText(text, channel);
        });
    }
    QEventLoop loop;
    QObject::connect(&runner, &PlanRunner::finished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    if (!runner.start(plan)) {
        result.message = QStringLiteral("The runner is busy.");
        result.exitCode = 1;
        return result;
    }
    loop.exec();
    return result;
}

} // namespace PlanExecution
