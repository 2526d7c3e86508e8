#include "doctor/doctorrule.h"

#include <algorithm>

// Every applied migration with an unapplied dependency (Django's InconsistentMigrationHistory).

using namespace DoctorEvidence;

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    const QList<QPair<QString, QString>> pairs = in.graph.inconsistentPairs();
    // A dependency recorded as applied must precede every dependent: one second before the earliest.
    QHash<QString, QDateTime> earliestDependent;
    for (const auto &pair : pairs) {
        const MigrationRecord *r = a.recordOf.value(pair.first);
        if (!r || !r->applied.isValid())
            continue;
        QDateTime &t = earliestDependent[pair.second];
        if (!t.isValid() || r->applied < t)
            t = r->applied;
    }
    for (const auto &pair : pairs) {
        const QString &dependent = pair.first;
        const QString &dependency = pair.second;
        const MigrationRecord *row = a.recordOf.value(dependent);
        Finding f;
        f.kind = FindingKind::InconsistentHistory;
        f.severity = Severity::Error;
        f.migrations << dependent << dependency;
        f.title = QStringLiteral("%1 is applied before its dependency %2").arg(dependent, dependency);
        f.explanation = QStringLiteral(
            "django_migrations says %1 is applied, but %2, which it depends on, is not. Django refuses to "
            "migrate or make migrations (InconsistentMigrationHistory) until the history is consistent. "
            "This happens when rows are deleted by hand, when a database is shared between branches, or when "
            "a dependency is added to a migration that was already applied.")
                            .arg(dependent, dependency);
        f.evidence << (row ? QStringLiteral("row id %1: %2 applied %3").arg(row->id).arg(dependent, applyTime(row->applied))
                           : QStringLiteral("%1 is applied (squashed or replaced)").arg(dependent))
                   << QStringLiteral("no row for %1").arg(dependency);
        const Presence presence = schemaPresence(in, dependency, &f.evidence);

        QString depApp, depName, app, name;
        splitOrKeep(dependency, &depApp, &depName);
        splitOrKeep(dependent, &app, &name);
        const QDateTime base = earliestDependent.value(dependency);
        const QDateTime when = base.isValid() ? base.addSecs(-1)
                                              : (ctx.now.isValid() ? ctx.now : QDateTime::currentDateTimeUtc());

        DoctorFix record;
        record.id = QStringLiteral("record-dependency");
        record.title = QStringLiteral("Record %1 as applied").arg(dependency);
        record.explanation = QStringLiteral(
            "Adds the missing row for %1, one second before its first dependent (%2), as if it had been "
            "applied in order. Right when its tables and columns are already in the database.")
                                 .arg(dependency, applyTime(when.addSecs(1)));
        record.recommended = presence == Presence::Present;
        record.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-record-dependency"), record.title);
        record.plan.destructive = true;
        DoctorPlans::addSnapshot(record.plan, ctx);
        record.plan.steps << DoctorPlans::sqlStep(ctx, record.title,
                                                  {DoctorPlans::recordApplied(depApp, depName, when)});

        DoctorFix remove;
        remove.id = QStringLiteral("remove-dependent");
        remove.title = QStringLiteral("Remove the record of %1").arg(dependent);
        remove.explanation = QStringLiteral(
            "Deletes the row of %1 so that `migrate` applies %2 and then %1 again. Right when %2's schema is "
            "not in the database; %1's own tables must not exist either, or migrate will stop on them.")
                                 .arg(dependent, dependency);
        remove.recommended = presence == Presence::Absent;
        remove.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-remove-dependent"), remove.title);
        remove.plan.destructive = true;
        DoctorPlans::addSnapshot(remove.plan, ctx);
        remove.plan.steps << DoctorPlans::sqlStep(ctx, remove.title, {DoctorPlans::deleteRecord(app, name)});
        if (presence == Presence::Unknown || presence == Presence::Partial) {
            f.evidence << QStringLiteral("Neither fix is chosen automatically: check %1's tables, then pick one.")
                              .arg(dependency);
        }
        f.fixes << record << remove;
        findings << f;
        a.covered.insert(dependency);
    }
    return findings;
}

} // namespace

DoctorRule inconsistentHistoryRule()
{
    return {FindingKind::InconsistentHistory, QStringLiteral("InconsistentHistory"), QStringLiteral("Inconsistent history"), true, 1, analyse};
}
