#include "operations/guideoptions.h"
#include "operations/operationblockers.h"
#include "operations/resetstepplans.h"

Operation clearHistoryOperation()
{
    Operation op;
    op.name = QStringLiteral("clear-history");
    op.title = QStringLiteral("Clear migration history");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("DELETE the project's apps' rows of django_migrations (snapshot first)");
    op.destructive = true;
    op.facts = Fact::HistoryRows;
    op.options = {GuideOptionSpec::switchOption(
        GuideOption::AllApps,
        QStringLiteral("every row, Django's own apps too (as the guide's psql line); without it auth, admin and "
                       "contenttypes stay recorded for a later migrate --fake-initial."),
        QStringLiteral("Delete &every row, Django's own apps too (as the guide's psql line)"))};
    op.build = ResetStepPlans::clearHistory;
    op.blockers = OperationBlockers::noHistory;
    op.confirmation = [](const ProjectConfig &, const OperationOptions &options) {
        const GuideFacts &facts = options.facts;
        const bool all = options.flag(GuideOption::AllApps);
        Confirmation c;
        c.question = all ? QStringLiteral("Delete all %1 row(s) of django_migrations, Django's own apps included?")
                               .arg(facts.historyRows)
                         : QStringLiteral("Delete %1 row(s) of django_migrations, the history of %2?")
                               .arg(QString::number(facts.historyRows), facts.projectApps.join(QStringLiteral(", ")));
        // Counted per app, the apps without rows too (nothing of theirs is deleted).
        const QStringList apps = all ? facts.historyRowsByApp.keys() : facts.projectApps;
        for (const QString &app : apps)
            c.items << QStringLiteral("%1: %2 row(s)").arg(app).arg(facts.historyRowsByApp.value(app));
        c.undo = QStringLiteral("The rows are saved as django_migrations.json first. A backup is made first "
                                "(Backups folder of the project).");
        return c;
    };
    return op;
}
