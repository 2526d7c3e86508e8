#pragma once

#include "project/projectconfig.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>
#include <memory>
#include <variant>

// One environment variable handed to a step. Secret values go to the process environment only:
// never argv, never the preview, never the log.
struct EnvVar
{
    QString name;
    QString value;
    bool secret = false;
};

// A pattern a process's standard output must match for the step to count as done: an exit code
// alone cannot tell a truncated dump from a good one.
struct OutputCheck
{
    QString description; // "the archive names database hanna"
    QString pattern;     // QRegularExpression, multi-line (^ and $ match at line ends)
};

// What a known failure of a program means, for the run's message: an exit code alone says little
// ("rejected" by git push means the remote moved on, not that the network failed).
struct FailureHint
{
    QString pattern;     // QRegularExpression, multi-line, matched against the step's output
    QString explanation; // "the remote has commits you don't: pull first"
};

// Runs one program (no shell) with an argument list.
struct ProcessStep
{
    QString description;  // what the step does, for the preview and the console header
    QString program;
    QStringList args;
    QList<EnvVar> env;    // added to the runner's environment
    QString workingDir;   // empty: the runner's current folder
    int timeoutMs = 0;    // 0: no limit
    bool showOutput = true; // false: output is not forwarded (e.g. binary dumps)
    QString stdinFile;    // optional file fed to stdin
    QString stdoutFile;   // optional file that receives stdout (then nothing is forwarded)
    // After exit code 0, stdout (or stdoutFile) must match every check, else the step fails.
    QList<OutputCheck> outputChecks;
    // Compose: the service this step execs into (its container must run before the step), the
    // host folder that container must mount at its working folder (this project's backend, not
    // another checkout's), and the images an `up` step needs on this machine.
    QString service;
    QString serviceHostDir;
    QString serviceMountPoint;
    QStringList requiredImages;
    // When the step fails, the first hint matching its output explains the failure.
    QList<FailureHint> failureHints;
    // Run when this step fails, is cancelled or times out, to take back what the steps before it
    // did for it (git commit fails: unstage what git add staged). Its own failure is reported too.
    std::shared_ptr<const ProcessStep> rollback;
};

// One SQL statement; values are bound to its placeholders (? or :name), never spliced in.
struct SqlStatement
{
    QString sql;
    QVariantList values;
    bool printRows = false; // print the result rows as text (a psql-like table)
    // Writes the result rows to this file as JSON {"columns": [...], "rows": [[...], ...]}
    // (values as the driver returns them; cast to text in SQL to keep full precision).
    QString saveRowsTo;
};

// Statements run in one transaction through QSqlQuery on their own connection.
struct SqlStep
{
    QString description;
    DbSettings db;
    QList<SqlStatement> statements;
    int connectTimeoutSec = 5;
};

// Copies files into a backup folder (keeping their paths relative to baseDir), then optionally
// deletes them. Paths may be files or folders (e.g. migrations/__pycache__).
struct FileStep
{
    QString description;
    QString baseDir;
    QStringList paths;   // relative to baseDir
    QString backupDir;   // where the copies go (a restore copies back into the project); empty: no copy
    bool remove = false; // delete the paths after they were copied
    // With backupDir: the copied files' SHA-256 ({"relative/path": "hex", ...}). Written (each copy
    // checked against its source) or, with verifyChecksums, read and every copy checked against it.
    QString checksumsFile;
    bool verifyChecksums = false;
};

// Waits until the database accepts connections.
struct WaitStep
{
    QString description;
    DbSettings db;
    int timeoutMs = 60000;
    int intervalMs = 500;
};

// What a CallStep's function gets: a way to print a line and to notice cancel.
struct CallContext
{
    std::function<void(const QString &line)> say;
    std::function<bool()> cancelled;
};

// A function of the core run on the runner's worker thread: a check the other kinds cannot
// express (a dump's table of contents against the live database) or a record (a backup's
// manifest). Returns an empty string on success, else what failed. Must only capture values.
struct CallStep
{
    QString description;
    QString detail;          // what the preview shows instead of a command
    std::function<QString(const CallContext &)> run;
    DbSettings db;           // the database it needs (pre-flight checks it), when needsDatabase
    bool needsDatabase = false;
};

using PlanStep = std::variant<ProcessStep, SqlStep, FileStep, WaitStep, CallStep>;

QString stepDescription(const PlanStep &step);

// An operation: an ordered list of steps, built by a pure function of the project config, so
// it can be previewed (GUI), printed (--dry-run) and asserted (tests) before it runs.
struct Plan
{
    QString id;           // operation name, e.g. "showmigrations"
    QString title;        // "Show migrations"
    QString projectRoot;  // whose operation log the run is appended to
    bool destructive = false;
    QList<PlanStep> steps;
    QStringList secrets;  // masked wherever text leaves the runner
    // The run's backup folder (SafetySteps::newBackup), journaled so a resume reuses it.
    QString backupDir;
    // What the plan was built from, one "key=value" each (target, compose variant and file,
    // project name, services, database, options; never a secret): journaled, so a resume with
    // other flags or compose files is refused instead of finishing another plan.
    QStringList inputs;

    void addSecret(const QString &secret);
};
