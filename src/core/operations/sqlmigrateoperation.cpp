#include "operations/guideoptions.h"
#include "targets/targets.h"

// `manage.py sqlmigrate APP NAME`: the SQL one migration runs, read-only.

Operation sqlMigrateOperation()
{
    Operation op;
    op.name = QStringLiteral("sqlmigrate");
    op.title = QStringLiteral("Show a migration's SQL");
    op.group = OperationGroup::Inspect;
    op.summary = QStringLiteral("manage.py sqlmigrate APP NAME: the SQL a migration runs (nothing changes)");
    op.options = {GuideOptionSpec::app(),
                  GuideOptionSpec::valueOption(GuideOption::Name, QStringLiteral("the migration."), QStringLiteral("name"))};
    op.build = [](const ProjectConfig &config, const OperationOptions &options) {
        const QString app = options.values.value(GuideOption::App).trimmed();
        const QString name = options.values.value(GuideOption::Name).trimmed();
        Plan plan;
        ProcessStep step = Targets::forProject(config)->manage({QStringLiteral("sqlmigrate"), app, name});
        step.description = QStringLiteral("Show the SQL of %1.%2").arg(app, name);
        step.timeoutMs = 5 * 60 * 1000;
        plan.steps << step;
        return plan;
    };
    op.blockers = [](const ProjectConfig &, const OperationOptions &options) {
        QStringList problems;
        const QString app = options.values.value(GuideOption::App).trimmed();
        const QString name = options.values.value(GuideOption::Name).trimmed();
        if (!GuideOptionSpec::isPlainName(app))
            problems << QStringLiteral("sqlmigrate needs the app: --app APP (letters, digits and _).");
        if (!GuideOptionSpec::isPlainName(name))
            problems << QStringLiteral("sqlmigrate needs the migration: --name NAME (letters, digits and _).");
        return problems;
    };
    return op;
}
