#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"

Operation migrateOperation()
{
    Operation op;
    op.name = QStringLiteral("migrate");
    op.title = QStringLiteral("Apply migrations");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("manage.py migrate [--fake-initial]");
    op.options = {GuideOptionSpec::switchOption(
        GuideOption::FakeInitial,
        QStringLiteral("record initial migrations whose tables exist instead of creating them."),
        QStringLiteral("Use --&fake-initial (the tables already exist)"))};
    op.build = ResetStepPlans::migrate;
    return op;
}
