#pragma once

#include "doctor/migrationdoctor.h"
#include "db/migrationrecord.h"
#include "scan/migrationfile.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>

// What the rules of one diagnosis share: the inputs, their indexes, and the migrations a more
// specific finding already explains (a later rule leaves those alone).
struct DoctorAnalysis
{
    explicit DoctorAnalysis(const DoctorInputs &inputs);

    const DoctorInputs &in;
    QHash<QString, const MigrationRecord *> recordOf; // "app.name" → its first row
    QHash<QString, const MigrationFile *> fileOf;     // "app.name" → its file
    QSet<QString> covered;
};

// One thing the doctor can find: its kind and names, when it runs, its place in "Fix all", and
// the analysis that finds it and builds its fixes. Adding one is a file defining
// `DoctorRule <name>Rule()`, its FindingKind, and a word in doctorrules.cpp.
struct DoctorRule
{
    FindingKind kind;
    QString name;      // stable: the CLI's JSON ("OrphanRows")
    QString label;     // for people: "Orphan rows"
    bool needsGraph;   // runs only when Django's graph is known
    int fixAllRank;    // "Fix all" runs recommended fixes by rank: stale rows first, files and Django last;
                       // negative: never part of "Fix all" (its plan runs alone)
    std::function<QList<Finding>(DoctorAnalysis &)> analyse;
};

namespace DoctorRules {
// In analysis order: each rule sees what the earlier ones covered.
const QList<DoctorRule> &all();
const DoctorRule *find(FindingKind kind);
}

// Unapplying rows whose file is gone with Django's own backwards migration: the files are put back
// from git (DoctorInputs::phantoms), `migrate APP <previous>` runs per app, the files go again.
namespace PhantomUnapply {
// The fix for keys (each in a.in.phantoms), or a fix with an empty plan when Django cannot be
// told where to go back to; notes says why for each app left out.
DoctorFix build(const DoctorAnalysis &a, const QStringList &keys, QStringList *notes);
// The step description of the backwards migration of app (so a guard can recognise the step).
QString unapplyDescription(const QString &app, const QString &target);
}

// The step of the "adopt a reset" plan that records the regenerated initial migrations because
// their tables exist: a schema guard recognises it by this description.
namespace AdoptReset {
QString fakeInitialDescription();
bool isFakeInitialStep(const PlanStep &step);
}

// Evidence helpers the rules share.
namespace DoctorEvidence {
enum class Presence { Unknown, Present, Partial, Absent };

QString applyTime(const QDateTime &t);
// Whether the schema a migration creates is already in the database, with the facts.
Presence schemaPresence(const DoctorInputs &in, const QString &key, QStringList *evidence);
// "app.name" of a migration file's relative path.
QString keyOfPath(const QString &relativePath);
void splitOrKeep(const QString &key, QString *app, QString *name);
}
