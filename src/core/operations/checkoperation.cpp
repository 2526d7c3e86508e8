#include "operations/operation.h"
#include "targets/targets.h"

Operation checkOperation()
{
    Operation op;
    op.name = QStringLiteral("check");
    op.title = QStringLiteral("Check project");
    op.group = OperationGroup::Inspect;
    op.summary = QStringLiteral("manage.py check: Django's system checks");
    op.build = [](const ProjectConfig &config, const OperationOptions &) {
        Plan plan;
        ProcessStep step = Targets::forProject(config)->manage({QStringLiteral("check")});
        step.description = QStringLiteral("Run Django's system checks");
        step.timeoutMs = 5 * 60 * 1000;
        plan.steps << step;
        return plan;
    };
    return op;
}
