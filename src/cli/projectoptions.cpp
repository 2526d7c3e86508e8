#include "cli/projectoptions.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/terminalrun.h"
#include "project/projectsettingsstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace ProjectOptions {

QList<QCommandLineOption> options()
{
    return {
        {QStringLiteral("project"), QStringLiteral("The project folder (default: the current folder)."),
         QStringLiteral("DIR")},
        {QStringLiteral("target"), QStringLiteral("How to reach the project: compose or local."), QStringLiteral("KIND")},
        {QStringLiteral("python"), QStringLiteral("Local target: the project's Python interpreter."),
         QStringLiteral("PATH")},
        {QStringLiteral("compose-file"), QStringLiteral("The compose file to use."), QStringLiteral("FILE")},
        {QStringLiteral("db-host"), QStringLiteral("Database host (default 127.0.0.1)."), QStringLiteral("HOST")},
        {QStringLiteral("db-port"), QStringLiteral("Database port (default: the port compose publishes)."),
         QStringLiteral("PORT")},
        {QStringLiteral("db-name"), QStringLiteral("Database name (default: DB_NAME from .env)."), QStringLiteral("NAME")},
        {QStringLiteral("db-user"), QStringLiteral("Database user (default: DB_USER from .env)."), QStringLiteral("USER")},
    };
}

void addTo(QCommandLineParser &parser)
{
    parser.addOptions(options());
}

ProjectLoadResult resolve(const QCommandLineParser &parser)
{
    const QString folder = parser.isSet(QStringLiteral("project")) ? parser.value(QStringLiteral("project"))
                                                                    : QDir::currentPath();
    // A compose file chosen by flag or saved setting is what compose resolves the project from.
    const ProjectOverrides saved = ProjectSettingsStore::load(QDir::cleanPath(QFileInfo(folder).absoluteFilePath()));
    QString chosenCompose = parser.value(QStringLiteral("compose-file"));
    if (chosenCompose.isEmpty())
        chosenCompose = saved.composeFile;
    ProjectLoadResult result = ProjectDetector::detect(folder, chosenCompose);
    if (!result.ok())
        return result;
    saved.applyTo(result.config);

    ProjectOverrides flags;
    flags.composeFile = parser.value(QStringLiteral("compose-file"));
    flags.dbHost = parser.value(QStringLiteral("db-host"));
    flags.dbName = parser.value(QStringLiteral("db-name"));
    flags.dbUser = parser.value(QStringLiteral("db-user"));
    flags.python = parser.value(QStringLiteral("python"));
    if (parser.isSet(QStringLiteral("target"))) {
        bool ok = false;
        targetKindFromName(parser.value(QStringLiteral("target")), &ok);
        if (!ok) {
            result.errors << QStringLiteral("--target must be compose or local, not \"%1\".")
                                 .arg(parser.value(QStringLiteral("target")));
            return result;
        }
        flags.target = parser.value(QStringLiteral("target"));
    }
    if (parser.isSet(QStringLiteral("db-port"))) {
        bool ok = false;
        flags.dbPort = parser.value(QStringLiteral("db-port")).toInt(&ok);
        if (!ok || flags.dbPort <= 0 || flags.dbPort > 65535) {
            result.errors << QStringLiteral("--db-port must be a port number, not \"%1\".")
                                 .arg(parser.value(QStringLiteral("db-port")));
            return result;
        }
    }
    flags.applyTo(result.config);
    return result;
}

std::optional<int> prepare(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                           ProjectLoadResult *project)
{
    const bool json = CliOutput::wantsJson(arguments);
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk ") + command} + arguments))
        return CliOutput::fail(json, CliOutput::ErrorCode::Usage,
                               QStringLiteral("migrationdesk %1: %2").arg(command, parser.errorText()));
    if (parser.isSet(QStringLiteral("help"))) {
        TerminalRun::print(stdout, CommandRegistry::helpText(parser, command));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return CliOutput::fail(json, CliOutput::ErrorCode::Usage,
                               QStringLiteral("migrationdesk %1 takes no argument \"%2\" (see --help)")
                                   .arg(command, parser.positionalArguments().constFirst()));
    *project = resolve(parser);
    for (const QString &w : project->warnings)
        TerminalRun::print(stderr, QStringLiteral("warning: %1\n").arg(w));
    if (!project->ok())
        return CliOutput::fail(json, CliOutput::ErrorCode::Project, project->errors.join(QLatin1Char('\n')));
    return std::nullopt;
}

} // namespace ProjectOptions
