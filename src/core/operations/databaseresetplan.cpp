#include "operations/databaseresetplan.h"

#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"
#include "db/databaseconnection.h"
#include "safety/safetysteps.h"
#include "targets/targets.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>


QString DatabaseResetPlan::refusedDatabaseName(const ProjectConfig &config)
{
    return Targets::forProject(config)->emptyDatabaseRefusal();
}

int DatabaseResetPlan::waitTimeoutMs(const OperationOptions &options)
{
    bool ok = false;
    const int seconds = options.values.value(GuideOption::WaitSeconds).toInt(&ok);
    return (ok && seconds > 0 ? seconds : 120) * 1000;
}

Plan DatabaseResetPlan::build(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("reset-database"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::databaseBackup(config, options, backup);

    if (const QString refused = refusedDatabaseName(config); !refused.isEmpty()) {
        // Also when the blockers were not asked: the plan itself cannot drop such a name.
        CallStep refuse;
        refuse.description = QStringLiteral("Refuse to drop database %1").arg(config.db.name);
        refuse.detail = refused;
        refuse.run = [refused](const CallContext &) { return refused; };
        plan.steps.prepend(refuse);
    } else {
        plan.steps << Targets::forProject(config)->emptyDatabase(options.facts.postgresVolume(), waitTimeoutMs(options));
    }
    plan.steps << ResetStepPlans::migrateStep(config, options, false);
    if (options.flag(GuideOption::Superuser))
        plan.steps << ResetStepPlans::createSuperuserStep(config, options);
    return plan;
}
