#pragma once

#include "console/outputchannel.h"
#include "plan/plan.h"
#include "plan/runresult.h"
#include "platform/childprocess.h"

#include <QByteArray>
#include <QString>

#include <functional>

// One ProcessStep (a target's manage.py or psql) run as a one-shot tool with its output
// captured, for the reading commands the doctor needs while it diagnoses (showmigrations).
// Started early, waited for late, so other reads overlap it.
class CapturedStep
{
public:
    explicit CapturedStep(const ProcessStep &step);
    void start();
    // Blocks until the process ends or timeoutMs passes (then it is killed).
    bool wait(int timeoutMs);

    int exitCode() const { return m_exitCode; }
    QByteArray standardOutput() const { return m_out; }
    QString errorText() const { return m_error; } // stderr tail or why it did not run

private:
    ProcessStep m_step;
    ChildProcess::ToolProcess m_process;
    int m_exitCode = -1;
    QByteArray m_out;
    QString m_error;
};

namespace PlanExecution {
// Creates the folders that steps write into (a snapshot's stdoutFile): the runner does not.
// Call before PlanRunner::start() on a doctor plan.
bool prepareOutputFolders(const Plan &plan, QString *error = nullptr);
// Runs a plan with PlanRunner in a local event loop: for the CLI, tests and worker threads,
// never the GUI thread. onText receives masked output as it arrives.
RunResult runBlocking(const Plan &plan,
                      const std::function<void(const QString &text, OutputChannel channel)> &onText = {},
                      const QString &logPath = QString());
}
