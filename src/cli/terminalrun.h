#pragma once

#include "plan/plan.h"
#include "plan/runresult.h"
#include "project/projectconfig.h"

#include <QString>

#include <cstdio>

class ProjectLock;

// What `run` and `restore` share: printing, the production guard plus the one-instance lock,
// and running a plan with its output live in the terminal.
namespace TerminalRun {

// Prints and flushes; on a terminal with colours, "error:", "warning:", "hint:" and "==> " lines
// are coloured (CliOutput::decorate). printRaw prints text as it is.
void print(FILE *stream, const QString &text);
void printRaw(FILE *stream, const QString &text);

// Before a plan that changes the project: refuses on a production-looking project unless the
// database name was typed, and takes the lock a second MigrationDesk would be refused by.
// Returns false with the reason in error.
bool guardAndLock(const ProjectConfig &config, const Plan &plan, const QString &typedDatabaseName,
                  ProjectLock *lock, QString *error);

struct Outcome
{
    RunResult result;
    QString lastStepOutput; // masked stdout+stderr of the last step (its tail), for hints
    bool started = false;
};

// Step headers and masked output stream to stderr/stdout as they come (the steps' stdout to
// stdoutStream: stderr keeps a --json stdout parseable); Ctrl+C or SIGTERM cancels like the
// Stop button (the step's whole process group ends).
Outcome execute(const Plan &plan, int fromStep = 0, FILE *stdoutStream = stdout);

// "  command: …\n  last error output: …" for a failed run.
QString failureReport(const RunResult &result);

// "note: …" lines about the runs of config's project that did not finish (the journal), each
// with the exact command that resumes it and the one that restores its backup; empty when none.
QString unfinishedRunNotes(const ProjectConfig &config, const QString &except = QString());

} // namespace TerminalRun
