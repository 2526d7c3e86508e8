#include "doctor/doctorrule.h"

#include <algorithm>

// Migrations not applied yet that no earlier rule explains.

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    QStringList pending;
    for (const MigrationNode &node : in.graph.nodes()) {
        if (!node.applied && !a.covered.contains(node.key()))
            pending << node.key();
    }
    if (!pending.isEmpty()) {
        Finding f;
        f.kind = FindingKind::Pending;
        f.severity = Severity::Info;
        f.migrations = pending;
        f.title = QStringLiteral("%1 migration(s) not applied yet").arg(pending.size());
        f.explanation = QStringLiteral("These migrations exist but are not applied. `migrate` applies them in "
                                       "this order. That changes the schema, so the doctor does not do it for you.");
        for (const QString &k : std::as_const(pending)) {
            const MigrationFile *file = a.fileOf.value(k);
            f.evidence << (file ? QStringLiteral("%1 (%2)").arg(k, file->relativePath) : k);
        }
        DoctorFix migrate;
        migrate.id = QStringLiteral("migrate");
        migrate.title = QStringLiteral("Apply them (migrate)");
        migrate.explanation = QStringLiteral("Runs manage.py migrate.");
        migrate.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-migrate"), migrate.title);
        DoctorPlans::addSnapshot(migrate.plan, ctx);
        migrate.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("migrate"), QStringLiteral("--noinput")},
                                                  migrate.title);
        f.fixes << migrate;
        findings << f;
    }
    return findings;
}

} // namespace

DoctorRule pendingRule()
{
    return {FindingKind::Pending, QStringLiteral("Pending"), QStringLiteral("Pending migrations"), true, 5, analyse};
}
