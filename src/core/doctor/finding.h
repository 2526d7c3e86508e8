#pragma once

#include "plan/plan.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// What the doctor can find: one DoctorRule each (doctor/doctorrule.h). Names (findingKindName)
// are stable: they are the CLI's JSON.
enum class FindingKind {
    InconsistentHistory,      // an applied migration whose dependency is not applied
    OrphanRows,               // rows for migrations Django does not know (no file)
    Pending,                  // migrations not applied yet
    ConflictingLeaves,        // two leaf migrations in one app
    UntrackedBlocksPull,      // untracked files that exist upstream: `git pull` would stop
    TablesAlreadyExist,       // unapplied initial migration whose tables are in the database
    ModifiedAppliedMigration, // file changed in git after it was applied
    PhantomMigrations,        // rows applied from another branch (or an older commit) whose file is gone here
    PredatesReset,            // the history predates a migration reset pulled from git
    SchemaDrift,              // applied migration whose tables differ from what it creates
};

enum class Severity { Info, Warning, Error };

QString findingKindName(FindingKind kind);  // "OrphanRows"
QString findingKindLabel(FindingKind kind); // "Orphan rows"
QString severityName(Severity severity);

// One way to repair a finding: a plan the GUI previews and the runner runs.
struct DoctorFix
{
    QString id;          // stable, e.g. "record-dependency", "delete-orphans"
    QString title;       // "Record flows.0002_x as applied"
    QString explanation; // why and when to choose it
    bool recommended = false;
    Plan plan;
};

struct Finding
{
    FindingKind kind = FindingKind::Pending;
    Severity severity = Severity::Info;
    QString title;        // one line
    QString explanation;  // plain language: what it means and what happens if left alone
    QStringList evidence; // the facts it rests on (rows, files, tables, git output)
    QStringList migrations; // "app.name" keys involved, most important first
    QList<DoctorFix> fixes;

    const DoctorFix *recommendedFix() const;
    // {kind, severity, title, migrations, explanation, evidence, recommendedFix, fixes}
    QJsonObject toJson() const;
};

QJsonObject fixToJson(const DoctorFix &fix);
