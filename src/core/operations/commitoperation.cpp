#include "operations/guideoptions.h"
#include "operations/operationblockers.h"
#include "operations/resetstepplans.h"

Operation commitOperation()
{
    Operation op;
    op.name = QStringLiteral("commit");
    op.title = QStringLiteral("Commit migration files");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("git add exactly the migration files, commit, optional push (never forced)");
    op.facts = Fact::Commit;
    op.options = {GuideOptionSpec::message(), GuideOptionSpec::push()};
    op.build = ResetStepPlans::commit;
    op.blockers = [](const ProjectConfig &config, const OperationOptions &options) {
        QStringList problems = OperationBlockers::commit(options);
        const CommitCheck &commit = options.facts.commit;
        if (commit.checked && commit.error.isEmpty() && commit.isRepository && commit.migrationFiles.isEmpty())
            problems << QStringLiteral("No migration file under %1 has changes: nothing to commit.")
                            .arg(config.backendRelative());
        return problems;
    };
    op.confirmation = [](const ProjectConfig &, const OperationOptions &options) {
        const CommitCheck &commit = options.facts.commit;
        Confirmation c;
        c.question = QStringLiteral("Commit %1 migration file(s) on branch %2%3?")
                         .arg(QString::number(commit.migrationFiles.size()), commit.branch,
                              options.flag(GuideOption::Push) ? QStringLiteral(" and push") : QString());
        c.items = commit.migrationFiles;
        return c;
    };
    return op;
}
