#include "cli/runcommand.h"

#include "schema/rehearsal.h"

#include "platform/shellquote.h"

#include "safety/backupstore.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "operations/fakeinitialadvice.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/migrateoutputadvisor.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "targets/targets.h"
#include "safety/projectlock.h"
#include "safety/runjournal.h"
#include "safety/safetysteps.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QCoreApplication>

#include <algorithm>
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

// What the GUI's preview chooses for the user, said before a scripted migrate: the initial
// migrations of apps whose tables exist but have no row would fail with "relation already exists".
QString fakeInitialNote(const QString &operation, const QStringList &arguments, const ProjectConfig &config,
                        OperationOptions options)
{
    if (!FakeInitialAdvice::considered(operation, options))
        return {};
    options.facts = GuideFactsReader::read(Facts(Fact::Tables), config, options); // as the GUI's preview does
    if (!FakeInitialAdvice::applies(operation, options))
        return {};
    QStringList command = arguments; // the user's own, to run for real
    command.removeAll(QStringLiteral("--dry-run"));
    const FakeInitialAdvice::NamedTables named = FakeInitialAdvice::namedTables(options.facts);
    QStringList tables = named.shown;
    if (named.more > 0)
        tables << QStringLiteral("%1 more").arg(named.more);
    return QStringLiteral("note: %1 table(s) already exist for apps with no migration recorded (%2): their initial "
                          "migrations would fail with \u201crelation already exists\u201d. To record them instead "
                          "(the tables are checked against the migrations first):\n  %3\n")
        .arg(options.facts.unmigratedAppTables.size())
        .arg(tables.join(QStringLiteral(", ")),
             ShellQuote::join(QStringList{QStringLiteral("migrationdesk"), QStringLiteral("run")} + command
                              + QStringList{QStringLiteral("--fake-initial")}));
}

// The operations' own options (OperationCatalog::options()) as flags that set
// OperationOptions::values of the same name: "migrate: record initial migrations …".
QList<QCommandLineOption> operationFlags(OperationOption::Kind kind)
{
    QList<QCommandLineOption> flags;
    for (const OperationCatalog::OptionUse &use : OperationCatalog::options()) {
        const bool isSwitch = use.option.kind == OperationOption::Kind::Switch;
        if (isSwitch != (kind == OperationOption::Kind::Switch))
            continue;
        const QString help = use.operations.join(QStringLiteral(", ")) + QStringLiteral(": ") + use.option.help;
        if (isSwitch)
            flags.append(QCommandLineOption(use.option.key, help));
        else
            flags.append(QCommandLineOption(use.option.key, help, use.option.valueName));
    }
    return flags;
}

QList<QCommandLineOption> switchOptions() { return operationFlags(OperationOption::Kind::Switch); }
QList<QCommandLineOption> valuedOptions() { return operationFlags(OperationOption::Kind::Value); }

QJsonArray stepsJson(const Plan &plan)
{
    QJsonArray steps;
    for (const PlanStep &step : plan.steps)
        steps.append(stepDescription(step));
    return steps;
}

} // namespace

QList<QCommandLineOption> runCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("list"), QStringLiteral("List the operations.")},
               {QStringLiteral("dry-run"), QStringLiteral("Print the exact commands and SQL, run nothing; exit 2 when "
                                                          "the plan would be refused.")},
               {QStringLiteral("yes"), QStringLiteral("Confirm a destructive operation.")},
               {QStringLiteral("json"), QStringLiteral("Print the plan or the run's result as JSON on stdout (the "
                                                       "steps' output goes to stderr; docs/json-schema.md).")},
               {QStringLiteral("confirm-database"),
                QStringLiteral("On a production-looking project (allowed in its profile), the database name, typed."),
                QStringLiteral("NAME")},
               {QStringLiteral("resume"), QStringLiteral("Continue the last failed run from its failed step.")},
               {QStringLiteral("rehearse"),
                QStringLiteral("Run the plan's manage.py and SQL steps on a scratch copy of the database instead, "
                               "timed, and exit with the result; the real database is not touched.")},
               {QStringLiteral("start-services"),
                QStringLiteral("Compose: start the services the plan runs in (up -d SERVICE) when they are not running.")},
           }
        + switchOptions() + valuedOptions() + ProjectOptions::options();
}

int runOperationCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("run"));
    const QString listOption = QStringLiteral("list");
    const QString dryRunOption = QStringLiteral("dry-run");
    const QString yesOption = QStringLiteral("yes");
    const QString confirmDatabaseOption = QStringLiteral("confirm-database");
    const QString resumeOption = QStringLiteral("resume");
    const QString rehearseOption = QStringLiteral("rehearse");
    const QList<QCommandLineOption> switches = switchOptions();
    const QList<QCommandLineOption> valued = valuedOptions();
    const bool json = CliOutput::wantsJson(arguments);

    QStringList argv = arguments;
    argv.prepend(QStringLiteral("migrationdesk run"));
    if (!parser.parse(argv))
        return CliOutput::fail(json, CliOutput::ErrorCode::Usage, QStringLiteral("migrationdesk run: %1").arg(parser.errorText()));
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, CommandRegistry::helpText(parser, QStringLiteral("run")) + QStringLiteral("\nOperations:\n") + listText());
        return 0;
    }
    if (parser.isSet(listOption)) {
        if (json) {
            QJsonArray operations;
            for (const Operation &op : OperationCatalog::all())
                operations.append(QJsonObject{{QStringLiteral("name"), op.name},
                                              {QStringLiteral("summary"), op.summary},
                                              {QStringLiteral("group"), op.group},
                                              {QStringLiteral("destructive"), op.destructive}});
            CliOutput::printJson(CliOutput::document(QStringLiteral("operations"),
                                                     QJsonObject{{QStringLiteral("operations"), operations}}));
            return 0;
        }
        print(stdout, listText());
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        if (json)
            return CliOutput::fail(true, CliOutput::ErrorCode::Usage,
                                   QStringLiteral("usage: migrationdesk run OPERATION --project DIR [--dry-run] [--yes]"));
        print(stderr, QStringLiteral("usage: migrationdesk run OPERATION --project DIR [--dry-run] [--yes]\n"
                                     "       migrationdesk run --list\n"));
        return kUsageError;
    }
    const QString name = positional.constFirst();
    if (!OperationCatalog::find(name)) {
        if (json)
            return CliOutput::fail(true, CliOutput::ErrorCode::Usage,
                                   QStringLiteral("migrationdesk run: unknown operation \"%1\" (see run --list)").arg(name));
        print(stderr, QStringLiteral("migrationdesk run: unknown operation \"%1\"; these exist:\n%2")
                          .arg(name, listText()));
        return kUsageError;
    }

    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    for (const QString &warning : project.warnings)
        print(stderr, QStringLiteral("warning: %1\n").arg(warning));
    if (!project.ok())
        return CliOutput::fail(json, CliOutput::ErrorCode::Project, project.errors.join(QLatin1Char('\n')));

    if (const QString problem = Targets::forProject(project.config)->toolProblem(); !problem.isEmpty())
        print(stderr, QStringLiteral("warning: %1\n").arg(problem));
    OperationOptions options;
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
        if (resumed.isNull())
            return CliOutput::fail(json, CliOutput::ErrorCode::NotFound,
                                   QStringLiteral("migrationdesk run: no unfinished run of %1 to resume").arg(name));
        fromStep = resumed.resumeFrom();
        print(stderr, QStringLiteral("%1\n").arg(resumed.summary()));
        // The failed run's dump and copies are in its backup folder: the resumed steps complete
        // that one backup instead of starting a second, partial one.
        if (!resumed.backupDir.isEmpty()) {
            options.values.insert(SafetySteps::BackupDirOption, resumed.backupDir);
            print(stderr, QStringLiteral("resuming into the backup folder of that run: %1\n").arg(resumed.backupDir));
        }
    }

    // A run that did not finish is the first thing to know before starting another one.
    if (const QString notes = TerminalRun::unfinishedRunNotes(project.config, resumed.isNull() ? QString() : name);
        !notes.isEmpty())
        print(stderr, notes);

    options.facts = OperationCatalog::readFacts(name, project.config, options);
    if (const QString note = fakeInitialNote(name, arguments, project.config, options); !note.isEmpty())
        print(stderr, note);
    Plan plan = OperationCatalog::build(name, project.config, options);
    QString preview = PlanRenderer::render(plan);
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
            // An empty value was no choice (older journals list "python=" on Compose).
            if (!plan.inputs.contains(input) && !input.endsWith(QLatin1Char('=')))
                changed << input.section(QLatin1Char('='), 0, 0) + QStringLiteral(" (was ") + input.section(QLatin1Char('='), 1) + QLatin1Char(')');
        }
        for (const QString &input : plan.inputs) {
            const QString key = input.section(QLatin1Char('='), 0, 0);
            const bool known = std::any_of(resumed.inputs.cbegin(), resumed.inputs.cend(), [&key](const QString &old) {
                return old.section(QLatin1Char('='), 0, 0) == key;
            });
            if (!resumed.inputs.isEmpty() && !known)
                changed << key + QStringLiteral(" (not set then)");
        }
        if (!changed.isEmpty())
            blockers << QStringLiteral("--resume refused: %1 changed since the failed run. Resume with the same "
                                       "flags and compose files as then, or run it anew without --resume.")
                            .arg(changed.join(QStringLiteral(", ")));
        // Facts of skipped steps describe the state after them (files already deleted…): not blockers.
        if (fromStep > 0)
            blockers.removeIf([](const QString &b) { return b.startsWith(QStringLiteral("There is no migration file")); });
    }

    if (parser.isSet(rehearseOption)) {
        if (!resumed.isNull())
            return CliOutput::fail(json, CliOutput::ErrorCode::Usage, QStringLiteral("--rehearse does not go with --resume"));
        if (!Rehearsal::applies(plan))
            return CliOutput::fail(json, CliOutput::ErrorCode::Usage,
                                   QStringLiteral("%1 runs no manage.py or SQL step: there is nothing to rehearse").arg(name));
        // The same steps against a scratch copy: the real database is not touched, so no --yes.
        plan = Rehearsal::plan(project.config, plan);
        preview = PlanRenderer::render(plan);
    }

    const QJsonObject planJson{{QStringLiteral("operation"), name},
                               {QStringLiteral("title"), plan.title},
                               {QStringLiteral("destructive"), plan.destructive},
                               {QStringLiteral("plan"), preview},
                               {QStringLiteral("steps"), stepsJson(plan)},
                               {QStringLiteral("fromStep"), fromStep},
                               {QStringLiteral("blockers"), QJsonArray::fromStringList(blockers)}};
    if (parser.isSet(dryRunOption)) {
        // A dry run answers "would this run?" as well: a refused plan is not a success.
        if (json) {
            if (!blockers.isEmpty())
                return CliOutput::fail(true, CliOutput::ErrorCode::Refused,
                                       QStringLiteral("%1 would be refused: %2").arg(name, blockers.join(QLatin1Char(' '))),
                                       planJson);
            QJsonObject o = planJson;
            o.insert(QStringLiteral("dryRun"), true);
            CliOutput::printJson(CliOutput::document(QStringLiteral("plan"), o));
            return 0;
        }
        print(stdout, preview);
        for (const QString &blocker : blockers)
            print(stderr, QStringLiteral("would refuse: %1\n").arg(blocker));
        if (!blockers.isEmpty()) {
            print(stderr, QStringLiteral("migrationdesk run: dry run: %1 would be refused (%2 blocker%3); nothing ran.\n")
                              .arg(name, QString::number(blockers.size()),
                                   blockers.size() == 1 ? QString() : QStringLiteral("s")));
            return kUsageError;
        }
        return 0;
    }
    if (!blockers.isEmpty()) {
        if (json)
            return CliOutput::fail(true, CliOutput::ErrorCode::Refused,
                                   QStringLiteral("%1 was not started: %2").arg(name, blockers.join(QLatin1Char(' '))),
                                   planJson);
        for (const QString &blocker : blockers)
            print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(blocker));
        print(stderr, QStringLiteral("migrationdesk run: %1 was not started.\n").arg(name));
        return kUsageError;
    }
    if (plan.destructive && !parser.isSet(yesOption)) {
        const Confirmation confirmation = OperationCatalog::confirmation(name, project.config, options);
        if (json) {
            QJsonObject o = planJson;
            o.insert(QStringLiteral("confirmation"),
                     QJsonObject{{QStringLiteral("question"), confirmation.question},
                                 {QStringLiteral("items"), QJsonArray::fromStringList(confirmation.items)},
                                 {QStringLiteral("undo"), confirmation.undo}});
            return CliOutput::fail(true, CliOutput::ErrorCode::ConfirmationRequired,
                                   QStringLiteral("%1 is destructive; nothing was done. Read the plan and pass --yes "
                                                  "to run it.")
                                       .arg(name),
                                   o);
        }
        print(stdout, preview);
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
    if (plan.destructive || (operation && operation->group != OperationGroup::Inspect)) {
        QString refusal;
        if (!TerminalRun::guardAndLock(project.config, plan, parser.value(confirmDatabaseOption), &lock, &refusal)) {
            if (json)
                return CliOutput::fail(true, CliOutput::ErrorCode::Refused, refusal, planJson);
            print(stderr, QStringLiteral("migrationdesk run: %1\n").arg(refusal));
            return kUsageError;
        }
    }

    if (parser.isSet(QStringLiteral("start-services"))) {
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
        const QList<ProcessStep> startSteps = Targets::forProject(project.config)->startServices(services);
        if (!startSteps.isEmpty()) {
            Plan start;
            start.id = QStringLiteral("start-services");
            start.title = QStringLiteral("Start %1").arg(services.join(QStringLiteral(", ")));
            start.projectRoot = project.config.root;
            for (const ProcessStep &step : startSteps)
                start.steps << step;
            const TerminalRun::Outcome started = TerminalRun::execute(start, 0, json ? stderr : stdout);
            if (!started.result.success) {
                print(stderr, TerminalRun::failureReport(started.result));
                return CliOutput::fail(json, CliOutput::ErrorCode::Unavailable, started.result.message);
            }
        }
    }
    // In JSON mode stdout is the result document only: the steps' output streams to stderr.
    const TerminalRun::Outcome outcome = TerminalRun::execute(plan, fromStep, json ? stderr : stdout);
    if (!outcome.started)
        return CliOutput::fail(json, CliOutput::ErrorCode::Refused, QStringLiteral("%1 could not start.").arg(name));
    const RunResult &result = outcome.result;
    const QString &stepOutput = outcome.lastStepOutput;
    const int exitCode = result.success ? 0 : result.exitCode != 0 ? result.exitCode : 1;

    QList<MigrateHint> hints;
    if (!result.success && isManageStep(plan, result.failedStep)) {
        MigrateAdviceContext context;
        context.projectApps = options.facts.projectApps;
        context.fakeInitialUsed = usesFakeInitial(plan, result.failedStep);
        MigrateOutputAdvisor::phraseFor(*Targets::forProject(project.config), &context);
        hints = MigrateOutputAdvisor::advise(stepOutput, context);
    }
    // After the backup was made, the way back comes first: the exact restore command.
    const BackupInfo backup = plan.backupDir.isEmpty() ? BackupInfo() : BackupStore::read(plan.backupDir);
    const QString restoreCommand = !result.success && plan.destructive && backup.complete
        ? QStringLiteral("migrationdesk restore %1 --project %2 --yes").arg(backup.id, ShellQuote::quote(project.config.root))
        : QString();
    const QString resumeCommand = !result.success && result.failedStep >= 0 && plan.steps.size() > 1 && !result.cancelled
        ? QStringLiteral("migrationdesk run %1 --project %2 --resume --yes").arg(name, ShellQuote::quote(project.config.root))
        : QString();

    if (json) {
        QJsonArray hintArray;
        for (const MigrateHint &hint : hints)
            hintArray.append(QJsonObject{{QStringLiteral("title"), hint.title},
                                         {QStringLiteral("detail"), hint.detail},
                                         {QStringLiteral("command"), hint.command}});
        QJsonArray ran;
        for (const StepRecord &step : result.steps)
            ran.append(QJsonObject{{QStringLiteral("index"), step.index},
                                   {QStringLiteral("command"), step.command},
                                   {QStringLiteral("exitCode"), step.exitCode}});
        auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
        QJsonObject o = planJson;
        o.insert(QStringLiteral("success"), result.success);
        o.insert(QStringLiteral("cancelled"), result.cancelled);
        o.insert(QStringLiteral("exitCode"), exitCode);
        o.insert(QStringLiteral("message"), result.message);
        o.insert(QStringLiteral("failedStep"), result.failedStep >= 0 ? QJsonValue(result.failedStep) : QJsonValue());
        o.insert(QStringLiteral("failedCommand"), orNull(result.failedCommand));
        o.insert(QStringLiteral("errorTail"), orNull(result.errorTail));
        o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(result.problems));
        o.insert(QStringLiteral("ran"), ran);
        o.insert(QStringLiteral("hints"), hintArray);
        o.insert(QStringLiteral("backup"), backup.complete ? QJsonValue(QJsonObject{{QStringLiteral("id"), backup.id},
                                                                                  {QStringLiteral("dir"), backup.dir}})
                                                           : QJsonValue());
        o.insert(QStringLiteral("restoreCommand"), orNull(restoreCommand));
        o.insert(QStringLiteral("resumeCommand"), orNull(resumeCommand));
        CliOutput::printJson(CliOutput::document(QStringLiteral("run"), o));
        return exitCode;
    }
    if (result.success)
        return 0;
    QString report = QStringLiteral("migrationdesk run: %1\n").arg(result.message)
        + TerminalRun::failureReport(result) + hintText(hints);
    if (!restoreCommand.isEmpty())
        report += QStringLiteral("To put everything back as it was before this run (%1, %2):\n  %3\n")
                      .arg(backup.contents(), QLocale::c().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm")),
                           restoreCommand);
    if (!resumeCommand.isEmpty())
        report += QStringLiteral("Or fix the cause, then continue from step %1 with:\n  %2 (and the same flags)\n")
                      .arg(QString::number(result.failedStep + 1), resumeCommand);
    print(stderr, report);
    return exitCode;
}
