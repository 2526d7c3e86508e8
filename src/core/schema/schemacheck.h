#pragma once

#include "plan/plan.h"
#include "schema/schemacomparison.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// Proves, before a fake, that the user's tables are what the migrations would create: the
// project's own `manage.py migrate` runs on a scratch database of the same server, then both
// catalogs are compared table by table (SchemaShape). Django's --fake-initial only checks that
// the tables and columns exist by name; this compares types, nullability, defaults, keys,
// constraints and indexes.
struct SchemaCheckRequest
{
    enum class Files {
        Current,     // the migration files as they are
        Regenerated, // a copy of the backend with the project's migration files removed and made
                     // again by makemigrations: what reset-migrations is about to record
    };
    // Which migrations get a verdict.
    enum class Scope {
        FakeInitial, // the initial migrations --fake-initial would fake (not recorded, tables all there)
        Applied,     // the migrations recorded in django_migrations (schema drift)
        Listed,      // exactly `migrations`
        AppUpTo,     // the unrecorded migrations of `app` up to `upTo` (all of them when empty): a --fake
    };
    Files files = Files::Current;
    Scope scope = Scope::FakeInitial;
    QStringList migrations; // Scope::Listed: "app.name" keys
    QString app;            // Scope::AppUpTo
    QString upTo;
    // The migrations are recorded without running (a fake or an INSERT into django_migrations),
    // so a migration whose tables do not exist at all fails the check too.
    bool recordOnly = false;
};

struct MigrationVerdict
{
    enum class State {
        Matches,
        Differs,     // the tables exist but are not what the migration creates
        PartlyThere, // some of its tables exist, others not: Django can neither fake nor create it
        Creates,     // none of its tables exist: Django creates them (no fake)
    };
    QString migration; // "app.name"
    QStringList tables;
    State state = State::Matches;
    QList<SchemaDifference> differences; // blocking ones
    QStringList notes;                   // extra columns the database has

    QString stateText() const; // "matches", "differs", "missing tables", "creates its tables"
};

struct SchemaCheckResult
{
    QString error; // why the check could not run; empty when it ran
    bool recordOnly = false; // from the request
    QString scratchName;
    QList<MigrationVerdict> verdicts;
    QList<AlignmentStatement> alignment; // what brings the live tables to the migrations' shape
    QStringList unresolved;              // differences no statement resolves
    QList<QPair<QString, qint64>> timings; // phase → ms

    bool ran() const { return error.isEmpty(); }
    bool passed() const; // ran, and no verdict Differs / PartlyThere
    // Every blocking difference, one line each ("customer_data_profile.loyalty_points: missing (…)").
    QStringList differenceLines() const;
    // For people: the verdict per migration, the differences, the timings.
    QStringList report() const;
};

namespace SchemaCheck {
// Runs the check (BLOCKS: processes, connections; never the GUI thread). Sweeps scratch
// databases a killed run left first. The scratch database and the backend copy are gone when it
// returns, whatever happened. context.say gets progress and the manage.py output.
SchemaCheckResult run(const ProjectConfig &config, const SchemaCheckRequest &request, const CallContext &context);

// A plan step that runs the check and fails when it does not pass, naming every difference and
// the command that aligns the tables (the step a plan puts before a fake). Changes nothing.
CallStep guardStep(const ProjectConfig &config, const SchemaCheckRequest &request);

// Whether step is a guardStep(); regenerated tells which files it checks. For the GUI's offer of
// the alignment when the guard refused.
bool isGuardStep(const PlanStep &step, bool *regenerated = nullptr);

// The CLI command that previews and applies the alignment for this request.
QString alignCommand(const ProjectConfig &config, const SchemaCheckRequest &request);
}
