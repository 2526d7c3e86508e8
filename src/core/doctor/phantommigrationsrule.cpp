#include "doctor/doctorrule.h"

#include "status/migrationstate.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

// Rows applied on another branch whose files this branch does not have ("phantoms", as the Rails
// tools call them): Django hides them, and their tables and columns stay. The fix puts the files
// back from that branch for as long as Django's own backwards migration needs them.

using namespace DoctorEvidence;

namespace PhantomUnapply {

QString unapplyDescription(const QString &app, const QString &target)
{
    return QStringLiteral("Unapply with Django: migrate %1 %2 (the restored files' backwards operations)").arg(app, target);
}

DoctorFix build(const DoctorAnalysis &a, const QStringList &keys, QStringList *notes)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    DoctorFix fix;
    fix.id = QStringLiteral("unapply-phantoms");
    // Per app: its phantoms, and where its history goes back to (the in-app dependency that is no phantom).
    QHash<QString, QStringList> byApp;
    for (const QString &key : keys)
        byApp[key.section(QLatin1Char('.'), 0, 0)] << key;
    struct AppMove { QString app; QString target; QDateTime latest; };
    QList<AppMove> moves;
    QStringList restored;
    for (auto it = byApp.cbegin(); it != byApp.cend(); ++it) {
        const QString &app = it.key();
        QStringList targets;
        bool fromStart = false;
        QDateTime latest;
        for (const QString &key : it.value()) {
            if (const MigrationRecord *r = a.recordOf.value(key); r && (!latest.isValid() || r->applied > latest))
                latest = r->applied;
            bool inApp = false;
            for (const QString &dep : in.phantoms.value(key).declaration.dependencies) {
                QString depApp, depName;
                splitOrKeep(dep, &depApp, &depName);
                if (depApp != app || depName.startsWith(QLatin1String("__")))
                    continue;
                inApp = true;
                if (!it.value().contains(dep) && !targets.contains(depName))
                    targets << depName;
            }
            fromStart = fromStart || !inApp;
        }
        QString target;
        if (targets.size() == 1 && a.fileOf.contains(MigrationGraph::makeKey(app, targets.constFirst())))
            target = targets.constFirst();
        else if (targets.isEmpty() && fromStart) {
            // zero unapplies the whole app: only when none of its applied migrations is this branch's.
            const bool appliedHere = std::any_of(in.records.cbegin(), in.records.cend(), [&](const MigrationRecord &r) {
                return r.app == app && a.fileOf.contains(MigrationGraph::makeKey(r.app, r.name));
            });
            if (!appliedHere)
                target = QStringLiteral("zero");
        }
        if (target.isEmpty()) {
            notes->append(targets.isEmpty()
                              ? QStringLiteral("%1: the restored files do not say which migration comes before them").arg(app)
                              : QStringLiteral("%1: the restored files go back to %2, which this branch does not have as one file")
                                    .arg(app, targets.join(QStringLiteral(", "))));
            continue;
        }
        moves.append({app, target, latest});
        for (const QString &key : it.value())
            restored << key;
    }
    if (moves.isEmpty())
        return fix;
    // The app applied last is undone first: applied order respects the dependencies across apps.
    std::sort(moves.begin(), moves.end(), [](const AppMove &x, const AppMove &y) {
        return x.latest != y.latest ? x.latest > y.latest : x.app < y.app;
    });
    restored.sort();
    QStringList labels;
    for (const QString &key : std::as_const(restored)) {
        const QString label = in.phantoms.value(key).label;
        if (!labels.contains(label))
            labels << label;
    }
    fix.title = QStringLiteral("Unapply %1 with Django, using the file(s) from %2")
                    .arg(restored.join(QStringLiteral(", ")), labels.join(QStringLiteral(", ")));
    fix.explanation = QStringLiteral(
        "A verified dump first. The missing files are put back from git into their migrations folders, so "
        "Django (in the backend) sees them; `migrate APP <previous>` runs their backwards operations (their "
        "columns and tables go, the rows go); then the files are removed again, also when Django fails.");
    fix.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-unapply-phantoms"), fix.title);
    DoctorPlans::addDatabaseBackup(fix.plan, ctx, QStringLiteral("doctor-unapply-phantoms"));
    QStringList cleanPaths;
    for (const QString &key : std::as_const(restored)) {
        const QString path = in.phantoms.value(key).path;
        cleanPaths << path
                   << QFileInfo(path).path() + QStringLiteral("/__pycache__/") + QFileInfo(path).completeBaseName()
                          + QStringLiteral(".*.pyc");
    }
    // git clean only ever removes untracked files: what was restored, never a tracked file.
    const QStringList cleanArgs = QStringList{QStringLiteral("clean"), QStringLiteral("-f"), QStringLiteral("-x"),
                                              QStringLiteral("-q"), QStringLiteral("--")}
        + cleanPaths;
    const auto cleanup = std::make_shared<const ProcessStep>(
        DoctorPlans::git(ctx, cleanArgs, QStringLiteral("removed the restored migration files again")));
    for (const QString &key : std::as_const(restored)) {
        const PhantomSource source = in.phantoms.value(key);
        ProcessStep put = DoctorPlans::git(ctx, {QStringLiteral("show"), source.rev + QStringLiteral(":./") + source.path},
                                           QStringLiteral("Put %1 back from %2 for the backwards migration").arg(source.path, source.label));
        put.stdoutFile = QDir(ctx.config.root).absoluteFilePath(source.path);
        put.showOutput = false;
        put.rollback = cleanup; // a failed read must not leave an empty module behind
        fix.plan.steps << put;
    }
    for (const AppMove &move : std::as_const(moves)) {
        ProcessStep step = DoctorPlans::manage(ctx, {QStringLiteral("migrate"), move.app, move.target, QStringLiteral("--noinput")},
                                               unapplyDescription(move.app, move.target));
        step.timeoutMs = 30 * 60 * 1000;
        step.rollback = cleanup;
        fix.plan.steps << step;
    }
    fix.plan.steps << DoctorPlans::git(ctx, cleanArgs, QStringLiteral("Remove the restored migration files again"));
    return fix;
}

} // namespace PhantomUnapply

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    const QSet<QString> projectApps(in.scan.apps.cbegin(), in.scan.apps.cend());
    QStringList phantoms;
    for (const MigrationRecord &r : in.records) {
        const QString key = MigrationGraph::makeKey(r.app, r.name);
        if (a.fileOf.contains(key) || a.covered.contains(key) || phantoms.contains(key) || !in.phantoms.value(key).onBranch)
            continue;
        const DjangoKnows knows = !in.graphAvailable ? DjangoKnows::Unknown
            : in.graph.knows(key)                    ? DjangoKnows::Yes
                                                     : DjangoKnows::No;
        if (stateOfRowWithoutFile(projectApps.contains(r.app), knows) == MigrationState::Orphan)
            phantoms << key;
    }
    if (phantoms.isEmpty())
        return {};
    phantoms.sort();
    Finding f;
    f.kind = FindingKind::PhantomMigrations;
    f.severity = Severity::Warning;
    QStringList branches;
    for (const QString &key : std::as_const(phantoms)) {
        const PhantomSource source = in.phantoms.value(key);
        if (!branches.contains(source.label))
            branches << source.label;
        const MigrationRecord *r = a.recordOf.value(key);
        f.evidence << QStringLiteral("%1 applied %2; its file %3 is not here but on %4")
                          .arg(key, applyTime(r ? r->applied : QDateTime()), source.path,
                               in.provenance.byKey.value(key).onBranches.join(QStringLiteral(", ")));
    }
    f.migrations = phantoms;
    f.title = QStringLiteral("%1 migration(s) applied from branch %2 are not in this branch%3")
                  .arg(phantoms.size())
                  .arg(branches.join(QStringLiteral(", ")),
                       in.currentBranch.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(in.currentBranch));
    f.explanation = QStringLiteral(
        "These migrations were applied while another branch was checked out; this branch has no file for them, so "
        "Django hides their rows while their tables and columns stay in the database, and a later migration with the "
        "same name would be skipped. Unapply them with Django before working on this branch (or switch with "
        "MigrationDesk's switch-branch, which does it for you).");
    QStringList notes;
    DoctorFix unapply = PhantomUnapply::build(a, phantoms, &notes);
    for (const QString &note : std::as_const(notes))
        f.evidence << QStringLiteral("cannot unapply: %1").arg(note);
    if (!unapply.plan.steps.isEmpty()) {
        unapply.recommended = true;
        f.fixes << unapply;
    }
    DoctorFix forget;
    forget.id = QStringLiteral("delete-phantom-rows");
    forget.title = QStringLiteral("Only remove the %1 row(s), keep their tables and columns").arg(phantoms.size());
    forget.explanation = QStringLiteral("Deletes exactly these rows (after a snapshot of django_migrations). Their "
                                        "schema changes stay in the database: right only when they were undone by hand.");
    forget.recommended = f.fixes.isEmpty();
    QList<SqlStatement> deletes;
    for (const QString &key : std::as_const(phantoms))
        deletes << DoctorPlans::deleteRecordById(a.recordOf.value(key)->id);
    forget.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-delete-phantom-rows"), forget.title);
    forget.plan.destructive = true;
    DoctorPlans::addSnapshot(forget.plan, ctx);
    forget.plan.steps << DoctorPlans::sqlStep(ctx, QStringLiteral("Delete the phantom rows"), deletes);
    f.fixes << forget;
    for (const QString &key : std::as_const(phantoms))
        a.covered.insert(key);
    return {f};
}

} // namespace

DoctorRule phantomMigrationsRule()
{
    return {FindingKind::PhantomMigrations, QStringLiteral("PhantomMigrations"), QStringLiteral("Phantom migrations"), false, -1, analyse};
}
