#pragma once

#include "console/outputchannel.h"
#include "console/maskedtextdecoder.h"
#include "plan/plan.h"
#include "plan/runresult.h"
#include "engine/runobserver.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>

#include <atomic>
#include <memory>

class QProcess;
class QThread;
class QTimer;
class StepWorker;

Q_DECLARE_METATYPE(OutputChannel)

// Runs one plan at a time, steps in order, driven by the event loop (never blocks the caller's
// thread). Stops at the first failure. Each process runs in its own session, so cancel() and a
// step's timeout end it and everything it started: SIGTERM to the group, SIGKILL after the grace
// period. SQL, file and wait steps run on a worker thread.
class PlanRunner : public QObject
{
    Q_OBJECT

public:
    explicit PlanRunner(QObject *parent = nullptr);
    ~PlanRunner() override; // ends a running plan's processes (no orphans)

    // False when a plan is already running. fromStep > 0 resumes: the steps before it are skipped
    // (the reset wizard's "resume from the failed step": RunResult::failedStep). When a pre-flight
    // is set and needed, it runs first on the worker thread; when it finds problems nothing runs
    // and finished() reports them (result.problems).
    bool start(const Plan &plan, int fromStep = 0);
    bool isRunning() const { return m_running; }
    void cancel();

    // Base environment of processes (default: this process's environment at start()).
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }
    // Time between SIGTERM and SIGKILL (default 3000 ms).
    void setGracePeriod(int ms) { m_graceMs = ms; }
    // Where runs are appended. Default: OperationLog::pathForProject(plan.projectRoot) when the
    // plan names a project. "-" turns the log off.
    void setLogPath(const QString &path) { m_logPath = path; }
    QString logPath(const Plan &plan) const;
    // Hooks from the layers above (safety/guardedrunner.h attaches the journal and the pre-flight).
    void addObserver(std::shared_ptr<RunObserver> observer) { m_observers.append(std::move(observer)); }
    void setPreflight(const RunPreflight &preflight) { m_preflight = preflight; }
    // Also emit maskedText() (UTF-8 decoded statefully, secrets masked): the CLI's form.
    void setMaskedTextEnabled(bool enabled) { m_textEnabled = enabled; }

    // Pid of the running step's process (also its process group), 0 when none.
    qint64 processId() const;

signals:
    void stepStarted(int index, const QString &header); // time + exact command line, masked
    void output(const QByteArray &chunk, OutputChannel channel); // raw bytes
    void maskedText(const QString &text, OutputChannel channel);
    void stepFinished(int index, int exitCode);
    void finished(const RunResult &result);

private:
    void startStep(int index);
    void startProcess(const ProcessStep &step);
    void readChannel(OutputChannel channel);
    void forward(const QByteArray &chunk, OutputChannel channel);
    void flushText();
    void onProcessFinished();
    void onWorkerText(int index, const QByteArray &utf8, int channel);
    void onWorkerDone(int index, int exitCode, const QString &error);
    void endGroup(); // SIGTERM now, SIGKILL after the grace period
    void pollGroup();
    void concludeStep(int exitCode, const QString &error);
    void startRollback(const ProcessStep &rollback);
    void finishRollback(int exitCode);
    void endFailedRun();
    void finishRun();
    bool groupAlive() const;
    void ensureWorker();
    void closeWorkerConnections();
    void onPreflightDone(const QStringList &problems);
    QString checkOutput(); // the failed output check, empty when all pass
    void notify(const std::function<QString(RunObserver &)> &call);
    void warn(const QString &warning);

    Plan m_plan;
    RunResult m_result;
    bool m_running = false;
    int m_index = -1;
    bool m_cancelRequested = false;
    bool m_timedOut = false;
    bool m_ending = false;       // group was signalled
    bool m_killSent = false;
    int m_graceMs = 3000;
    QString m_logPath;
    QList<std::shared_ptr<RunObserver>> m_observers;
    RunPreflight m_preflight;
    bool m_inPreflight = false;
    int m_fromStep = 0;
    QList<OutputCheck> m_checks;
    QString m_checkFile;
    QByteArray m_captured;
    QString m_checkError;
    QProcessEnvironment m_environment;
    bool m_textEnabled = false;

    std::shared_ptr<const ProcessStep> m_rollback; // of the failed step, while it runs

    QPointer<QProcess> m_process;
    qint64 m_pgid = 0;
    bool m_forwardOutput = true;
    bool m_processExited = false;
    int m_processExitCode = 0;
    QByteArray m_stderrTail;
    QTimer *m_timeoutTimer = nullptr;
    QTimer *m_killTimer = nullptr;
    QTimer *m_pollTimer = nullptr;

    MaskedTextDecoder m_texts[2]; // stdout, stderr: maskedText(); finished at each process's end

    QThread *m_thread = nullptr;
    StepWorker *m_worker = nullptr;
    std::atomic_bool m_workerCancel{false};
};
