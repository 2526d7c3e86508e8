#include "operations/operationblockers.h"

#include "operations/guideoptions.h"
#include "targets/targets.h"

QStringList OperationBlockers::unreadFacts(Facts facts, const ProjectConfig &config, const OperationOptions &options)
{
    const GuideFacts &known = options.facts;
    QStringList problems;
    auto need = [&](bool isKnown, const QString &what) {
        if (!isKnown)
            problems << QStringLiteral("%1 is not known yet: read the facts first.").arg(what);
    };
    if (facts & Fact::HistoryRows) {
        need(known.appsKnown, QStringLiteral("The list of the project's apps"));
        need(known.historyCounted, QStringLiteral("The number of rows to delete"));
    }
    if (facts & Fact::Files)
        need(known.filesListed, QStringLiteral("The list of migration files"));
    if (facts & Fact::Tables)
        need(known.tablesChecked, QStringLiteral("Whether the apps' tables exist"));
    if (facts & Fact::Schema)
        need(known.schemaChecked, QStringLiteral("The schema check's verdict"));
    if (facts & Fact::BranchSwitch)
        need(known.branchSwitch.checked, QStringLiteral("What switching the branch unapplies"));
    if ((facts & Fact::DatabaseVolume) && Targets::forProject(config)->keepsDatabaseInVolume())
        need(known.volumeChecked, QStringLiteral("The postgres volume of compose project %1").arg(config.composeProjectName));
    return problems;
}

QStringList OperationBlockers::noHistory(const ProjectConfig &config, const OperationOptions &options)
{
    if (options.facts.appsKnown && options.facts.projectApps.isEmpty() && !options.flag(GuideOption::AllApps))
        return {QStringLiteral("No app under %1 has a migrations folder: there is no history to clear.")
                    .arg(config.backendDir)};
    return {};
}

QStringList OperationBlockers::superuser(const OperationOptions &options)
{
    QStringList problems;
    if (options.values.value(GuideOption::Username).trimmed().isEmpty())
        problems << QStringLiteral("The superuser needs a username (--username).");
    if (options.superuserPassword.isEmpty())
        problems << QStringLiteral("The superuser needs a password: set MIGRATIONDESK_SUPERUSER_PASSWORD "
                                   "(it never goes on the command line).");
    if (options.facts.usernameChecked && options.facts.usernameTaken)
        problems << QStringLiteral("A user named \"%1\" already exists in auth_user: createsuperuser would fail. "
                                   "Choose another username.")
                        .arg(options.values.value(GuideOption::Username).trimmed());
    return problems;
}

QStringList OperationBlockers::commit(const OperationOptions &options)
{
    return options.facts.commit.blockers(options.flag(GuideOption::Push));
}
