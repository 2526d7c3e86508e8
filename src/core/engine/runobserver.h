#pragma once

#include "plan/plan.h"
#include "plan/runresult.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

// Watches a run from outside the engine: the safety layer's journal is one. Called on the
// runner's thread, in order; each returns a warning for the run's output, or an empty string.
class RunObserver
{
public:
    virtual ~RunObserver() = default;
    virtual QString runStarted(const Plan &plan, int fromStep, const QDateTime &started) = 0;
    virtual QString stepStarted(int index) = 0;
    virtual QString stepSucceeded(int index) = 0;
    // The run ended: succeeded, failed, or cancelled (also during the pre-flight or before its
    // first step); result says which. Not called when the pre-flight refused the plan.
    virtual QString runEnded(const RunResult &result) = 0;
};

// A check before a plan's first step (the safety layer's pre-flight). needed() runs on the
// runner's thread and must be cheap; check() runs on the engine's worker thread and may block.
// Problems stop the run before anything changes.
struct RunPreflight
{
    std::function<bool(const Plan &plan, int fromStep)> needed;
    std::function<QStringList(const Plan &plan, const QProcessEnvironment &environment, int fromStep)> check;

    bool isSet() const { return bool(needed) && bool(check); }
};
