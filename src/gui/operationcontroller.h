#pragma once

#include "console/outputchannel.h"
#include "operations/operationcatalog.h"
#include "plan/plan.h"
#include "plan/runresult.h"
#include "project/projectconfig.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>

#include <atomic>
#include <functional>
#include <memory>

class GuardedRunner;

// Runs the plans of one project, one at a time. It knows no view: what a run says (its own
// lines, each step's command, the processes' output) is emitted, and the console listens.
// Reading an operation's facts runs on the thread pool and comes back as a signal; the GUI
// thread never waits on a process or the database.
class OperationController : public QObject
{
    Q_OBJECT
public:
    explicit OperationController(QObject *parent = nullptr);
    ~OperationController() override; // ends a running plan's processes

    // The project plans are built for (its compose variant came with it from the detection).
    void setProject(const ProjectConfig &config);
    ProjectConfig config() const { return m_config; }
    bool hasProject() const { return !m_config.root.isEmpty(); }

    // Options every plan starts from.
    OperationOptions baseOptions() const;

    // Environment of the processes and of the fact readers (tests put the fake docker first on PATH).
    void setEnvironment(const QProcessEnvironment &environment);
    QProcessEnvironment environment() const { return m_environment; }

    // Reads what operation's plan and confirmation need on the thread pool; factsRead() carries
    // the returned id (callers keep theirs and ignore the others). Answers about a previous
    // project are dropped.
    // extra: facts read in addition to the operation's own (what a preview offers beyond them).
    quint64 readFacts(const QString &operation, const OperationOptions &options, Facts extra = Facts());
    // The requester no longer wants that answer: a schema check under way stops (its scratch
    // database dropped) and factsRead() is not emitted for it.
    void cancelFacts(quint64 id);

    // Starts plan (from step fromStep: resume). False when something already runs or there is no
    // plan. Output is emitted as it arrives; runFinished() reports the result.
    bool run(const Plan &plan, int fromStep = 0);
    bool isRunning() const;
    Plan currentPlan() const { return m_plan; }
    // The index of the step that runs now, -1 when none.
    int runningStep() const { return isRunning() ? m_runningStep : -1; }
    // The running step changes the project (database, files, git) rather than only reading or
    // copying: a stop then asks first (StopConfirmation).
    bool runningStepChangesProject() const;
    static bool stepChangesProject(const Plan &plan, int index);
    // The running step's process id (its process group), 0 when none.
    qint64 processId() const;
    // Masked stdout+stderr of the last step that ran (the failing one after a failure), its tail
    // kept when it is long: what the migrate hints read.
    QString lastStepOutput() const { return m_stepOutput; }
    RunResult lastResult() const { return m_lastResult; }

    // Time between SIGTERM and SIGKILL when cancelling.
    void setGracePeriod(int ms);
    // Where runs are logged ("-": nowhere), for tests that keep the user's state dir clean.
    void setLogPath(const QString &path);
    void setJournalPath(const QString &path);

public slots:
    void cancel();

signals:
    void factsRead(quint64 id, const GuideFacts &facts);
    void runningChanged(bool running);
    void runStarted(const Plan &plan, int fromStep);
    void stepStarted(int index, const QString &description);
    void stepFinished(int index, int exitCode);
    void runFinished(const RunResult &result);

    // What the console shows of a run, in order: the secrets to mask from now on, the
    // controller's own lines, each step's command line, the processes' raw output, and the
    // end of a process's output (a held-back partial line is shown).
    void secretsInUse(const QStringList &secrets);
    void message(const QString &text, MessageLevel level);
    void commandStarted(const QString &commandLine);
    void output(const QByteArray &chunk, OutputChannel channel);
    void outputEnded();

private:
    void onStepStarted(int index);
    void onMaskedText(const QString &text, OutputChannel channel);
    void onFinished(const RunResult &result);
    void reportResult(const RunResult &result);

    ProjectConfig m_config;
    quint64 m_generation = 0; // bumped per project: late answers of the previous one are dropped
    quint64 m_factsRequest = 0;
    void cancelAllFacts();
    QHash<quint64, std::shared_ptr<std::atomic_bool>> m_factsStops; // reads under way, by id
    QProcessEnvironment m_environment;
    GuardedRunner *m_runner;
    Plan m_plan;
    QString m_stepOutput;
    int m_runningStep = -1;
    RunResult m_lastResult;
};
