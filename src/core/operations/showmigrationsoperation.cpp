#include "operations/operation.h"
#include "targets/targets.h"

Operation showMigrationsOperation()
{
    Operation op;
    op.name = QStringLiteral("showmigrations");
    op.title = QStringLiteral("Show migrations");
    op.group = OperationGroup::Inspect;
    op.summary = QStringLiteral("manage.py showmigrations: every migration, [X] when applied");
    op.build = [](const ProjectConfig &config, const OperationOptions &) {
        Plan plan;
        ProcessStep step = Targets::forProject(config)->manage({QStringLiteral("showmigrations")});
        step.description = QStringLiteral("List every migration and whether it is applied");
        step.timeoutMs = 5 * 60 * 1000;
        plan.steps << step;
        return plan;
    };
    return op;
}
