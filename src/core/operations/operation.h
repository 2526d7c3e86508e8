#pragma once

#include "operations/guidefacts.h"
#include "plan/plan.h"
#include "plan/planoptions.h"
#include "project/projectconfig.h"

#include <QFlags>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// The plan options and the facts read for them (OperationCatalog::readFacts(), before building).
struct OperationOptions : PlanOptions
{
    GuideFacts facts;
};

// What GuideFactsReader reads before an operation's plan is built (the project's apps always).
enum class Fact {
    HistoryRows = 0x01,    // the rows of django_migrations the plan deletes
    Files = 0x02,          // the migration files and caches the plan deletes
    Tables = 0x04,         // whether the apps' tables exist (decides --fake-initial)
    DatabaseVolume = 0x08, // whether the database may be dropped, and on Compose its volume
    Commit = 0x10,         // git's answer for committing the migration files
    BranchSwitch = 0x20,   // what switching to the branch of --to unapplies (git trees + django_migrations)
    Schema = 0x40,         // the schema check's verdict and alignment SQL (a scratch migrate: seconds)
};
Q_DECLARE_FLAGS(Facts, Fact)
Q_DECLARE_OPERATORS_FOR_FLAGS(Facts)

// One choice an operation offers. The CLI's `--key` flag and the GUI's control are built from it.
struct OperationOption
{
    enum class Kind { Switch, Value, AppList };

    QString key;       // OperationOptions::values key, and the CLI flag's name
    Kind kind = Kind::Switch;
    QString help;      // CLI help and GUI tooltip
    QString label;     // GUI: the control in the preview (with its & mnemonic); empty when the
                       // operation's own dialog (superuser, commit, the reset wizard) asks instead
    QString valueName; // CLI: the value's name in --help (Value)
    Facts facts;       // read in addition when the option is set (--commit needs git's answer)
};

// What the user must see and answer before a destructive plan runs.
struct Confirmation
{
    QString question;   // one sentence: what will be lost, e.g. "Delete 10 rows of django_migrations?"
    QStringList items;  // the concrete things: rows by app, files, the volume
    QString typedWord;  // the GUI asks to type this (volume name, "RESET"); empty: a plain yes
    QString undo;       // how to get it back (where the backup goes)
};

using PlanBuilder = std::function<Plan(const ProjectConfig &, const OperationOptions &)>;

// One operation the user can run, describing itself: the CLI's `run NAME`, the GUI's button and
// form, the facts it reads, why it may not run, what it asks before it runs, and its plan.
// Adding one is a file defining `Operation <name>Operation()` and a line in operationcatalog.cpp.
struct Operation
{
    QString name;    // "showmigrations"
    QString title;   // "Show migrations"
    QString group;   // one of OperationGroup
    QString summary; // one line for `run --list` and tooltips
    bool destructive = false;
    Facts facts;
    QList<OperationOption> options;
    PlanBuilder build;
    // Why the plan must not run as built, beyond facts not read yet: one sentence each, with what
    // to do. Unset: nothing beyond the facts.
    std::function<QStringList(const ProjectConfig &, const OperationOptions &)> blockers;
    // The question before a destructive run. Unset: the preview is the confirmation.
    std::function<Confirmation(const ProjectConfig &, const OperationOptions &)> confirmation;

    // facts, and those of the options that are set.
    Facts factsFor(const OperationOptions &options) const;
    bool hasOption(const QString &key) const;
};

namespace OperationGroup {
inline const QString Inspect = QStringLiteral("Inspect");
inline const QString ResetSteps = QStringLiteral("Reset steps");
inline const QString Database = QStringLiteral("Database");
inline const QString Repair = QStringLiteral("Repair");
}
