#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"
#include "safety/safetysteps.h"
#include "schema/schemacheck.h"
#include "targets/targets.h"

// `migrate` for every app, or per migration: `migrate APP [NAME|zero] [--fake]`. Moving one app
// to a migration may unapply (drop tables, columns and their data) and --fake rewrites the
// history, so those plans start with a verified dump.

namespace {

bool perMigration(const OperationOptions &options)
{
    return !options.values.value(GuideOption::App).trimmed().isEmpty()
        || !options.values.value(GuideOption::To).trimmed().isEmpty() || options.flag(GuideOption::Fake);
}

QStringList migrateArgs(const OperationOptions &options)
{
    QStringList args{QStringLiteral("migrate"), options.values.value(GuideOption::App).trimmed()};
    if (const QString to = options.values.value(GuideOption::To).trimmed(); !to.isEmpty())
        args << to;
    if (options.flag(GuideOption::Fake))
        args << QStringLiteral("--fake");
    args << QStringLiteral("--noinput");
    return args;
}

Plan build(const ProjectConfig &config, const OperationOptions &options)
{
    if (!perMigration(options))
        return ResetStepPlans::migrate(config, options);
    const QString app = options.values.value(GuideOption::App).trimmed();
    const QString to = options.values.value(GuideOption::To).trimmed();
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("migrate"));
    plan.backupDir = backup.dir;
    if (options.flag(GuideOption::Fake) && to != QLatin1String("zero")) {
        // Recording migrations as applied: their tables must be what they create, and exist.
        SchemaCheckRequest check;
        check.scope = SchemaCheckRequest::Scope::AppUpTo;
        check.app = app;
        check.upTo = to;
        check.recordOnly = true;
        plan.steps << SchemaCheck::guardStep(config, check);
    }
    plan.steps << SafetySteps::databaseBackup(config, options, backup);
    ProcessStep step = Targets::forProject(config)->manage(migrateArgs(options));
    const QString target = to.isEmpty() ? QStringLiteral("its latest migration")
        : to == QLatin1String("zero")   ? QStringLiteral("zero (every migration of %1 unapplied)").arg(app)
                                        : to;
    step.description = options.flag(GuideOption::Fake)
        ? QStringLiteral("Record %1 as migrated to %2 without running anything").arg(app, target)
        : QStringLiteral("Migrate %1 to %2, applying or unapplying what lies between").arg(app, target);
    step.timeoutMs = 30 * 60 * 1000;
    plan.steps << step;
    return plan;
}

QStringList blockers(const ProjectConfig &, const OperationOptions &options)
{
    if (!perMigration(options))
        return {};
    QStringList problems;
    const QString app = options.values.value(GuideOption::App).trimmed();
    const QString to = options.values.value(GuideOption::To).trimmed();
    if (app.isEmpty())
        problems << QStringLiteral("--to and --fake need the app: --app APP.");
    else if (!GuideOptionSpec::isPlainName(app))
        problems << QStringLiteral("\"%1\" is not an app name (letters, digits and _ only).").arg(app);
    if (!to.isEmpty() && !GuideOptionSpec::isPlainName(to))
        problems << QStringLiteral("\"%1\" is not a migration name (letters, digits and _ only), nor zero.").arg(to);
    if (options.flag(GuideOption::FakeInitial) && options.flag(GuideOption::Fake))
        problems << QStringLiteral("--fake and --fake-initial exclude each other.");
    return problems;
}

Confirmation confirmation(const ProjectConfig &config, const OperationOptions &options)
{
    Confirmation c;
    if (!perMigration(options))
        return c;
    const QString app = options.values.value(GuideOption::App).trimmed();
    const QString to = options.values.value(GuideOption::To).trimmed();
    c.question = options.flag(GuideOption::Fake)
        ? QStringLiteral("Record %1 as migrated to %2 without running it?").arg(app, to.isEmpty() ? QStringLiteral("its latest") : to)
        : to == QLatin1String("zero")
        ? QStringLiteral("Unapply every migration of %1 (its tables and their rows go)?").arg(app)
        : QStringLiteral("Migrate %1 to %2? Migrations after it are unapplied, their tables and columns dropped.")
              .arg(app, to.isEmpty() ? QStringLiteral("its latest") : to);
    c.items = {Targets::forProject(config)->manageHint(migrateArgs(options).join(QLatin1Char(' ')))};
    c.typedWord = app;
    c.undo = QStringLiteral("A verified pg_dump -Fc of the database is made first.");
    return c;
}

} // namespace

Operation migrateOperation()
{
    Operation op;
    op.name = QStringLiteral("migrate");
    op.title = QStringLiteral("Apply migrations");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("manage.py migrate [--fake-initial], or one app: migrate APP [NAME|zero] [--fake] (dump first)");
    op.options = {GuideOptionSpec::switchOption(
                      GuideOption::FakeInitial,
                      QStringLiteral("record initial migrations whose tables exist instead of creating them."),
                      QStringLiteral("Use --&fake-initial (the tables already exist)")),
                  GuideOptionSpec::app(),
                  GuideOptionSpec::valueOption(GuideOption::To,
                                               QStringLiteral("migrate --app: go to this migration (applying or unapplying), or zero; "
                                                              "switch-branch: the branch to switch to."),
                                               QStringLiteral("name|zero|branch")),
                  GuideOptionSpec::switchOption(GuideOption::Fake,
                                                QStringLiteral("with --app: record the change in django_migrations, run nothing.")),
    };
    op.build = build;
    op.blockers = blockers;
    op.confirmation = confirmation;
    return op;
}
