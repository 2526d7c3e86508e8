#include "doctor/doctorrule.h"
#include "schema/schemacheck.h"

#include <algorithm>

// An unapplied initial migration whose tables are already in the database.

using namespace DoctorEvidence;

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    for (const MigrationNode &node : in.graph.nodes()) {
        const QString key = node.key();
        if (node.applied || a.covered.contains(key))
            continue;
        const auto src = in.sources.constFind(key);
        if (src == in.sources.cend() || !src->initial || src->createdTables.isEmpty())
            continue;
        QStringList evidence;
        if (schemaPresence(in, key, &evidence) != Presence::Present)
            continue;
        // Later migrations of the app whose schema is also there belong to the same repair.
        QStringList chain{key};
        for (;;) {
            QString next;
            for (const QString &child : in.graph.children(chain.constLast())) {
                const MigrationNode *c = in.graph.node(child);
                if (!c || c->app != node.app || c->applied || a.covered.contains(child))
                    continue;
                QStringList childEvidence;
                if (schemaPresence(in, child, &childEvidence) == Presence::Present) {
                    next = child;
                    evidence << childEvidence;
                    break;
                }
            }
            if (next.isEmpty())
                break;
            chain << next;
        }
        QStringList unappliedOutside;
        for (const QString &k : std::as_const(chain)) {
            for (const QString &dep : in.graph.node(k)->dependencies) {
                const MigrationNode *d = in.graph.node(dep);
                if (d && !d->applied && !chain.contains(dep) && !unappliedOutside.contains(dep))
                    unappliedOutside << dep;
            }
        }
        Finding f;
        f.kind = FindingKind::TablesAlreadyExist;
        f.severity = Severity::Error;
        f.migrations = chain;
        f.title = QStringLiteral("Tables of %1 already exist but it is not recorded as applied").arg(key);
        f.explanation = QStringLiteral(
            "%1 creates tables that are already in the database, yet django_migrations has no row for it "
            "(the rows were deleted, or the tables were created another way). A plain `migrate` stops with "
            "\"relation already exists\". The migration only needs to be recorded as applied.")
                            .arg(key);
        f.evidence = evidence;
        if (!unappliedOutside.isEmpty())
            f.evidence << QStringLiteral("unapplied dependencies: %1").arg(unappliedOutside.join(QStringLiteral(", ")));

        DoctorFix fake;
        fake.id = QStringLiteral("fake-initial");
        fake.title = QStringLiteral("Migrate %1 with --fake-initial").arg(node.app);
        fake.explanation = QStringLiteral(
            "Django checks that the initial migration's tables exist and records it without running it. "
            "Later migrations are run for real, so this is right only when nothing after the initial "
            "migration is already in the database.");
        fake.recommended = chain.size() == 1;
        fake.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-fake-initial"), fake.title);
        fake.plan.destructive = true;
        SchemaCheckRequest fakeCheck;
        fakeCheck.scope = SchemaCheckRequest::Scope::Listed;
        fakeCheck.migrations = {key};
        fake.plan.steps << SchemaCheck::guardStep(ctx.config, fakeCheck);
        DoctorPlans::addSnapshot(fake.plan, ctx);
        fake.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("migrate"), node.app, node.name,
                                                     QStringLiteral("--fake-initial"), QStringLiteral("--noinput")},
                                               QStringLiteral("Record %1 as applied because its tables exist").arg(key));

        DoctorFix record;
        record.id = QStringLiteral("record-existing");
        record.title = QStringLiteral("Record %1 as applied").arg(chain.join(QStringLiteral(", ")));
        record.explanation = QStringLiteral(
            "Adds the rows for migrations whose tables and columns are all in the database already. Needed "
            "when later migrations' columns exist too, where --fake-initial would stop on them.");
        record.recommended = chain.size() > 1 && unappliedOutside.isEmpty();
        QList<SqlStatement> inserts;
        const QDateTime now = ctx.now.isValid() ? ctx.now : QDateTime::currentDateTimeUtc();
        for (int i = 0; i < chain.size(); ++i) {
            QString app, name;
            splitOrKeep(chain.at(i), &app, &name);
            inserts << DoctorPlans::recordApplied(app, name, now.addMSecs(i)); // keeps their order
        }
        record.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-record-existing"), record.title);
        record.plan.destructive = true;
        SchemaCheckRequest recordCheck;
        recordCheck.scope = SchemaCheckRequest::Scope::Listed;
        recordCheck.migrations = chain;
        recordCheck.recordOnly = true;
        record.plan.steps << SchemaCheck::guardStep(ctx.config, recordCheck);
        DoctorPlans::addSnapshot(record.plan, ctx);
        record.plan.steps << DoctorPlans::sqlStep(ctx, record.title, inserts);
        f.fixes << (record.recommended ? QList<DoctorFix>{record, fake} : QList<DoctorFix>{fake, record});
        findings << f;
        for (const QString &k : std::as_const(chain))
            a.covered.insert(k);
    }
    return findings;
}

} // namespace

DoctorRule tablesAlreadyExistRule()
{
    return {FindingKind::TablesAlreadyExist, QStringLiteral("TablesAlreadyExist"), QStringLiteral("Tables already exist"), true, 2, analyse};
}
