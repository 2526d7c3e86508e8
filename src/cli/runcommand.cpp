#include "cli/runcommand.h"

#include "ops/shellquote.h"

#include "safety/backupstore.h"

#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "guide/guideoptions.h"
#include "guide/migrateoutputadvisor.h"
#include "ops/operationcatalog.h"
#include "ops/planrenderer.h"
#include "ops/target.h"
#include "safety/projectlock.h"
#include "safety/runjournal.h"
#include "safety/safetysteps.h"

#include <QCommandLineParser>
#include <QLocale>
#include <QCoreApplication>

#include <cstdio>

namespace {

constexpr int kUsageError = 2;

using TerminalRun::print;

QString listText()
{
    QString text;
    qsizetype width = 0;
    for (const Operation &op : OperationCatalog::all())
        width = std::max(width, op.name.size());
    for (const Operation &op : OperationCatalog::all()) {
        text += QStringLiteral("  %1  %2%3\n")
                    .arg(op.name.leftJustified(width), op.summary,
                         op.destructive ? QStringLiteral(" (destructive)") : QString());
    }
    return text;
}

// Keeps the last part of the running step's output for the hints after a failure.
constexpr qsizetype kTailChars = 64 * 1024;

bool isManageStep(const Plan &plan, int index)
{
    if (index < 0 || index >= plan.steps.size())
        return false;
    const auto *step = std::get_if<ProcessStep>(&plan.steps.at(index));
    return step && step->args.contains(QStringLiteral("manage.py"));
}

bool usesFakeInitial(const Plan &plan, int index)
{
    const auto *step = std::get_if<ProcessStep>(&plan.steps.at(index));
    return step && step->args.contains(QStringLiteral("--fake-initial"));
}

QString hintText(const QList<MigrateHint> &hints)
{
    QString text;
    for (const MigrateHint &hint : hints) {
        text += QStringLiteral("hint: %1\n  %2\n").arg(hint.title, hint.detail);
        if (hint.action == MigrateHint::Action::OpenDoctor)
            text += QStringLiteral("  next: migrationdesk doctor --project DIR (or the Repair panel)\n");
        if (!hint.command.isEmpty())
            text += QStringLiteral("  run: %1\n").arg(hint.command);
    }
    return text;
}

// The unfinished run of planId, or a null entry.
JournalEntry unfinishedRun(const ProjectConfig &config, const QString &planId)
{
    for (const JournalEntry &entry : Journal::unfinished(config)) {
        if (entry.planId == planId)
            return entry;
    }
    return JournalEntry();
}

} // namespace

int runOperationCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runs one MigrationDesk operation without a window."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("operation"),
                                 QStringLiteral("The operation to run (see --list)."));
    const QCommandLineOption listOption(QStringLiteral("list"), QStringLiteral("List the operations."));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"),
                                          QStringLiteral("Print the exact commands and SQL, run nothing."));
    const QCommandLineOption yesOption(QStringLiteral("yes"),
                                       QStringLiteral("Confirm a destructive operation."));
    parser.addOption(listOption);
    parser.addOption(dryRunOption);
    parser.addOption(yesOption);
    const QCommandLineOption confirmDatabaseOption(
        QStringLiteral("confirm-database"),
        QStringLiteral("On a production-looking project (allowed in its profile), the database name, typed."),
        QStringLiteral("NAME"));
    parser.addOption(confirmDatabaseOption);
    const QCommandLineOption resumeOption(QStringLiteral("resume"),
                                          QStringLiteral("Continue the last failed run from its failed step."));
    parser.addOption(resumeOption);
    const QCommandLineOption startServicesOption(
        QStringLiteral("start-services"),
        QStringLiteral("Compose: start the services the plan runs in (up -d SERVICE) when they are not running."));
    parser.addOption(startServicesOption);
    // Flags that set OperationOptions::values of the same name.
    const QList<QCommandLineOption> switches{
        {GuideOption::FakeInitial, QStringLiteral("migrate: record initial migrations whose tables exist.")},
        {GuideOption::AllApps, QStringLiteral("clear-history: every row, Django's own apps too (as the guide's psql line).")},
        {GuideOption::Superuser, QStringLiteral("reset-*: create the superuser at the end.")},
        {GuideOption::Commit, QStringLiteral("reset-migrations: commit the migration files at the end.")},
        {GuideOption::Push, QStringLiteral("commit: push afterwards (never forced).")},
    };
    const QList<QCommandLineOption> valued{
        {GuideOption::Apps, QStringLiteral("makemigrations: only these apps (comma-separated)."), QStringLiteral("apps")},
        {GuideOption::Username, QStringLiteral("createsuperuser: username."), QStringLiteral("name")},
        {GuideOption::Email, QStringLiteral("createsuperuser: email."), QStringLiteral("email")},
        {GuideOption::Message, QStringLiteral("commit: message (default \"%1\").").arg(GuideOption::DefaultCommitMessage),
         QStringLiteral("text")},
        {GuideOption::WaitSeconds, QStringLiteral("reset-database: seconds to wait for PostgreSQL (default 120)."),
         QStringLiteral("seconds")},
    };
    for (const QCommandLineOption &option : switches)
        parser.addOption(option);
    for (const QCommandLineOption &option : valued)
        parser.addOption(option);
    ProjectOptions::addTo(parser);

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("migrationdesk run"));
    if (!parser.parse(argv)) {
        print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(parser.errorText()));
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, parser.helpText() + QStringLiteral("\nOperations:\n") + listText());
        return 0;
    }
    if (parser.isSet(listOption)) {
        print(stdout, listText());
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        print(stderr, QStringLiteral("usage: migrationdesk run OPERATION --project DIR [--dry-run] [--yes]\n"
                                     "       migrationdesk run --list\n"));
        return kUsageError;
    }
    const QString name = positional.constFirst();
    if (!OperationCatalog::find(name)) {
        print(stderr, QStringLiteral("migrationdesk run: unknown operation \"%1\"; these exist:\n%2")
                          .arg(name, listText()));
        return kUsageError;
    }

    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    for (const QString &warning : project.warnings)
        print(stderr, QStringLiteral("warning: %1\n").arg(warning));
    if (!project.ok()) {
        for (const QString &error : project.errors)
            print(stderr, QStringLiteral("error: %1\n").arg(error));
        return kUsageError;
    }

    OperationOptions options;
    if (project.config.target == TargetKind::Compose) {
        bool found = false;
        options.composeVariant = ComposeCli::detect(&found);
        if (!found)
            print(stderr, QStringLiteral("warning: neither `docker compose` nor `docker-compose` answered; "
                                         "assuming `docker compose`\n"));
    }
    for (const QCommandLineOption &option : switches) {
        if (parser.isSet(option))
            options.values.insert(option.names().constFirst(), QStringLiteral("1"));
    }
    for (const QCommandLineOption &option : valued) {
        if (parser.isSet(option))
            options.values.insert(option.names().constFirst(), parser.value(option));
    }
    // Never a flag: argv is visible to every user of the machine.
    options.superuserPassword = qEnvironmentVariable("MIGRATIONDESK_SUPERUSER_PASSWORD");

    int fromStep = 0;
    JournalEntry resumed;
    if (parser.isSet(resumeOption)) {
        resumed = unfinishedRun(project.config, name);
        if (resumed.isNull()) {
            print(stderr, QStringLiteral("migrationdesk run: no unfinished run of %1 to resume\n").arg(name));
            return kUsageError;
        }
        fromStep = resumed.resumeFrom();
        print(stderr, QStringLiteral("%1\n").arg(resumed.summary()));
        // The failed run's dump and copies are in its backup folder: the resumed steps complete
        // that one backup instead of starting a second, partial one.
        if (!resumed.backupDir.isEmpty()) {
            options.values.insert(SafetySteps::BackupDirOption, resumed.backupDir);
            print(stderr, QStringLiteral("resuming into the backup folder of that run: %1\n").arg(resumed.backupDir));
        }
    }

    options.facts = OperationCatalog::readFacts(name, project.config, options);
    const Plan plan = OperationCatalog::build(name, project.config, options);
    const QString preview = PlanRenderer::render(plan);
    QStringList blockers = OperationCatalog::blockers(name, project.config, options);
    if (!resumed.isNull()) {
        // The rebuilt plan must still be the one that failed from the resume point on (same
        // options, same kinds of steps); the steps before it are skipped.
        bool same = plan.steps.size() == resumed.steps.size();
        for (int i = fromStep; same && i < plan.steps.size(); ++i)
            same = stepDescription(plan.steps.at(i)) == resumed.steps.at(i);
        if (!same)
            blockers << QStringLiteral("The plan differs from the failed run from step %1 on: pass the same "
                                       "flags as then, or run it anew without --resume.")
                            .arg(fromStep + 1);
        // Same steps are not enough: another compose file, project or flag is another plan.
        QStringList changed;
        for (const QString &input : resumed.inputs) {
            if (!plan.inputs.contains(input))
                changed << input.section(QLatin1Char('='), 0, 0) + QStringLiteral(" (was ") + input.section(QLatin1Char('='), 1) + QLatin1Char(')');
        }
        if (!changed.isEmpty())
            blockers << QStringLiteral("--resume refused: %1 changed since the failed run. Resume with the same "
                                       "flags and compose files as then, or run it anew without --resume.")
                            .arg(changed.join(QStringLiteral(", ")));
        // Facts of skipped steps describe the state after them (files already deleted…): not blockers.
        if (fromStep > 0)
            blockers.removeIf([](const QString &b) { return b.startsWith(QStringLiteral("There is no migration file")); });
    }

    if (parser.isSet(dryRunOption)) {
        print(stdout, preview);
        for (const QString &blocker : blockers)
            print(stderr, QStringLiteral("would refuse: %1\n").arg(blocker));
        return 0;
    }
    if (!blockers.isEmpty()) {
        for (const QString &blocker : blockers)
            print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(blocker));
        print(stderr, QStringLiteral("migrationdesk run: %1 was not started.\n").arg(name));
        return kUsageError;
    }
    if (plan.destructive && !parser.isSet(yesOption)) {
        print(stdout, preview);
        const Confirmation confirmation = OperationCatalog::confirmation(name, project.config, options);
        QString question = confirmation.question + QLatin1Char('\n');
        for (const QString &item : confirmation.items)
            question += QStringLiteral("  %1\n").arg(item);
        if (!confirmation.undo.isEmpty())
            question += confirmation.undo + QLatin1Char('\n');
        print(stdout, question);
        print(stderr, QStringLiteral("migrationdesk run: %1 is destructive; nothing was done. "
                                     "Read the plan above and pass --yes to run it.\n")
                          .arg(name));
        return kUsageError;
    }
    if (fromStep > 0)
        print(stderr, QStringLiteral("Resuming from step %1: %2\n")
                          .arg(QString::number(fromStep + 1), stepDescription(plan.steps.value(fromStep))));

    // Anything that changes the project: not on production without the typed name, and not
    // while another MigrationDesk works on it.
    ProjectLock lock;
    const Operation *operation = OperationCatalog::find(name);
    if (plan.destructive || (operation && operation->group != QLatin1String("Inspect"))) {
        QString refusal;
        if (!TerminalRun::guardAndLock(project.config, plan, parser.value(confirmDatabaseOption), &lock, &refusal)) {
            print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(refusal));
            return kUsageError;
        }
    }

    if (parser.isSet(startServicesOption) && project.config.target == TargetKind::Compose) {
        // The services the plan execs into before it starts any itself; compose brings their
        // depends_on up with them. The plan's own pre-flight then checks they serve this project.
        QStringList services;
        for (int i = fromStep; i < plan.steps.size(); ++i) {
            const auto *p = std::get_if<ProcessStep>(&plan.steps.at(i));
            if (!p)
                continue;
            if (p->service.isEmpty() && p->args.contains(QStringLiteral("up")))
                break;
            if (!p->service.isEmpty() && !services.contains(p->service))
                services << p->service;
        }
        if (!services.isEmpty()) {
            Plan start;
            start.id = QStringLiteral("start-services");
            start.title = QStringLiteral("Start %1").arg(services.join(QStringLiteral(", ")));
            start.projectRoot = project.config.root;
            ProcessStep up = ComposeTarget(project.config, options.composeVariant).compose(QStringList{QStringLiteral("up"), QStringLiteral("-d")} + services);
            up.description = QStringLiteral("Start the %1 service(s)").arg(services.join(QStringLiteral(", ")));
            up.timeoutMs = 10 * 60 * 1000;
            start.steps << up;
            const TerminalRun::Outcome started = TerminalRun::execute(start);
            if (!started.result.success) {
                print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(started.result.message) + TerminalRun::failureReport(started.result));
                return started.result.exitCode != 0 ? started.result.exitCode : 1;
            }
        }
    }
    const TerminalRun::Outcome outcome = TerminalRun::execute(plan, fromStep);
    if (!outcome.started)
        return kUsageError;
    const RunResult &result = outcome.result;
    const QString &stepOutput = outcome.lastStepOutput;

    if (result.success)
        return 0;
    QString report = QStringLiteral("migrationdesk run: %1\n").arg(result.message)
        + TerminalRun::failureReport(result);
    if (isManageStep(plan, result.failedStep)) {
        MigrateAdviceContext context;
        context.projectApps = options.facts.projectApps;
        context.fakeInitialUsed = usesFakeInitial(plan, result.failedStep);
        context.compose = project.config.target == TargetKind::Compose;
        report += hintText(MigrateOutputAdvisor::advise(stepOutput, context));
    }
    // After the backup was made, the way back comes first: the exact restore command.
    const BackupInfo backup = plan.backupDir.isEmpty() ? BackupInfo() : BackupStore::read(plan.backupDir);
    if (plan.destructive && backup.complete)
        report += QStringLiteral("To put everything back as it was before this run (%1, %2):\n  migrationdesk restore %3 "
                                 "--project %4 --yes\n")
                      .arg(backup.contents(), QLocale::c().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm")),
                           backup.id, ShellQuote::quote(project.config.root));
    if (result.failedStep >= 0 && plan.steps.size() > 1 && !result.cancelled)
        report += QStringLiteral("Or fix the cause, then continue from step %1 with:\n  migrationdesk run %2 --project %3 "
                                 "--resume --yes (and the same flags)\n")
                      .arg(QString::number(result.failedStep + 1), name, ShellQuote::quote(project.config.root));
    print(stderr, report);
    return result.exitCode != 0 ? result.exitCode : 1;
}
