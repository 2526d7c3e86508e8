#pragma once

#include "operations/guidefacts.h"
#include "plan/plan.h"
#include "plan/planoptions.h"
#include "targets/targets.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// The plan options and the facts read for them (OperationCatalog::readFacts(), before building).
struct OperationOptions : PlanOptions
{
    GuideFacts facts;
};

using PlanBuilder = std::function<Plan(const ProjectConfig &, const OperationOptions &)>;

// What the user must see and answer before a destructive plan runs.
struct Confirmation
{
    QString question;   // one sentence: what will be lost, e.g. "Delete 10 rows of django_migrations?"
    QStringList items;  // the concrete things: rows by app, files, the volume
    QString typedWord;  // the GUI asks to type this (volume name, "RESET"); empty: a plain yes
    QString undo;       // how to get it back (where the backup goes)
};

// One operation the user can run: its name (the CLI's `run NAME`), where the GUI shows it, and
// the pure function that builds its plan.
struct Operation
{
    QString name;    // "showmigrations"
    QString title;   // "Show migrations"
    QString group;   // "Inspect", "Reset steps", "Database", "Repair"
    QString summary; // one line for `run --list` and tooltips
    bool destructive = false;
    PlanBuilder build;
};

namespace OperationCatalog {
const QList<Operation> &all();
const Operation *find(const QString &name);
// Group names in menu order, and the operations of one group in menu order.
QStringList groups();
QList<const Operation *> inGroup(const QString &group);

// Builds name's plan (id, title, project root, destructive flag and secrets filled in).
// Returns an empty plan (no id) for an unknown name. Pure: the facts come in options.
Plan build(const QString &name, const ProjectConfig &config, const OperationOptions &options = {});

// Reads the facts name's plan and confirmation need (database, disk, docker, git). BLOCKING:
// call it from a worker thread in the GUI. Cheap or empty for operations that need none.
GuideFacts readFacts(const QString &name, const ProjectConfig &config, const OperationOptions &options);

// Why the plan must not run as built (a fact missing or a git pre-check failing), one
// sentence each with what to do; empty when it may run.
QStringList blockers(const QString &name, const ProjectConfig &config, const OperationOptions &options);

// The question, the items and the word to type before a destructive plan runs.
Confirmation confirmation(const QString &name, const ProjectConfig &config, const OperationOptions &options);

// A button's tooltip: the summary and the exact commands of the plan built with options.
QString tooltip(const QString &name, const ProjectConfig &config, const OperationOptions &options = {});
}
