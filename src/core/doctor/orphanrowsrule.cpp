#include "doctor/doctorrule.h"

#include "status/migrationstate.h"

#include <algorithm>

// Rows of django_migrations for migrations that do not exist: as the status table calls them (stateOfRowWithoutFile).

using namespace DoctorEvidence;

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    const QSet<QString> projectApps(in.scan.apps.cbegin(), in.scan.apps.cend());
    QList<const MigrationRecord *> orphans;
    QSet<QString> seen;
    for (const MigrationRecord &r : in.records) {
        const QString key = MigrationGraph::makeKey(r.app, r.name);
        if (a.fileOf.contains(key) || seen.contains(key) || a.covered.contains(key))
            continue;
        const DjangoKnows knows = !in.graphAvailable ? DjangoKnows::Unknown
            : in.graph.knows(key)                    ? DjangoKnows::Yes
                                                     : DjangoKnows::No;
        if (stateOfRowWithoutFile(projectApps.contains(r.app), knows) == MigrationState::Orphan) {
            orphans << &r;
            seen.insert(key);
        }
    }
    std::sort(orphans.begin(), orphans.end(), [](const MigrationRecord *a, const MigrationRecord *b) {
        return a->app != b->app ? a->app < b->app : a->name < b->name;
    });
    if (!orphans.isEmpty()) {
        Finding f;
        f.kind = FindingKind::OrphanRows;
        f.severity = Severity::Warning;
        f.title = QStringLiteral("%1 row(s) in django_migrations for migrations that do not exist").arg(orphans.size());
        f.explanation = QStringLiteral(
            "These rows name migrations Django cannot find: no file on disk and not in Django's graph. They come "
            "from renamed or deleted files or another branch. Django silently ignores them, so the status you see "
            "hides them, and a later migration with the same name would be skipped as already applied. Removing "
            "the rows changes nothing else; rows of apps outside the project (External) are left alone.");
        QList<SqlStatement> deletes;
        for (const MigrationRecord *r : std::as_const(orphans)) {
            const QString key = MigrationGraph::makeKey(r->app, r->name);
            f.migrations << key;
            f.evidence << QStringLiteral("row id %1: %2 applied %3, no file and unknown to Django")
                              .arg(r->id).arg(key, applyTime(r->applied));
            deletes << DoctorPlans::deleteRecordById(r->id);
        }
        DoctorFix fix;
        fix.id = QStringLiteral("delete-orphans");
        fix.title = QStringLiteral("Remove the %1 orphan row(s)").arg(orphans.size());
        fix.explanation = QStringLiteral("Deletes exactly the listed rows (by id) after a snapshot of "
                                         "django_migrations; unlike migrate --prune, nothing else.");
        fix.recommended = true;
        fix.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-delete-orphans"), fix.title);
        fix.plan.destructive = true;
        DoctorPlans::addSnapshot(fix.plan, ctx);
        fix.plan.steps << DoctorPlans::sqlStep(ctx, QStringLiteral("Delete the orphan rows"), deletes);
        f.fixes << fix;
        // Rows whose file an older commit still has: Django can undo their schema changes too.
        QStringList restorable;
        for (const QString &key : std::as_const(f.migrations)) {
            if (in.phantoms.contains(key))
                restorable << key;
        }
        if (!restorable.isEmpty()) {
            QStringList notes;
            DoctorFix unapply = PhantomUnapply::build(a, restorable, &notes);
            if (!unapply.plan.steps.isEmpty()) {
                unapply.explanation += QStringLiteral(" Choose it when the tables and columns these migrations made "
                                                      "should go too (they were deleted, not renamed or squashed).");
                f.fixes << unapply;
            }
            for (const QString &note : std::as_const(notes))
                f.evidence << QStringLiteral("cannot unapply with Django: %1").arg(note);
        }
        findings << f;
    }
    return findings;
}

} // namespace

DoctorRule orphanRowsRule()
{
    return {FindingKind::OrphanRows, QStringLiteral("OrphanRows"), QStringLiteral("Orphan rows"), false, 0, analyse};
}
