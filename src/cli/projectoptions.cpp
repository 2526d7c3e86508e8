#include "cli/projectoptions.h"

#include "project/projectsettingsstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

namespace ProjectOptions {

void addTo(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project folder (default: the current folder)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("target"), QStringLiteral("How to reach the project: compose or local."),
                      QStringLiteral("KIND")});
    parser.addOption({QStringLiteral("python"), QStringLiteral("Local target: the project's Python interpreter."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("compose-file"), QStringLiteral("The compose file to use."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("db-host"), QStringLiteral("Database host (default 127.0.0.1)."),
                      QStringLiteral("HOST")});
    parser.addOption({QStringLiteral("db-port"), QStringLiteral("Database port (default: the port compose publishes)."),
                      QStringLiteral("PORT")});
    parser.addOption({QStringLiteral("db-name"), QStringLiteral("Database name (default: DB_NAME from .env)."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("db-user"), QStringLiteral("Database user (default: DB_USER from .env)."),
                      QStringLiteral("USER")});
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
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk ") + command} + arguments)) {
        err << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    *project = resolve(parser);
    for (const QString &e : project->errors)
        err << "error: " << e << '\n';
    if (!project->ok())
        return 2;
    for (const QString &w : project->warnings)
        err << "warning: " << w << '\n';
    return std::nullopt;
}

} // namespace ProjectOptions
