#include "cli/commandregistry.h"

#include "cli/backupcommand.h"
#include "cli/completionscript.h"
#include "cli/doctorcommand.h"
#include "cli/manpage.h"
#include "cli/projectoptions.h"
#include "cli/runcommand.h"
#include "cli/checkschemacommand.h"
#include "cli/graphcommand.h"
#include "cli/hookscommand.h"
#include "cli/statuscommand.h"
#include "cli/terminalrun.h"
#include "operations/operationcatalog.h"

#include <QCommandLineParser>

namespace {

QStringList commandNames();

int runCompletion(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("completion"));
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk completion")} + arguments)) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk completion: %1\n").arg(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        TerminalRun::print(stdout, CommandRegistry::helpText(parser, QStringLiteral("completion")));
        return 0;
    }
    const QString shell = parser.positionalArguments().value(0);
    if (parser.positionalArguments().size() != 1
        || (shell != QLatin1String("bash") && shell != QLatin1String("zsh"))) {
        TerminalRun::print(stderr, QStringLiteral("usage: migrationdesk completion bash|zsh\n"));
        return 2;
    }
    TerminalRun::print(stdout, shell == QLatin1String("bash") ? CompletionScript::bash() : CompletionScript::zsh());
    return 0;
}

int runManPage(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("manpage"));
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk manpage")} + arguments)
        || !parser.positionalArguments().isEmpty()) {
        TerminalRun::print(stderr, QStringLiteral("usage: migrationdesk manpage\n"));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        TerminalRun::print(stdout, CommandRegistry::helpText(parser, QStringLiteral("manpage")));
        return 0;
    }
    TerminalRun::print(stdout, ManPage::render());
    return 0;
}

// `migrationdesk help [COMMAND]` is `migrationdesk COMMAND --help`.
int runHelp(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("help"));
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk help")} + arguments)) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk help: %1\n").arg(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        TerminalRun::print(stdout, CommandRegistry::helpText(parser, QStringLiteral("help")));
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        TerminalRun::print(stdout, CommandRegistry::overviewText(QString()));
        return 0;
    }
    const CliCommand *command = CommandRegistry::find(positional.constFirst());
    if (!command || command->name == QLatin1String("help") || positional.size() > 1) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk help: no command \"%1\"; these exist: %2\n")
                                       .arg(positional.join(QLatin1Char(' ')), commandNames().join(QStringLiteral(", "))));
        return 2;
    }
    return command->run(QStringList{QStringLiteral("--help")});
}

QList<QCommandLineOption> noOptions()
{
    return {};
}

QList<CliCommand> buildCommands()
{
    QStringList operations;
    for (const Operation &op : OperationCatalog::all())
        operations << op.name;
    QList<CliCommand> commands;
    commands << CliCommand{QStringLiteral("status"),
                           QStringLiteral("Print the reconciled migration status of a project."),
                           statusCommandOptions(), {}, runStatusCommand};
    commands << CliCommand{QStringLiteral("run"), QStringLiteral("Run one MigrationDesk operation without a window."),
                           runCommandOptions(),
                           {{QStringLiteral("operation"), QStringLiteral("The operation to run (see --list)."),
                             QStringLiteral("[OPERATION]"), operations}},
                           runOperationCommand};
    commands << CliCommand{QStringLiteral("doctor"),
                           QStringLiteral("Find what is wrong with a project's migrations and repair it."),
                           doctorCommandOptions(), {}, runDoctorCommand};
    commands << CliCommand{QStringLiteral("graph"),
                           QStringLiteral("Write the migration graph as SVG, PNG or Graphviz DOT."),
                           graphCommandOptions(), {}, runGraphCommand, true};
    commands << CliCommand{QStringLiteral("check-schema"),
                           QStringLiteral("Prove the tables are what the migrations create (on a scratch database)."),
                           checkSchemaCommandOptions(), {}, runCheckSchemaCommand};
    commands << CliCommand{QStringLiteral("backups"), QStringLiteral("List (or prune) the project's backups."),
                           backupsCommandOptions(), {}, runBackupsCommand};
    commands << CliCommand{QStringLiteral("restore"),
                           QStringLiteral("Restore a backup (first backing up what it overwrites)."),
                           restoreCommandOptions(),
                           {{QStringLiteral("BACKUP"), QStringLiteral("Backup id (see `migrationdesk backups`), or \"last\"."),
                             QStringLiteral("BACKUP"), {QStringLiteral("last")}}},
                           runRestoreCommand};
    commands << CliCommand{QStringLiteral("hooks"),
                           QStringLiteral("Install (or run) the git post-checkout hook that warns when a switch leaves "
                                          "applied migrations the branch lacks."),
                           hooksCommandOptions(),
                           {{QStringLiteral("action"), QStringLiteral("install: write the hook; check: what the hook runs."),
                             QStringLiteral("install|check"), {QStringLiteral("install"), QStringLiteral("check")}}},
                           runHooksCommand};
    commands << CliCommand{QStringLiteral("completion"),
                           QStringLiteral("Print the shell completion script for bash or zsh."), noOptions(),
                           {{QStringLiteral("shell"), QStringLiteral("bash or zsh."), QStringLiteral("bash|zsh"),
                             {QStringLiteral("bash"), QStringLiteral("zsh")}}},
                           runCompletion};
    commands << CliCommand{QStringLiteral("manpage"), QStringLiteral("Print the manual page (roff), made from this help."),
                           noOptions(), {}, runManPage};
    QStringList names;
    for (const CliCommand &c : commands)
        names << c.name;
    commands << CliCommand{QStringLiteral("help"), QStringLiteral("Show the help of a command."), noOptions(),
                           {{QStringLiteral("command"), QStringLiteral("The command."), QStringLiteral("[COMMAND]"), names}},
                           runHelp};
    return commands;
}

