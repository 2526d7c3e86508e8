#pragma once

#include "project/projectconfig.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <variant>

// One environment variable handed to a step. Secret values go to the process environment only:
// never argv, never the preview, never the log.
struct EnvVar
{
    QString name;
    QString value;
    bool secret = false;
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
};

// One SQL statement; values are bound to its placeholders (? or :name), never spliced in.
struct SqlStatement
{
    QString sql;
    QVariantList values;
    bool printRows = false; // print the result rows as text (a psql-like table)
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
    QString backupDir;   // empty: no copy
    bool remove = false; // delete the paths after they were copied
};

// Waits until the database accepts connections.
struct WaitStep
{
    QString description;
    DbSettings db;
    int timeoutMs = 60000;
    int intervalMs = 500;
};

using PlanStep = std::variant<ProcessStep, SqlStep, FileStep, WaitStep>;

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

    void addSecret(const QString &secret);
};
