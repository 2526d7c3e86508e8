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
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const EnvVar &var : m_step.env)
        env.insert(var.name, var.value); // secrets travel here, never in argv
    m_process.start(m_step.program, m_step.args, m_step.workingDir, env);
}

bool CapturedStep::wait(int timeoutMs)
{
    QStringList secrets;
    for (const EnvVar &var : m_step.env) {
        if (var.secret)
            secrets << var.value;
    }
    const SecretMasker masker(secrets);
    const ChildProcess::ToolRun run = m_process.wait(timeoutMs);
    m_out = run.out;
    m_exitCode = run.exitCode;
    if (!run.started || run.exitCode == -1) {
        m_error = masker.apply(run.err);
        return false;
    }
    if (m_exitCode != 0) {
        // The last lines hold Python's exception; earlier ones are the traceback.
        const QStringList lines = run.err.split(QLatin1Char('\n'));
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
