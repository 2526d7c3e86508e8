#include "doctor/doctorplans.h"

#include "doctor/doctorrule.h"

#include "engine/operationlog.h"

#include <QDir>
#include <QFileInfo>

namespace {

const QString kVerifyDescription = QStringLiteral("Verify with Django: migrate --plan must accept the history");

QString stamp(const DoctorPlanContext &context)
{
    const QDateTime now = context.now.isValid() ? context.now : QDateTime::currentDateTime();
    return now.toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

} // namespace

namespace DoctorPlans {

QString defaultBackupsDir(const QString &projectRoot)
{
    return QFileInfo(OperationLog::pathForProject(projectRoot)).absolutePath() + QStringLiteral("/backups");
}

Plan makePlan(const DoctorPlanContext &context, const QString &id, const QString &title)
{
    Plan plan;
    plan.id = id;
    plan.title = title;
    plan.projectRoot = context.config.root;
    plan.addSecret(context.config.db.password);
    return plan;
}

BackupLocation snapshotBackup(const DoctorPlanContext &context)
{
    PlanOptions options;
    // Backups are named in local time, like every other backup of the project.
    options.now = context.now.isValid() ? context.now.toLocalTime() : QDateTime();
    return SafetySteps::newBackup(context.config, options, QStringLiteral("doctor-fix"));
}

QList<PlanStep> snapshotSteps(const DoctorPlanContext &context, const BackupLocation &backup)
{
    return SafetySteps::historySnapshot(context.config, backup);
}

void addSnapshot(Plan &plan, const DoctorPlanContext &context)
{
    const BackupLocation backup = snapshotBackup(context);
    plan.backupDir = backup.dir;
    plan.steps << snapshotSteps(context, backup);
}

QString snapshotPath(const Plan &plan)
{
    return plan.backupDir.isEmpty() ? QString() : plan.backupDir + QStringLiteral("/django_migrations.json");
}

bool isSnapshotStep(const PlanStep &step)
{
    // The safety net's steps are recognised by their descriptions (independent of config and folder).
    static const QStringList descriptions = [] {
        BackupLocation probe;
        probe.dir = QStringLiteral("/probe");
        probe.id = QStringLiteral("probe");
        QStringList out;
        for (const PlanStep &s : SafetySteps::historySnapshot(ProjectConfig(), probe))
            out << stepDescription(s);
        return out;
    }();
    return descriptions.contains(stepDescription(step));
}

void addDatabaseBackup(Plan &plan, const DoctorPlanContext &context, const QString &operation)
{
    PlanOptions options;
    options.now = context.now.isValid() ? context.now.toLocalTime() : QDateTime();
    const BackupLocation backup = SafetySteps::newBackup(context.config, options, operation);
    plan.backupDir = backup.dir;
    plan.destructive = true;
    plan.steps << SafetySteps::databaseBackup(context.config, options, backup);
}

ProcessStep git(const DoctorPlanContext &context, const QStringList &args, const QString &description)
{
    ProcessStep step;
    step.description = description;
    step.program = QStringLiteral("git");
    step.args = args;
    step.workingDir = context.config.root;
    step.env = {{QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"), false}};
    step.timeoutMs = 5 * 60 * 1000;
    return step;
}

SqlStep sqlStep(const DoctorPlanContext &context, const QString &description, const QList<SqlStatement> &statements)
{
    SqlStep step;
    step.description = description;
    step.db = context.config.db;
    step.statements = statements;
    return step;
}

SqlStatement recordApplied(const QString &app, const QString &name, const QDateTime &applied)
{
    // Casts: an untyped parameter in a SELECT list would be text, which PostgreSQL will not
    // assign to a timestamptz column.
    return SqlStatement{
        QStringLiteral("INSERT INTO django_migrations (app, name, applied) "
                       "SELECT CAST(? AS varchar), CAST(? AS varchar), CAST(? AS timestamptz) "
                       "WHERE NOT EXISTS (SELECT 1 FROM django_migrations WHERE app = ? AND name = ?)"),
        {app, name, applied.toUTC(), app, name},
        false};
}

SqlStatement deleteRecord(const QString &app, const QString &name)
{
    return SqlStatement{QStringLiteral("DELETE FROM django_migrations WHERE app = ? AND name = ?"), {app, name}, false};
}

SqlStatement deleteRecordById(qint64 id)
{
    return SqlStatement{QStringLiteral("DELETE FROM django_migrations WHERE id = ?"), {id}, false};
}

ProcessStep manage(const DoctorPlanContext &context, const QStringList &args, const QString &description)
{
    ProcessStep step = Targets::forProject(context.config)->manage(args);
    step.description = description;
    return step;
}

FileStep moveToBackup(const DoctorPlanContext &context, const QStringList &relativePaths)
{
    FileStep step;
    step.description = QStringLiteral("Move %1 untracked migration file(s) to a backup folder so git pull can proceed")
                           .arg(relativePaths.size());
    step.baseDir = context.config.root;
    step.paths = relativePaths;
    step.backupDir = QDir(context.backupsDir).absoluteFilePath(QStringLiteral("untracked-%1").arg(stamp(context)));
    step.remove = true;
    return step;
}

ProcessStep verifyStep(const DoctorPlanContext &context)
{
    return manage(context, {QStringLiteral("migrate"), QStringLiteral("--plan")}, kVerifyDescription);
}

bool isVerifyStep(const PlanStep &step)
{
    const auto *p = std::get_if<ProcessStep>(&step);
    return p && p->description == kVerifyDescription;
}

Plan fixAll(const QList<Finding> &findings, const DoctorPlanContext &context)
{
    Plan plan = makePlan(context, QStringLiteral("doctor-fix-all"), QStringLiteral("Fix all recommended"));
    // Dependency order, each rule's fixAllRank: stale rows go first, then the history is
    // completed, then tables are recorded; files and Django commands come after the database agrees.
    QList<FindingKind> order;
    {
        QList<const DoctorRule *> rules;
        for (const DoctorRule &rule : DoctorRules::all())
            rules << &rule;
        std::stable_sort(rules.begin(), rules.end(),
                         [](const DoctorRule *x, const DoctorRule *y) { return x->fixAllRank < y->fixAllRank; });
        for (const DoctorRule *rule : std::as_const(rules)) {
            if (rule->fixAllRank >= 0) // a negative rank: a plan of its own (a dump, Django backwards), never merged
                order << rule->kind;
        }
    }
    // A fix that runs alone (a dump, Django backwards: negative rank) is the whole "Fix all" when one
    // is recommended; the next "Fix all" takes the rest.
    for (const DoctorRule &rule : DoctorRules::all()) {
        if (rule.fixAllRank >= 0)
            continue;
        for (const Finding &finding : findings) {
            const DoctorFix *fix = finding.kind == rule.kind ? finding.recommendedFix() : nullptr;
            if (fix && !fix->plan.steps.isEmpty())
                return fix->plan;
        }
    }
    QList<SqlStatement> statements;
    QList<FileStep> files;
    QList<ProcessStep> processes;
    QStringList sqlTitles;
    for (FindingKind kind : order) {
        for (const Finding &finding : findings) {
            const DoctorFix *fix = finding.kind == kind ? finding.recommendedFix() : nullptr;
            if (!fix)
                continue;
            plan.destructive = plan.destructive || fix->plan.destructive;
            for (const PlanStep &step : fix->plan.steps) {
                if (isSnapshotStep(step) || isVerifyStep(step))
                    continue;
                if (const auto *sql = std::get_if<SqlStep>(&step)) {
                    // Two dependents of one missing dependency recommend the same record: title it once.
                    if (!sqlTitles.contains(fix->title))
                        sqlTitles << fix->title;
                    for (const SqlStatement &st : sql->statements) {
                        const bool seen = std::any_of(statements.cbegin(), statements.cend(), [&](const SqlStatement &s) {
                            return s.sql == st.sql && s.values == st.values;
                        });
                        if (!seen)
                            statements << st;
                    }
                } else if (const auto *file = std::get_if<FileStep>(&step)) {
                    files << *file;
                } else if (const auto *process = std::get_if<ProcessStep>(&step)) {
                    // One `makemigrations --merge` merges every app: run each command once.
                    const bool seen = std::any_of(processes.cbegin(), processes.cend(), [&](const ProcessStep &p) {
                        return p.program == process->program && p.args == process->args;
                    });
                    if (!seen)
                        processes << *process;
                }
            }
        }
    }
    if (statements.isEmpty() && files.isEmpty() && processes.isEmpty())
        return plan;
    addSnapshot(plan, context);
    if (!statements.isEmpty()) {
        plan.steps << sqlStep(context,
                              QStringLiteral("Repair django_migrations in one transaction: %1")
                                  .arg(sqlTitles.join(QStringLiteral("; "))),
                              statements);
    }
    for (const FileStep &f : std::as_const(files))
        plan.steps << f;
    for (const ProcessStep &p : std::as_const(processes))
        plan.steps << p;
    plan.steps << verifyStep(context);
    return plan;
}

} // namespace DoctorPlans
