#include "ops/operationcatalog.h"

namespace {

// Every operation: adding one is one entry and one builder.

Plan showMigrations(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    ProcessStep step = Target::forProject(config, options.composeVariant)->manage({QStringLiteral("showmigrations")});
    step.description = QStringLiteral("List every migration and whether it is applied");
    step.timeoutMs = 5 * 60 * 1000;
    plan.steps << step;
    return plan;
}

Plan check(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    ProcessStep step = Target::forProject(config, options.composeVariant)->manage({QStringLiteral("check")});
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
        {QStringLiteral("showmigrations"), QStringLiteral("Show migrations"), QStringLiteral("Inspect"),
         QStringLiteral("manage.py showmigrations: every migration, [X] when applied"), false,
         showMigrations},
        {QStringLiteral("history"), QStringLiteral("View history"), QStringLiteral("Inspect"),
         QStringLiteral("the rows of django_migrations in the order they were applied"), false, history},
        {QStringLiteral("check"), QStringLiteral("Check project"), QStringLiteral("Inspect"),
         QStringLiteral("manage.py check: Django's system checks"), false, check},
    };
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
    return plan;
}
