#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

// Exit codes the runner reports for steps that did not end on their own.
namespace StepExit {
inline constexpr int Failed = 1;        // SQL, file or wait step failed
inline constexpr int TimedOut = 124;    // as timeout(1)
inline constexpr int NotStarted = 127;  // program missing or not executable, as the shell
inline constexpr int Crashed = 128;     // ended by a signal it did not expect
inline constexpr int Cancelled = 130;   // as Ctrl+C in a shell
}

// What happened to one step of a run.
struct StepRecord
{
    int index = -1;
    QString command; // rendered and masked
    int exitCode = 0;
    QDateTime started;
    QDateTime finished;
};

// What a run of a plan produced. All text is masked.
struct RunResult
{
    QString planId;
    QString title;
    bool success = false;
    bool cancelled = false;
    bool timedOut = false;
    int failedStep = -1;     // index of the step that failed, -1 when none
    int exitCode = 0;        // 0 on success, else the failing step's exit code
    QString failedCommand;   // rendered, masked
    QString errorTail;       // last lines of the failing step's error output, masked
    QString message;         // one human sentence: what failed and why
    QList<StepRecord> steps; // the steps that ran, in order
    int firstStep = 0;       // a resumed run skipped the steps before this one
    QStringList problems;    // pre-flight refused the plan for these (nothing ran)
    QDateTime started;
    QDateTime finished;
};

Q_DECLARE_METATYPE(RunResult)
