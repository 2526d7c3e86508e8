#pragma once

#include "ops/plan.h"
#include "ops/target.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>

// What a caller (GUI button, CLI flags) adds to the config when it builds a plan.
struct OperationOptions
{
    ComposeVariant composeVariant = ComposeVariant::Plugin; // ComposeCli::detect() in the app
    QHash<QString, QString> values; // per-operation choices, e.g. "fake-initial" → "1"
};

using PlanBuilder = std::function<Plan(const ProjectConfig &, const OperationOptions &)>;

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
// Builds name's plan (id, title, project root, destructive flag and secrets filled in).
// Returns an empty plan (no id) for an unknown name.
Plan build(const QString &name, const ProjectConfig &config, const OperationOptions &options = {});
}
