#include "operations/resetstepplans.h"

#include "schema/schemacheck.h"

#include "operations/guideoptions.h"
#include "safety/safetysteps.h"
#include "targets/targets.h"

namespace {

constexpr int kManageTimeoutMs = 30 * 60 * 1000; // a migrate on a big table can take long

QStringList optionList(const OperationOptions &options, const QString &key)
{
    QStringList items;
    for (const QString &item : options.values.value(key).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString trimmed = item.trimmed();
        if (!trimmed.isEmpty() && !items.contains(trimmed))
            items << trimmed;
    }
    return items;
}

ProcessStep gitStep(const ProjectConfig &config, const QString &description, const QStringList &args)
{
    ProcessStep step;
    step.description = description;
    step.program = QStringLiteral("git");
    step.args = args;
    step.workingDir = config.root;
    // A push that needs credentials fails at once instead of waiting for a prompt nobody sees.
    step.env = {{QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"), false}};
    step.timeoutMs = 5 * 60 * 1000;
    return step;
}

} // namespace

QStringList ResetStepPlans::clearHistoryApps(const OperationOptions &options)
{
    if (options.flag(GuideOption::AllApps))
        return {};
    return options.facts.projectApps;
}

SqlStatement ResetStepPlans::clearHistoryStatement(const QStringList &apps, bool allApps)
{
    if (allApps)
        return {QStringLiteral("DELETE FROM django_migrations"), {}, false};
    QStringList marks;
    QVariantList values;
    for (const QString &app : apps) {
        marks << QStringLiteral("?");
        values << app;
    }
    if (marks.isEmpty()) // no app known: a statement that deletes nothing, never everything
        return {QStringLiteral("DELETE FROM django_migrations WHERE false"), {}, false};
    return {QStringLiteral("DELETE FROM django_migrations WHERE app IN (%1)").arg(marks.join(QStringLiteral(", "))),
            values, false};
}

SqlStep ResetStepPlans::clearHistoryStep(const ProjectConfig &config, const OperationOptions &options)
{
    const bool all = options.flag(GuideOption::AllApps);
    SqlStep step;
    step.description = all ? QStringLiteral("Delete every row of django_migrations")
                           : QStringLiteral("Delete the migration history of the project's apps (%1)")
                                 .arg(options.facts.projectApps.join(QStringLiteral(", ")));
    step.db = config.db;
    step.statements << clearHistoryStatement(options.facts.projectApps, all);
    return step;
}

Plan ResetStepPlans::clearHistory(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("clear-history"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::historySnapshot(config, backup);
    plan.steps << clearHistoryStep(config, options);
    return plan;
}

FileStep ResetStepPlans::deleteFilesStep(const ProjectConfig &config, const OperationOptions &options)
{
    const QStringList &files = options.facts.deletableFiles;
    FileStep remove;
    remove.description = QStringLiteral("Delete %1 migration file(s) and caches (every migrations/*.py "
                                        "except __init__.py)")
                             .arg(files.size());
    remove.baseDir = config.root;
    remove.paths = files;
    remove.remove = true;
    return remove;
}

Plan ResetStepPlans::deleteFiles(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("delete-files"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::fileBackup(config, options.facts.deletableFiles, backup);
    plan.steps << deleteFilesStep(config, options);
    return plan;
}

ProcessStep ResetStepPlans::makeMigrationsStep(const ProjectConfig &config, const OperationOptions &options)
{
    const QStringList apps = optionList(options, GuideOption::Apps);
    ProcessStep step = Targets::forProject(config)
                           ->manage(QStringList{QStringLiteral("makemigrations")} + apps);
    step.description = apps.isEmpty()
        ? QStringLiteral("Generate new migration files for every app")
        : QStringLiteral("Generate new migration files for %1").arg(apps.join(QStringLiteral(", ")));
    step.timeoutMs = kManageTimeoutMs;
    return step;
}

Plan ResetStepPlans::makeMigrations(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.steps << makeMigrationsStep(config, options);
    return plan;
}

ProcessStep ResetStepPlans::migrateStep(const ProjectConfig &config, const OperationOptions &options,
                                        bool fakeInitial)
{
    QStringList args{QStringLiteral("migrate")};
    if (fakeInitial)
        args << QStringLiteral("--fake-initial");
    args << QStringLiteral("--noinput");
    ProcessStep step = Targets::forProject(config)->manage(args);
    step.description = fakeInitial
        ? QStringLiteral("Apply the migrations; record initial ones whose tables already exist as applied")
        : QStringLiteral("Apply the migrations");
    step.timeoutMs = kManageTimeoutMs;
    return step;
}

Plan ResetStepPlans::migrate(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    const bool fakeInitial = options.flag(GuideOption::FakeInitial);
    if (fakeInitial) // --fake-initial only after the tables proved to be what the migrations make
        plan.steps << SchemaCheck::guardStep(config, {});
    plan.steps << migrateStep(config, options, fakeInitial);
    return plan;
}

ProcessStep ResetStepPlans::createSuperuserStep(const ProjectConfig &config, const OperationOptions &options)
{
    const QString username = options.values.value(GuideOption::Username).trimmed();
    const QList<EnvVar> env{
        {QStringLiteral("DJANGO_SUPERUSER_USERNAME"), username, false},
        {QStringLiteral("DJANGO_SUPERUSER_EMAIL"), options.values.value(GuideOption::Email).trimmed(), false},
        {QStringLiteral("DJANGO_SUPERUSER_PASSWORD"), options.superuserPassword, true},
    };
    ProcessStep step = Targets::forProject(config)
                           ->manage({QStringLiteral("createsuperuser"), QStringLiteral("--noinput")}, env);
    step.description = QStringLiteral("Create the superuser %1")
                           .arg(username.isEmpty() ? QStringLiteral("(no username given)") : username);
    step.timeoutMs = 5 * 60 * 1000;
    return step;
}

Plan ResetStepPlans::createSuperuser(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.steps << createSuperuserStep(config, options);
    return plan;
}

QString ResetStepPlans::migrationPathspec(const ProjectConfig &config)
{
    QString backend = config.backendRelative();
    if (backend == QLatin1String("."))
        backend.clear();
    const QString prefix = backend.isEmpty() ? QString() : backend + QLatin1Char('/');
    // glob magic: '*' stays inside one folder, so only <app>/migrations/*.py match (no caches).
    return QStringLiteral(":(glob)%1*/migrations/*.py").arg(prefix);
}

QList<ProcessStep> ResetStepPlans::commitSteps(const ProjectConfig &config, const OperationOptions &options)
{
    QList<ProcessStep> steps;
    const QString pathspec = migrationPathspec(config);
    // -A: new, changed AND deleted migration files, and nothing outside the pathspec.
    steps << gitStep(config, QStringLiteral("Stage exactly the migration files under %1").arg(config.backendRelative()),
                     {QStringLiteral("add"), QStringLiteral("-A"), QStringLiteral("--"), pathspec});
    QString message = options.values.value(GuideOption::Message).trimmed();
    if (message.isEmpty())
        message = GuideOption::DefaultCommitMessage;
    ProcessStep commit = gitStep(config, QStringLiteral("Commit them"), {QStringLiteral("commit"), QStringLiteral("-m"), message});
    // A commit refused (no identity, a hook) must not leave the files staged for the user's next commit.
    commit.rollback = std::make_shared<const ProcessStep>(
        gitStep(config, QStringLiteral("unstaged the migration files again"),
                {QStringLiteral("reset"), QStringLiteral("-q"), QStringLiteral("--"), pathspec}));
    steps << commit;
    if (options.flag(GuideOption::Push)) {
        const CommitCheck &check = options.facts.commit;
        // Always an explicit destination: a refspec without one takes its mapping, and its "+",
        // from remote.<name>.push, and a user's "+refs/heads/*:refs/heads/*" would force the push.
        QStringList args{QStringLiteral("push")};
        const int slash = int(check.upstream.indexOf(QLatin1Char('/')));
        if (slash > 0) {
            args << check.upstream.left(slash) << QStringLiteral("HEAD:refs/heads/") + check.upstream.mid(slash + 1);
        } else {
            const QString branch = check.branch.isEmpty() ? QStringLiteral("BRANCH") : check.branch;
            args << QStringLiteral("-u") << QStringLiteral("origin") << QStringLiteral("HEAD:refs/heads/") + branch;
        }
        ProcessStep push = gitStep(config, QStringLiteral("Push the commit (never forced)"), args);
        push.failureHints = {
            {QStringLiteral("\\[rejected\\].*\\((fetch first|non-fast-forward)\\)|Updates were rejected"),
             QStringLiteral("the remote has commits you don't: pull first (git pull --rebase), then push again; "
                            "nothing on the remote was overwritten")},
        };
        steps << push;
    }
    return steps;
}

Plan ResetStepPlans::commit(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    for (const ProcessStep &step : commitSteps(config, options))
        plan.steps << step;
    return plan;
}
