#include "operations/automatedresetplan.h"
#include "operations/guideoptions.h"
#include "operations/operationblockers.h"

Operation resetMigrationsOperation()
{
    Operation op;
    op.name = QStringLiteral("reset-migrations");
    op.title = QStringLiteral("Automated migration reset");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("the whole guide: backups, clear history, delete files, makemigrations, migrate "
                                "(--fake-initial when tables exist), optional superuser and commit");
    op.destructive = true;
    op.facts = Fact::HistoryRows | Fact::Files | Fact::Tables;
    OperationOption commit = GuideOptionSpec::switchOption(GuideOption::Commit,
                                                           QStringLiteral("commit the migration files at the end."));
    commit.facts = Fact::Commit;
    op.options = {GuideOptionSpec::superuser(), GuideOptionSpec::username(), GuideOptionSpec::email(), commit,
                  GuideOptionSpec::message(), GuideOptionSpec::push()};
    op.build = AutomatedResetPlan::build;
    op.blockers = [](const ProjectConfig &config, const OperationOptions &options) {
        QStringList problems = OperationBlockers::noHistory(config, options);
        if (options.flag(GuideOption::Superuser))
            problems << OperationBlockers::superuser(options);
        if (options.flag(GuideOption::Commit))
            problems << OperationBlockers::commit(options);
        return problems;
    };
    op.confirmation = [](const ProjectConfig &, const OperationOptions &options) {
        const GuideFacts &facts = options.facts;
        Confirmation c;
        c.question = QStringLiteral("Reset every migration of %1?").arg(facts.projectApps.join(QStringLiteral(", ")));
        c.items << QStringLiteral("delete %1 row(s) of django_migrations").arg(facts.historyRows)
                << QStringLiteral("delete %1 migration file(s) and caches").arg(facts.deletableFiles.size())
                << QStringLiteral("makemigrations, then migrate%1")
                       .arg(AutomatedResetPlan::usesFakeInitial(options) ? QStringLiteral(" --fake-initial (the tables exist)")
                                                                        : QString());
        if (options.flag(GuideOption::Superuser))
            c.items << QStringLiteral("create superuser %1").arg(options.values.value(GuideOption::Username));
        if (options.flag(GuideOption::Commit))
            c.items << QStringLiteral("commit the migration files%1")
                           .arg(options.flag(GuideOption::Push) ? QStringLiteral(" and push") : QString());
        c.typedWord = GuideOption::ResetConfirmationWord;
        c.undo = QStringLiteral("The database, django_migrations and the files are backed up first; a failed step "
                                "can be resumed after you fix its cause.");
        return c;
    };
    return op;
}
