#include "operations/resetstepplans.h"

Operation deleteFilesOperation()
{
    Operation op;
    op.name = QStringLiteral("delete-files");
    op.title = QStringLiteral("Delete migration files");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("every <app>/migrations/*.py except __init__.py, and the caches (copied first)");
    op.destructive = true;
    op.facts = Fact::Files;
    op.build = ResetStepPlans::deleteFiles;
    op.blockers = [](const ProjectConfig &config, const OperationOptions &options) {
        if (options.facts.filesListed && options.facts.deletableFiles.isEmpty())
            return QStringList{QStringLiteral("There is no migration file to delete under %1.").arg(config.backendDir)};
        return QStringList();
    };
    op.confirmation = [](const ProjectConfig &, const OperationOptions &options) {
        Confirmation c;
        c.question = QStringLiteral("Delete %1 migration file(s) and cache folder(s)?").arg(options.facts.deletableFiles.size());
        c.items = options.facts.deletableFiles;
        c.undo = QStringLiteral("They are copied, with checksums, to a timestamped backup folder first.");
        return c;
    };
    return op;
}
