#include "operations/operation.h"
#include "safety/safetysteps.h"

Operation backupOperation()
{
    Operation op;
    op.name = QStringLiteral("backup");
    op.title = QStringLiteral("Back up the database");
    op.group = OperationGroup::Database;
    op.summary = QStringLiteral("verified pg_dump -Fc and a snapshot of django_migrations");
    op.build = [](const ProjectConfig &config, const OperationOptions &options) {
        return SafetySteps::backupPlan(config, options);
    };
    return op;
}
