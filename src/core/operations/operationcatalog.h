#pragma once

#include "operations/operation.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

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

// Every option of every operation once (by key), with the operations that offer it: the CLI's flags.
struct OptionUse
{
    OperationOption option;
    QStringList operations;
};
QList<OptionUse> options();
}
