#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"

Operation makeMigrationsOperation()
{
    Operation op;
    op.name = QStringLiteral("makemigrations");
    op.title = QStringLiteral("Make migrations");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("manage.py makemigrations [APP…]");
    op.options = {{GuideOption::Apps, OperationOption::Kind::AppList,
                   QStringLiteral("only these apps (comma-separated; none: every app)."),
                   QStringLiteral("Only these &apps (none checked: every app):"), QStringLiteral("apps"), {}}};
    op.build = ResetStepPlans::makeMigrations;
    return op;
}
