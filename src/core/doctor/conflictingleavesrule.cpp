#include "doctor/doctorrule.h"

#include <algorithm>

// Two leaf migrations in one app: the history forks.

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    const QHash<QString, QStringList> conflicts = in.graph.conflicts();
    QStringList conflictApps = conflicts.keys();
    conflictApps.sort();
    for (const QString &app : std::as_const(conflictApps)) {
        Finding f;
        f.kind = FindingKind::ConflictingLeaves;
        f.severity = Severity::Error;
        f.migrations = conflicts.value(app);
        f.title = QStringLiteral("%1 has %2 leaf migrations").arg(app).arg(f.migrations.size());
        f.explanation = QStringLiteral(
            "Two branches each added a migration to %1, so its history forks: %2. Django refuses to migrate "
            "(\"Conflicting migrations detected\") until a merge migration joins them.")
                            .arg(app, f.migrations.join(QStringLiteral(" and ")));
        for (const QString &leaf : std::as_const(f.migrations)) {
            const MigrationNode *n = in.graph.node(leaf);
            f.evidence << QStringLiteral("%1 (%2) depends on %3")
                              .arg(leaf, n && n->applied ? QStringLiteral("applied") : QStringLiteral("not applied"),
                                   n ? n->dependencies.join(QStringLiteral(", ")) : QString());
        }
        DoctorFix merge;
        merge.id = QStringLiteral("merge");
        merge.title = QStringLiteral("Create a merge migration (makemigrations --merge)");
        merge.explanation = QStringLiteral("Django writes a migration that depends on every leaf; it changes no "
                                           "table. Commit it with the branches it joins.");
        merge.recommended = true;
        merge.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-merge"), merge.title);
        merge.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("makemigrations"), QStringLiteral("--merge"),
                                                      QStringLiteral("--noinput")},
                                                merge.title);
        f.fixes << merge;
        findings << f;
    }
    return findings;
}

} // namespace

DoctorRule conflictingLeavesRule()
{
    return {FindingKind::ConflictingLeaves, QStringLiteral("ConflictingLeaves"), QStringLiteral("Conflicting leaves"), true, 4, analyse};
}