QStringList commandNames()
{
    QStringList names;
    for (const CliCommand &c : CommandRegistry::all())
        names << c.name;
    return names;
}

} // namespace

namespace CommandRegistry {

const QList<CliCommand> &all()
{
    static const QList<CliCommand> commands = buildCommands();
    return commands;
}

const CliCommand *find(const QString &name)
{
    for (const CliCommand &c : all()) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QList<QCommandLineOption> guiOptions()
{
    return {
        {QStringLiteral("project"), QStringLiteral("Open this project folder."), QStringLiteral("DIR")},
        {QStringLiteral("demo"), QStringLiteral("Create (or reuse) a demo sandbox — a private PostgreSQL and a "
                                                "Hanna-shaped Django project — and open it.")},
        {QStringLiteral("reset"), QStringLiteral("With --demo: remove the demo's database and project copy first and "
                                                 "build them again.")},
    };
}

QString guiDescription()
{
    return QStringLiteral("Shows and repairs the Django migration state of a docker compose project.\n"
                          "Without a command it opens the window; the commands below run without one.");
}

QString overviewText(const QString &guiHelp)
{
    QString text = guiHelp.isEmpty() ? QStringLiteral("Usage: migrationdesk [options]\n"
                                                      "       migrationdesk COMMAND [options]\n")
                                     : guiHelp;
    text += QStringLiteral("\nCommands (no display needed; `migrationdesk COMMAND --help` for each):\n");
    qsizetype width = 0;
    for (const CliCommand &c : all())
        width = std::max(width, c.name.size());
    for (const CliCommand &c : all())
        text += QStringLiteral("  %1  %2\n").arg(c.name.leftJustified(width), c.summary);
    text += QStringLiteral("\nExit codes: 0 success, 1 something to do (pending migrations, findings), 2 error.\n");
    return text;
}

void setUp(QCommandLineParser &parser, const QString &command)
{
    const CliCommand *c = find(command);
    Q_ASSERT(c);
    parser.setApplicationDescription(c->summary);
    parser.addHelpOption();
    parser.addOptions(c->options);
    for (const CliArgument &a : c->arguments)
        parser.addPositionalArgument(a.name, a.description, a.syntax);
}

QString helpText(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QString usage = QStringLiteral("Usage: ");
    if (text.startsWith(usage)) {
        const qsizetype end = text.indexOf(QLatin1Char(' '), usage.size());
        text.replace(0, end < 0 ? text.size() : end,
                     usage + QStringLiteral("migrationdesk") + (command.isEmpty() ? QString() : QLatin1Char(' ') + command));
    }
    return text;
}

QStringList optionValues(const QCommandLineOption &option)
{
    if (option.names().contains(QStringLiteral("target")))
        return {QStringLiteral("compose"), QStringLiteral("local")};
    return {};
}

QString optionValueKind(const QCommandLineOption &option)
{
    const QString v = option.valueName();
    if (v == QLatin1String("DIR"))
        return QStringLiteral("dir");
    if (v == QLatin1String("FILE") || v == QLatin1String("PATH"))
        return QStringLiteral("file");
    return {};
}

} // namespace CommandRegistry
