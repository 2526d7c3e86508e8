#include "operations/operationcatalog.h"

#include "operations/automatedresetplan.h"
#include "operations/databaseresetplan.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"
#include "plan/planrenderer.h"
#include "safety/safetysteps.h"

namespace {

const QString kInspect = QStringLiteral("Inspect");
const QString kResetSteps = QStringLiteral("Reset steps");
const QString kDatabase = QStringLiteral("Database");
const QString kRepair = QStringLiteral("Repair");

// Every operation: adding one is one entry and one builder.

Plan showMigrations(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    ProcessStep step = Targets::forProject(config)->manage({QStringLiteral("showmigrations")});
    step.description = QStringLiteral("List every migration and whether it is applied");
    step.timeoutMs = 5 * 60 * 1000;
    plan.steps << step;
    return plan;
}

Plan check(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    ProcessStep step = Targets::forProject(config)->manage({QStringLiteral("check")});
    step.description = QStringLiteral("Run Django's system checks");
    step.timeoutMs = 5 * 60 * 1000;
    plan.steps << step;
    return plan;
}

Plan history(const ProjectConfig &config, const OperationOptions &)
{
    Plan plan;
    SqlStep step;
    step.description = QStringLiteral("Read the migration history from django_migrations");
    step.db = config.db;
    step.statements << SqlStatement{
        QStringLiteral("SELECT app, name, applied FROM django_migrations ORDER BY applied"), {}, true};
    plan.steps << step;
    return plan;
}

QList<Operation> makeCatalog()
{
    return {
        {QStringLiteral("showmigrations"), QStringLiteral("Show migrations"), kInspect,
         QStringLiteral("manage.py showmigrations: every migration, [X] when applied"), false,
         showMigrations},
        {QStringLiteral("history"), QStringLiteral("View history"), kInspect,
         QStringLiteral("the rows of django_migrations in the order they were applied"), false, history},
        {QStringLiteral("check"), QStringLiteral("Check project"), kInspect,
         QStringLiteral("manage.py check: Django's system checks"), false, check},

        {QStringLiteral("reset-migrations"), QStringLiteral("Automated migration reset"), kResetSteps,
         QStringLiteral("the whole guide: backups, clear history, delete files, makemigrations, migrate "
                        "(--fake-initial when tables exist), optional superuser and commit"),
         true, AutomatedResetPlan::build},
        {QStringLiteral("clear-history"), QStringLiteral("Clear migration history"), kResetSteps,
         QStringLiteral("DELETE the project's apps' rows of django_migrations (snapshot first)"), true,
         ResetStepPlans::clearHistory},
        {QStringLiteral("delete-files"), QStringLiteral("Delete migration files"), kResetSteps,
         QStringLiteral("every <app>/migrations/*.py except __init__.py, and the caches (copied first)"), true,
         ResetStepPlans::deleteFiles},
        {QStringLiteral("makemigrations"), QStringLiteral("Make migrations"), kResetSteps,
         QStringLiteral("manage.py makemigrations [APP…]"), false, ResetStepPlans::makeMigrations},
        {QStringLiteral("migrate"), QStringLiteral("Apply migrations"), kResetSteps,
         QStringLiteral("manage.py migrate [--fake-initial]"), false, ResetStepPlans::migrate},
        {QStringLiteral("createsuperuser"), QStringLiteral("Create superuser"), kResetSteps,
         QStringLiteral("manage.py createsuperuser --noinput, password through the environment only"), false,
         ResetStepPlans::createSuperuser},
        {QStringLiteral("commit"), QStringLiteral("Commit migration files"), kResetSteps,
         QStringLiteral("git add exactly the migration files, commit, optional push (never forced)"), false,
         ResetStepPlans::commit},

        {QStringLiteral("reset-database"), QStringLiteral("Full database reset"), kDatabase,
         QStringLiteral("verified backup, then a new empty database (Compose: down, volume rm, up -d) and migrate"),
         true, DatabaseResetPlan::build},
        {QStringLiteral("backup"), QStringLiteral("Back up the database"), kDatabase,
         QStringLiteral("verified pg_dump -Fc and a snapshot of django_migrations"), false,
         SafetySteps::backupPlan},
    };
}

QStringList missingFacts(const QString &name, const ProjectConfig &config, const OperationOptions &options)
{
    const GuideFacts &facts = options.facts;
    const bool reset = name == QLatin1String("reset-migrations");
    QStringList problems = facts.errors;
    auto need = [&](bool known, const QString &what) {
        if (!known)
            problems << QStringLiteral("%1 is not known yet: read the facts first.").arg(what);
    };
    if (name == QLatin1String("clear-history") || reset) {
        need(facts.appsKnown, QStringLiteral("The list of the project's apps"));
        need(facts.historyCounted, QStringLiteral("The number of rows to delete"));
        if (facts.appsKnown && facts.projectApps.isEmpty() && !options.flag(GuideOption::AllApps))
            problems << QStringLiteral("No app under %1 has a migrations folder: there is no history to clear.")
                            .arg(config.backendDir);
    }
    if (name == QLatin1String("delete-files") || reset)
        need(facts.filesListed, QStringLiteral("The list of migration files"));
    if (name == QLatin1String("delete-files") && facts.filesListed && facts.deletableFiles.isEmpty())
        problems << QStringLiteral("There is no migration file to delete under %1.").arg(config.backendDir);
    if (reset)
        need(facts.tablesChecked, QStringLiteral("Whether the apps' tables exist"));
    if (name == QLatin1String("reset-database") && config.target == TargetKind::Compose) {
        need(facts.volumeChecked, QStringLiteral("The postgres volume of compose project %1").arg(config.composeProjectName));
        if (facts.volumeChecked && facts.postgresVolumes.isEmpty())
            problems << QStringLiteral("No volume carries the labels com.docker.compose.project=%1 and "
                                       "com.docker.compose.volume=%2: the stack was never started, or under another "
                                       "project name (set it in Project Settings).")
                            .arg(config.composeProjectName, facts.volumeKey);
        if (facts.postgresVolumes.size() > 1)
            problems << QStringLiteral("More than one volume matches (%1): remove the one you mean by hand.")
                            .arg(facts.postgresVolumes.join(QStringLiteral(", ")));
        // `down` recreates the container and its network: the address known now would be stale
        // when the plan waits for the new server, after the data is gone.
        if (config.dbViaContainerAddress)
            problems << QStringLiteral("The %1 service publishes no port, so MigrationDesk reaches it at its container's "
                                       "address, which changes when the reset recreates the container. Publish the port "
                                       "first (ports: [\"127.0.0.1:5432:5432\"] on the %1 service), then reset.")
                            .arg(config.dbService);
    }
    const bool superuser = name == QLatin1String("createsuperuser")
        || ((reset || name == QLatin1String("reset-database")) && options.flag(GuideOption::Superuser));
    if (superuser)
        problems << ResetStepPlans::superuserProblems(options);
    if (name == QLatin1String("commit") || (reset && options.flag(GuideOption::Commit))) {
        problems << facts.commit.blockers(options.flag(GuideOption::Push));
        if (name == QLatin1String("commit") && facts.commit.checked && facts.commit.error.isEmpty()
            && facts.commit.isRepository && facts.commit.migrationFiles.isEmpty())
            problems << QStringLiteral("No migration file under %1 has changes: nothing to commit.")
                            .arg(config.backendRelative());
    }
    problems.removeDuplicates();
    return problems;
}

} // namespace

