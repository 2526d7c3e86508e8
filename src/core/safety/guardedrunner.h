#pragma once

#include "engine/planrunner.h"

#include <memory>

class RunJournalObserver;

// The engine's runner with the safety layer attached from outside: the run journal (what the
// next start reports, and where a resume starts) and the pre-flight (Preflight::check before
// destructive plans, the service check before plans that exec into a service). The GUI, the CLI
// and blocking callers (PlanExecution) all run plans through one of these.
class GuardedRunner : public PlanRunner
{
    Q_OBJECT

public:
    explicit GuardedRunner(QObject *parent = nullptr);
    ~GuardedRunner() override;

    // Where runs are journaled. Default: Journal::pathFor(plan.projectRoot, plan.id) for
    // destructive or multi-step plans of a project. "-" turns the journal off.
    void setJournalPath(const QString &path);
    // The pre-flight (default on).
    void setPreflightEnabled(bool enabled);

private:
    std::shared_ptr<RunJournalObserver> m_journal;
};
