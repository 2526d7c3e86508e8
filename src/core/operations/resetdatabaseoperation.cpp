#include "operations/databaseresetplan.h"
#include "operations/guideoptions.h"
#include "operations/operationblockers.h"
#include "targets/targets.h"

namespace {

QStringList volumeProblems(const ProjectConfig &config, const GuideFacts &facts)
{
    QStringList problems;
    if (facts.volumeChecked && facts.postgresVolumes.isEmpty())
        problems << QStringLiteral("No volume carries the labels com.docker.compose.project=%1 and "
                                   "com.docker.compose.volume=%2: the stack was never started, or under another "
                                   "project name (set it in Project Settings).")
                        .arg(config.composeProjectName, facts.volumeKey);
    if (facts.postgresVolumes.size() > 1)
        problems << QStringLiteral("More than one volume matches (%1): remove the one you mean by hand.")
                        .arg(facts.postgresVolumes.join(QStringLiteral(", ")));
    // `down` recreates the container and its network: the address known now would be stale
    // when the plan waits for the new server, after the data is gone.
    if (config.dbViaContainerAddress)
        problems << QStringLiteral("The %1 service publishes no port, so MigrationDesk reaches it at its container's "
                                   "address, which changes when the reset recreates the container. Publish the port "
                                   "first (ports: [\"127.0.0.1:5432:5432\"] on the %1 service), then reset.")
                        .arg(config.dbService);
    return problems;
}

} // namespace

Operation resetDatabaseOperation()
{
    Operation op;
    op.name = QStringLiteral("reset-database");
    op.title = QStringLiteral("Full database reset");
    op.group = OperationGroup::Database;
    op.summary = QStringLiteral("verified backup, then a new empty database (Compose: down, volume rm, up -d) and migrate");
    op.destructive = true;
    op.facts = Fact::DatabaseVolume;
    op.options = {GuideOptionSpec::superuser(), GuideOptionSpec::username(), GuideOptionSpec::email(),
                  GuideOptionSpec::valueOption(GuideOption::WaitSeconds,
                                               QStringLiteral("seconds to wait for PostgreSQL (default 120)."),
                                               QStringLiteral("seconds"))};
    op.build = DatabaseResetPlan::build;
    op.blockers = [](const ProjectConfig &config, const OperationOptions &options) {
        QStringList problems;
        if (Targets::forProject(config)->keepsDatabaseInVolume())
            problems << volumeProblems(config, options.facts);
        if (options.flag(GuideOption::Superuser))
            problems << OperationBlockers::superuser(options);
        return problems;
    };
    op.confirmation = [](const ProjectConfig &config, const OperationOptions &options) {
        const DatabaseLoss loss = Targets::forProject(config)->databaseLoss(options.facts.postgresVolume());
        Confirmation c;
        c.question = loss.question;
        c.items = loss.items;
        c.typedWord = loss.typedWord;
        c.undo = QStringLiteral("A verified pg_dump -Fc of the database is made first.");
        return c;
    };
    return op;
}
