#include "operations/operation.h"

Operation historyOperation()
{
    Operation op;
    op.name = QStringLiteral("history");
    op.title = QStringLiteral("View history");
    op.group = OperationGroup::Inspect;
    op.summary = QStringLiteral("the rows of django_migrations in the order they were applied");
    op.build = [](const ProjectConfig &config, const OperationOptions &) {
        Plan plan;
        SqlStep step;
        step.description = QStringLiteral("Read the migration history from django_migrations");
        step.db = config.db;
        step.statements << SqlStatement{
            QStringLiteral("SELECT app, name, applied FROM django_migrations ORDER BY applied"), {}, true};
        plan.steps << step;
        return plan;
    };
    return op;
}