const QList<Operation> &OperationCatalog::all()
{
    static const QList<Operation> catalog = makeCatalog();
    return catalog;
}

const Operation *OperationCatalog::find(const QString &name)
{
    for (const Operation &op : all()) {
        if (op.name == name)
            return &op;
    }
    return nullptr;
}

QStringList OperationCatalog::groups()
{
    return {kInspect, kResetSteps, kDatabase, kRepair};
}

QList<const Operation *> OperationCatalog::inGroup(const QString &group)
{
    QList<const Operation *> ops;
    for (const Operation &op : all()) {
        if (op.group == group)
            ops << &op;
    }
    return ops;
}

Plan OperationCatalog::build(const QString &name, const ProjectConfig &config,
                             const OperationOptions &options)
{
    const Operation *op = find(name);
    if (!op)
        return Plan();
    Plan plan = op->build(config, options);
    plan.id = op->name;
    if (plan.title.isEmpty())
        plan.title = op->title;
    plan.projectRoot = config.root;
    plan.destructive = plan.destructive || op->destructive;
    plan.addSecret(config.db.password);
    plan.addSecret(options.superuserPassword);
    plan.inputs = {
        QStringLiteral("target=") + targetKindName(config.target),
        QStringLiteral("compose=") + (config.target == TargetKind::Compose ? ComposeCli::variantName(config.composeVariant) : QString()),
        QStringLiteral("compose-file=") + (config.composeFileChosen ? config.composeFile : QStringLiteral("(compose's own discovery)")),
        QStringLiteral("compose-project=") + config.composeProjectName,
        QStringLiteral("services=") + config.dbService + QLatin1Char(',') + config.backendService,
        // A container address changes with the container: the service names the database then.
        QStringLiteral("database=%1@%2:%3/%4").arg(config.db.user,
                                                   config.dbViaContainerAddress ? QStringLiteral("<%1 container>").arg(config.dbService) : config.db.host,
                                                   QString::number(config.db.port), config.db.name),
        QStringLiteral("backend=") + config.backendDir,
        QStringLiteral("python=") + (config.target == TargetKind::Local ? config.python : QString()),
    };
    QStringList keys = options.values.keys();
    keys.sort();
    for (const QString &key : keys) {
        // An unset switch or an empty value is no choice (the GUI records "0", the CLI nothing);
        // the backup folder is where a resume writes, not what it does.
        const QString value = options.values.value(key);
        if (value.isEmpty() || value == QLatin1String("0") || key == SafetySteps::BackupDirOption)
            continue;
        plan.inputs << QStringLiteral("option %1=%2").arg(key, value);
    }
    return plan;
}

