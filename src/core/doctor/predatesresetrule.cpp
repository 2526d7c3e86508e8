#include "doctor/doctorrule.h"
#include "schema/schemacheck.h"

#include <algorithm>

// A teammate regenerated the migrations (the "Remove all migrations" reset) and this checkout
// pulled it: the app's 0001 files are new, the database still holds the old history (rows whose
// files the reset deleted) and the tables the new initial migrations would create. The guide's
// "pull the latest code and migrate" then fails; the database has to adopt the new history.

using namespace DoctorEvidence;

namespace AdoptReset {

QString fakeInitialDescription()
{
    return QStringLiteral("Adopt the reset: migrate --fake-initial records the regenerated initial migrations whose tables exist");
}

bool isFakeInitialStep(const PlanStep &step)
{
    const auto *p = std::get_if<ProcessStep>(&step);
    return p && p->description == fakeInitialDescription();
}

} // namespace AdoptReset

namespace {

struct ResetApp
{
    QString app;
    QList<const MigrationRecord *> rows; // every row of the app: the old history
    QStringList goneRows;                // those whose file the reset deleted
    GitCommitRef commit;                 // the newest commit that deleted one of them
    QStringList evidence;
};

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<ResetApp> apps;
    for (const QString &app : in.scan.apps) {
        ResetApp reset;
        reset.app = app;
        for (const MigrationRecord &r : in.records) {
            if (r.app != app)
                continue;
            reset.rows << &r;
            const QString key = MigrationGraph::makeKey(r.app, r.name);
            if (a.fileOf.contains(key) || a.covered.contains(key))
                continue;
            const GitCommitRef deleted = in.provenance.byKey.value(key).deletedIn;
            if (deleted.isNull())
                continue;
            if (!reset.goneRows.contains(key))
                reset.goneRows << key;
            if (reset.commit.isNull() || deleted.date > reset.commit.date)
                reset.commit = deleted;
        }
        if (reset.goneRows.isEmpty())
            continue;
        // A regenerated app has only initial migrations where rows point: a row of a later,
        // non-initial file means its history was edited, not reset (--fake-initial would run it again).
        const bool onlyInitialRows = std::all_of(reset.rows.cbegin(), reset.rows.cend(), [&](const MigrationRecord *r) {
            const QString key = MigrationGraph::makeKey(r->app, r->name);
            const auto src = in.sources.constFind(key);
            return !a.fileOf.contains(key) || (src != in.sources.cend() && src->initial);
        });
        if (!onlyInitialRows)
            continue;
        // Its initial migration file is newer than its row (or has none) and its tables are there.
        bool initialReplaced = false;
        for (const MigrationFile &f : in.scan.files) {
            const QString key = MigrationGraph::makeKey(f.app, f.name);
            const auto src = in.sources.constFind(key);
            if (f.app != app || src == in.sources.cend() || !src->initial || src->createdTables.isEmpty())
                continue;
            QStringList evidence;
            if (schemaPresence(in, key, &evidence) != Presence::Present)
                break;
            const MigrationRecord *row = a.recordOf.value(key);
            if (row && !in.git.modifiedSince(f.relativePath, row->applied))
                break;
            reset.evidence << evidence
                           << (row ? QStringLiteral("%1 changed in git after its row was applied (%2)").arg(key, applyTime(row->applied))
                                   : QStringLiteral("%1 has no row").arg(key));
            initialReplaced = true;
            break;
        }
        if (initialReplaced)
            apps << reset;
    }
    if (apps.isEmpty())
        return {};
    GitCommitRef commit;
    for (const ResetApp &r : std::as_const(apps)) {
        if (commit.isNull() || r.commit.date > commit.date)
            commit = r.commit;
    }
    Finding f;
    f.kind = FindingKind::PredatesReset;
    f.severity = Severity::Error;
    f.title = QStringLiteral("This database predates the migration reset in commit %1 (\u201c%2\u201d)").arg(commit.shortHash(), commit.subject);
    QStringList appNames;
    QList<SqlStatement> deletes;
    QStringList rowItems;
    for (const ResetApp &r : std::as_const(apps)) {
        appNames << r.app;
        for (const QString &key : r.goneRows)
            f.evidence << QStringLiteral("%1: its file was deleted in %2 %3").arg(key, r.commit.shortHash(), r.commit.subject);
        f.evidence << r.evidence;
        for (const MigrationRecord *row : r.rows) {
            const QString key = MigrationGraph::makeKey(row->app, row->name);
            f.migrations << key;
            rowItems << QStringLiteral("id %1 %2").arg(row->id).arg(key);
            deletes << DoctorPlans::deleteRecordById(row->id);
            a.covered.insert(key);
        }
        for (const MigrationFile &file : in.scan.files) {
            if (file.app == r.app)
                a.covered.insert(MigrationGraph::makeKey(file.app, file.name));
        }
    }
    f.explanation = QStringLiteral(
        "Commit %1 regenerated the migrations of %2 (their old files deleted, new initial migrations written). "
        "This database still has the old history and the tables the new initial migrations create, so "
        "`migrate` would try to create them again. Adopting the reset replaces the old rows of these apps by "
        "the new migrations, recorded with --fake-initial because their tables exist; no table or row of data changes.")
                        .arg(commit.shortHash(), appNames.join(QStringLiteral(", ")));
    DoctorFix adopt;
    adopt.id = QStringLiteral("adopt-reset");
    adopt.title = QStringLiteral("Adopt the reset of %1: delete the %2 old row(s), then migrate --fake-initial")
                      .arg(appNames.join(QStringLiteral(", ")))
                      .arg(deletes.size());
    adopt.explanation = QStringLiteral("A verified dump first; then exactly the listed rows (%1) are deleted in one "
                                       "transaction and Django records the new initial migrations whose tables exist.")
                            .arg(rowItems.join(QStringLiteral(", ")));
    adopt.recommended = true;
    adopt.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-adopt-reset"), adopt.title);
    // Before the first change: the new initial migrations, migrated on a scratch database, must
    // create exactly the tables this database has, or the fake would record a schema it lacks.
    SchemaCheckRequest check;
    check.scope = SchemaCheckRequest::Scope::Listed;
    for (const MigrationSource &source : std::as_const(in.sources)) {
        if (source.initial && appNames.contains(source.app))
            check.migrations << source.key();
    }
    check.migrations.sort();
    adopt.plan.steps << SchemaCheck::guardStep(ctx.config, check);
    DoctorPlans::addDatabaseBackup(adopt.plan, ctx, QStringLiteral("doctor-adopt-reset"));
    adopt.plan.steps << DoctorPlans::sqlStep(
        ctx, QStringLiteral("Delete the old history of %1: %2").arg(appNames.join(QStringLiteral(", ")), rowItems.join(QStringLiteral(", "))),
        deletes);
    ProcessStep fake = DoctorPlans::manage(ctx, {QStringLiteral("migrate"), QStringLiteral("--fake-initial"), QStringLiteral("--noinput")},
                                           AdoptReset::fakeInitialDescription());
    fake.timeoutMs = 30 * 60 * 1000;
    adopt.plan.steps << fake << DoctorPlans::verifyStep(ctx);
    f.fixes << adopt;
    return {f};
}

} // namespace

DoctorRule predatesResetRule()
{
    return {FindingKind::PredatesReset, QStringLiteral("PredatesReset"), QStringLiteral("Predates a migration reset"), false, -1, analyse};
}
