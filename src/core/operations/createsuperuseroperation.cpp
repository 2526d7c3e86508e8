#include "operations/guideoptions.h"
#include "operations/operationblockers.h"
#include "operations/resetstepplans.h"

Operation createSuperuserOperation()
{
    Operation op;
    op.name = QStringLiteral("createsuperuser");
    op.title = QStringLiteral("Create superuser");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("manage.py createsuperuser --noinput, password through the environment only");
    op.options = {GuideOptionSpec::username(), GuideOptionSpec::email()};
    op.build = ResetStepPlans::createSuperuser;
    op.blockers = [](const ProjectConfig &, const OperationOptions &options) {
        return OperationBlockers::superuser(options);
    };
    return op;
}