GuideFacts OperationCatalog::readFacts(const QString &name, const ProjectConfig &config,
                                       const OperationOptions &options)
{
    return GuideFactsReader::read(name, config, options);
}

QStringList OperationCatalog::blockers(const QString &name, const ProjectConfig &config,
                                       const OperationOptions &options)
{
    if (!find(name))
        return {QStringLiteral("There is no operation \"%1\".").arg(name)};
    return missingFacts(name, config, options);
}

Confirmation OperationCatalog::confirmation(const QString &name, const ProjectConfig &config,
                                            const OperationOptions &options)
{
    const GuideFacts &facts = options.facts;
    Confirmation c;
    const QString backups = QStringLiteral("A backup is made first (Backups folder of the project).");
    if (name == QLatin1String("clear-history")) {
        const bool all = options.flag(GuideOption::AllApps);
        c.question = all ? QStringLiteral("Delete all %1 row(s) of django_migrations, Django's own apps included?")
                               .arg(facts.historyRows)
                         : QStringLiteral("Delete %1 row(s) of django_migrations, the history of %2?")
                               .arg(QString::number(facts.historyRows), facts.projectApps.join(QStringLiteral(", ")));
        c.items = all ? QStringList() : facts.projectApps;
        c.undo = QStringLiteral("The rows are saved as django_migrations.json first. ") + backups;
    } else if (name == QLatin1String("delete-files")) {
        c.question = QStringLiteral("Delete %1 migration file(s) and cache folder(s)?").arg(facts.deletableFiles.size());
        c.items = facts.deletableFiles;
        c.undo = QStringLiteral("They are copied, with checksums, to a timestamped backup folder first.");
    } else if (name == QLatin1String("reset-database")) {
        if (config.target == TargetKind::Compose) {
            c.question = QStringLiteral("Delete volume %1 and with it every table and row of database %2?")
                             .arg(facts.postgresVolume(), config.db.name);
            c.items = {QStringLiteral("docker volume rm %1").arg(facts.postgresVolume())};
            c.typedWord = facts.postgresVolume();
        } else {
            c.question = QStringLiteral("Drop database %1 on %2:%3 with every table and row?")
                             .arg(config.db.name, config.db.host, QString::number(config.db.port));
            c.typedWord = config.db.name;
        }
        c.undo = QStringLiteral("A verified pg_dump -Fc of the database is made first.");
    } else if (name == QLatin1String("reset-migrations")) {
        c.question = QStringLiteral("Reset every migration of %1?").arg(facts.projectApps.join(QStringLiteral(", ")));
        c.items << QStringLiteral("delete %1 row(s) of django_migrations").arg(facts.historyRows)
                << QStringLiteral("delete %1 migration file(s) and caches").arg(facts.deletableFiles.size())
                << QStringLiteral("makemigrations, then migrate%1")
                       .arg(AutomatedResetPlan::usesFakeInitial(options) ? QStringLiteral(" --fake-initial (the tables exist)")
                                                                        : QString());
        if (options.flag(GuideOption::Superuser))
            c.items << QStringLiteral("create superuser %1").arg(options.values.value(GuideOption::Username));
        if (options.flag(GuideOption::Commit))
            c.items << QStringLiteral("commit the migration files%1")
                           .arg(options.flag(GuideOption::Push) ? QStringLiteral(" and push") : QString());
        c.typedWord = GuideOption::ResetConfirmationWord;
        c.undo = QStringLiteral("The database, django_migrations and the files are backed up first; a failed step "
                                "can be resumed after you fix its cause.");
    } else if (name == QLatin1String("commit")) {
        c.question = QStringLiteral("Commit %1 migration file(s) on branch %2%3?")
                         .arg(QString::number(facts.commit.migrationFiles.size()), facts.commit.branch,
                              options.flag(GuideOption::Push) ? QStringLiteral(" and push") : QString());
        c.items = facts.commit.migrationFiles;
    }
    return c;
}

QString OperationCatalog::tooltip(const QString &name, const ProjectConfig &config, const OperationOptions &options)
{
    const Operation *op = find(name);
    if (!op)
        return QString();
    return op->summary + QStringLiteral("\n\n") + PlanRenderer::render(build(name, config, options));
}
