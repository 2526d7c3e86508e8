#include "operations/automatedresetplan.h"

#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"
#include "safety/safetysteps.h"
#include "schema/schemacheck.h"
#include "targets/targets.h"

bool AutomatedResetPlan::usesFakeInitial(const OperationOptions &options)
{
    return options.flag(GuideOption::FakeInitial) || (options.facts.tablesChecked && options.facts.appTablesExist);
}

Plan AutomatedResetPlan::build(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    // Before the first change: the regenerated migrations are made and migrated on scratch
    // copies, and the fake runs only when the live tables are exactly what they create.
    if (usesFakeInitial(options)) {
        SchemaCheckRequest check;
        check.files = SchemaCheckRequest::Files::Regenerated;
        plan.steps << SchemaCheck::guardStep(config, check);
    }
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("reset-migrations"));
    plan.backupDir = backup.dir;
    // migrate may change the schema, so the database is kept too, not only the history and files.
    plan.steps << SafetySteps::fullBackup(config, options, options.facts.deletableFiles, backup);

    plan.steps << ResetStepPlans::clearHistoryStep(config, options);
    plan.steps << ResetStepPlans::deleteFilesStep(config, options);

    OperationOptions every = options;
    every.values.remove(GuideOption::Apps); // the reset regenerates every app
    plan.steps << ResetStepPlans::makeMigrationsStep(config, every);
    plan.steps << ResetStepPlans::migrateStep(config, options, usesFakeInitial(options));
    if (options.flag(GuideOption::Superuser))
        plan.steps << ResetStepPlans::createSuperuserStep(config, options);
    if (options.flag(GuideOption::Commit)) {
        for (const ProcessStep &step : ResetStepPlans::commitSteps(config, options))
            plan.steps << step;
    }
    return plan;
}
