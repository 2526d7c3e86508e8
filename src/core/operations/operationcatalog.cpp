#include "operations/operationcatalog.h"

#include "operations/guidefactsreader.h"
#include "operations/operationblockers.h"
#include "plan/planrenderer.h"
#include "safety/safetysteps.h"
#include "targets/targets.h"

#include <algorithm>

// Every operation, in menu order within its group. Adding one is its file (defining
// `Operation <name>Operation()`) and one word here.
#define MIGRATIONDESK_OPERATIONS(X)                                                                \
    X(showMigrations) X(history) X(check) X(sqlMigrate)                                            \
    X(resetMigrations) X(clearHistory) X(deleteFiles) X(makeMigrations) X(migrate)                 \
    X(createSuperuser) X(commit)                                                                   \
    X(resetDatabase) X(backup) X(alignSchema)                                      \
    X(switchBranch)

#define MIGRATIONDESK_DECLARE_OPERATION(name) Operation name##Operation();
MIGRATIONDESK_OPERATIONS(MIGRATIONDESK_DECLARE_OPERATION)

namespace {

QList<Operation> makeCatalog()
{
#define MIGRATIONDESK_LIST_OPERATION(name) name##Operation(),
    return {MIGRATIONDESK_OPERATIONS(MIGRATIONDESK_LIST_OPERATION)};
#undef MIGRATIONDESK_LIST_OPERATION
}

} // namespace

Facts Operation::factsFor(const OperationOptions &options) const
{
    Facts wanted = facts;
    for (const OperationOption &option : this->options) {
        if (option.facts && options.flag(option.key))
            wanted |= option.facts;
    }
    return wanted;
}

bool Operation::hasOption(const QString &key) const
{
    return std::any_of(options.cbegin(), options.cend(), [&key](const OperationOption &o) { return o.key == key; });
}

const QList<Operation> &OperationCatalog::all()
{
    static const QList<Operation> catalog = makeCatalog();
    return catalog;
}

const Operation *OperationCatalog::find(const QString &name)
{
    for (const Operation &op : all()) {
        if (op.name == name)
            return &op;
    }
    return nullptr;
}

QStringList OperationCatalog::groups()
{
    return {OperationGroup::Inspect, OperationGroup::ResetSteps, OperationGroup::Database, OperationGroup::Repair};
}

QList<const Operation *> OperationCatalog::inGroup(const QString &group)
{
    QList<const Operation *> ops;
    for (const Operation &op : all()) {
        if (op.group == group)
            ops << &op;
    }
    return ops;
}

Plan OperationCatalog::build(const QString &name, const ProjectConfig &config,
                             const OperationOptions &options)
{
    const Operation *op = find(name);
    if (!op)
        return Plan();
    Plan plan = op->build(config, options);
    plan.id = op->name;
    if (plan.title.isEmpty())
        plan.title = op->title;
    plan.projectRoot = config.root;
    plan.destructive = plan.destructive || op->destructive;
    plan.addSecret(config.db.password);
    plan.addSecret(options.superuserPassword);
    plan.inputs = Targets::forProject(config)->inputs();
    plan.inputs << QStringList{
        QStringLiteral("compose-file=") + (config.composeFileChosen ? config.composeFile : QStringLiteral("(compose's own discovery)")),
        QStringLiteral("compose-project=") + config.composeProjectName,
        QStringLiteral("services=") + config.dbService + QLatin1Char(',') + config.backendService,
        // A container address changes with the container: the service names the database then.
        QStringLiteral("database=%1@%2:%3/%4").arg(config.db.user,
                                                   config.dbViaContainerAddress ? QStringLiteral("<%1 container>").arg(config.dbService) : config.db.host,
                                                   QString::number(config.db.port), config.db.name),
        QStringLiteral("backend=") + config.backendDir,
    };
    QStringList keys = options.values.keys();
    keys.sort();
    for (const QString &key : keys) {
        // An unset switch or an empty value is no choice (the GUI records "0", the CLI nothing);
        // the backup folder is where a resume writes, not what it does.
        const QString value = options.values.value(key);
        if (value.isEmpty() || value == QLatin1String("0") || key == SafetySteps::BackupDirOption)
            continue;
        plan.inputs << QStringLiteral("option %1=%2").arg(key, value);
    }
    return plan;
}

GuideFacts OperationCatalog::readFacts(const QString &name, const ProjectConfig &config,
                                       const OperationOptions &options)
{
    return GuideFactsReader::read(name, config, options);
}

QStringList OperationCatalog::blockers(const QString &name, const ProjectConfig &config,
                                       const OperationOptions &options)
{
    const Operation *op = find(name);
    if (!op)
        return {QStringLiteral("There is no operation \"%1\".").arg(name)};
    QStringList problems = options.facts.errors;
    problems << OperationBlockers::unreadFacts(op->factsFor(options), config, options);
    if (op->blockers)
        problems << op->blockers(config, options);
    problems.removeDuplicates();
    return problems;
}

Confirmation OperationCatalog::confirmation(const QString &name, const ProjectConfig &config,
                                            const OperationOptions &options)
{
    const Operation *op = find(name);
    return op && op->confirmation ? op->confirmation(config, options) : Confirmation();
}

QString OperationCatalog::tooltip(const QString &name, const ProjectConfig &config, const OperationOptions &options)
{
    const Operation *op = find(name);
    if (!op)
        return QString();
    return op->summary + QStringLiteral("\n\n") + PlanRenderer::render(build(name, config, options));
}

QList<OperationCatalog::OptionUse> OperationCatalog::options()
{
    QList<OptionUse> uses;
    for (const Operation &op : all()) {
        for (const OperationOption &option : op.options) {
            auto it = std::find_if(uses.begin(), uses.end(), [&](const OptionUse &u) { return u.option.key == option.key; });
            if (it == uses.end())
                uses.append({option, {op.name}});
            else
                it->operations << op.name;
        }
    }
    return uses;
}
