#include "operations/guideoptions.h"
#include "safety/safetysteps.h"
#include "targets/targets.h"

// `git switch BRANCH` without leaving the database with migrations BRANCH does not have: first
// Django unapplies them with this branch's files (they are still here), app by app back to the
// last migration BRANCH shares, then git switches, then `migrate` applies what BRANCH adds. The
// migrations unapplied are read as facts (BranchSwitchCheck): the plan itself stays pure.

namespace {

QString branchOf(const OperationOptions &options)
{
    return options.values.value(GuideOption::To).trimmed();
}

ProcessStep gitSwitch(const ProjectConfig &config, const QString &branch)
{
    ProcessStep step;
    step.description = QStringLiteral("Switch the working tree to %1").arg(branch);
    step.program = QStringLiteral("git");
    step.args = {QStringLiteral("switch"), branch};
    step.workingDir = config.root;
    step.env = {{QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"), false}};
    step.timeoutMs = 5 * 60 * 1000;
    step.failureHints = {{QStringLiteral("would be overwritten by checkout|Please commit your changes or stash them"),
                          QStringLiteral("local changes are in the way: commit or stash them, then run switch-branch again")}};
    return step;
}

Plan build(const ProjectConfig &config, const OperationOptions &options)
{
    const BranchSwitchCheck &check = options.facts.branchSwitch;
    const QString branch = branchOf(options).isEmpty() ? QStringLiteral("BRANCH") : branchOf(options);
    const auto target = Targets::forProject(config); // owns the target: keep it alive while steps are made
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("switch-branch"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::databaseBackup(config, options, backup);
    for (const QString &entry : check.unapplyTo) {
        const QString app = entry.section(QLatin1Char('='), 0, 0), to = entry.section(QLatin1Char('='), 1);
        QStringList keys;
        for (const QString &key : check.lacking) {
            if (key.section(QLatin1Char('.'), 0, 0) == app)
                keys << key;
        }
        ProcessStep step = target->manage({QStringLiteral("migrate"), app, to, QStringLiteral("--noinput")});
        step.description = QStringLiteral("Unapply what %1 does not have (%2): migrate %3 %4, with this branch's files")
                               .arg(branch, keys.join(QStringLiteral(", ")), app, to);
        step.timeoutMs = 30 * 60 * 1000;
        plan.steps << step;
    }
    ProcessStep change = gitSwitch(config, branch);
    if (!check.unapplyTo.isEmpty()) {
        // The switch refused: this branch's files are still here, so its migrations go back on.
        ProcessStep reapply = target->manage({QStringLiteral("migrate"), QStringLiteral("--noinput")});
        reapply.description = QStringLiteral("re-applied this branch's migrations (the switch did not happen)");
        reapply.timeoutMs = 30 * 60 * 1000;
        change.rollback = std::make_shared<const ProcessStep>(reapply);
    }
    plan.steps << change;
    ProcessStep migrate = target->manage({QStringLiteral("migrate"), QStringLiteral("--noinput")});
    migrate.description = QStringLiteral("Apply what %1 adds: migrate").arg(branch);
    migrate.timeoutMs = 30 * 60 * 1000;
    plan.steps << migrate;
    return plan;
}

QStringList blockers(const ProjectConfig &, const OperationOptions &options)
{
    const BranchSwitchCheck &check = options.facts.branchSwitch;
    QStringList problems;
    if (branchOf(options).isEmpty())
        return {QStringLiteral("Name the branch to switch to: --to BRANCH.")};
    if (!check.checked)
        return {};
    problems << check.problems;
    if (!check.withoutFile.isEmpty())
        problems << QStringLiteral("%1 applied migration(s) have no file on this branch either (%2): unapply them first "
                                   "(the doctor's phantom fix), so nothing is left behind.")
                        .arg(check.withoutFile.size())
                        .arg(check.withoutFile.join(QStringLiteral(", ")));
    if (!check.blockingFiles.isEmpty())
        problems << QStringLiteral("Uncommitted changes in files the switch rewrites: %1. Commit or stash them first.")
                        .arg(check.blockingFiles.join(QStringLiteral(", ")));
    return problems;
}

Confirmation confirmation(const ProjectConfig &, const OperationOptions &options)
{
    const BranchSwitchCheck &check = options.facts.branchSwitch;
    Confirmation c;
    const QString branch = branchOf(options);
    c.question = check.lacking.isEmpty()
        ? QStringLiteral("Switch to %1? Nothing needs unapplying; migrate runs after the switch.").arg(branch)
        : QStringLiteral("Switch to %1 and unapply the %2 migration(s) it does not have? Their tables and columns are dropped.")
              .arg(branch)
              .arg(check.lacking.size());
    c.items = check.lacking;
    c.items << QStringLiteral("git switch %1").arg(branch);
    c.typedWord = check.lacking.isEmpty() ? QString() : branch;
    c.undo = QStringLiteral("A verified pg_dump -Fc of the database is made first.");
    return c;
}

} // namespace

Operation switchBranchOperation()
{
    Operation op;
    op.name = QStringLiteral("switch-branch");
    op.title = QStringLiteral("Switch branch");
    op.group = OperationGroup::Repair;
    op.summary = QStringLiteral("git switch --to BRANCH: unapply what BRANCH lacks first (dump first), then migrate what it adds");
    op.destructive = true;
    op.facts = Fact::BranchSwitch;
    OperationOption to = GuideOptionSpec::valueOption(GuideOption::To, QStringLiteral("the branch to switch to."), QStringLiteral("branch"));
    to.label = QStringLiteral("&Branch:");
    op.options = {to};
    op.build = build;
    op.blockers = blockers;
    op.confirmation = confirmation;
    return op;
}
