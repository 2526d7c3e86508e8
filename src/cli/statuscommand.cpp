#include "cli/statuscommand.h"

#include "cli/projectoptions.h"
#include "status/statusloader.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

QJsonObject statusToJson(const ProjectConfig &config, const StatusSnapshot &snapshot)
{
    QJsonObject project{
        {QStringLiteral("root"), config.root},
        {QStringLiteral("composeFile"), config.composeFile},
        {QStringLiteral("envFile"), config.envFile},
        {QStringLiteral("composeProject"), config.composeProjectName},
        {QStringLiteral("backendDir"), config.backendDir},
        {QStringLiteral("dbService"), config.dbService},
        {QStringLiteral("backendService"), config.backendService},
        {QStringLiteral("target"), targetKindName(config.target)},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("host"), config.db.host},
                                                 {QStringLiteral("port"), config.db.port},
                                                 {QStringLiteral("name"), config.db.name},
                                                 {QStringLiteral("user"), config.db.user}}},
    };
    QJsonObject counts;
    const auto c = snapshot.counts();
    for (int i = 0; i < int(MigrationState::StateCount); ++i)
        counts.insert(migrationStateName(MigrationState(i)), c[i]);
    QJsonArray rows;
    for (const MigrationRow &r : snapshot.rows) {
        rows.append(QJsonObject{
            {QStringLiteral("app"), r.app},
            {QStringLiteral("name"), r.name},
            {QStringLiteral("state"), migrationStateName(r.state)},
            {QStringLiteral("applied"), r.applied.isValid() ? QJsonValue(r.applied.toString(Qt::ISODateWithMs))
                                                            : QJsonValue()},
            {QStringLiteral("file"), r.file.isEmpty() ? QJsonValue() : QJsonValue(r.file)},
        });
    }
    return QJsonObject{{QStringLiteral("project"), project},
                       {QStringLiteral("historyTableMissing"), snapshot.historyTableMissing},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("migrations"), rows}};
}

int runStatusCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the reconciled migration status of a project."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    ProjectOptions::addTo(parser);
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("status"), arguments, &project))
        return *stop;
    QTextStream err(stderr);
    QTextStream out(stdout);

    const StatusResult result = StatusLoader::load(project.config);
    for (const QString &w : result.warnings)
        err << "warning: " << w << '\n';
    if (!result.ok()) {
        err << "error: " << result.error << '\n';
        return 2;
    }
    const StatusSnapshot &snapshot = result.snapshot;
    if (parser.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(statusToJson(project.config, snapshot)).toJson(QJsonDocument::Indented);
    } else {
        out << project.config.root << "  (" << project.config.db.user << '@' << project.config.db.host << ':'
            << project.config.db.port << '/' << project.config.db.name << ")\n";
        if (snapshot.historyTableMissing)
            out << "No migration history yet: django_migrations does not exist.\n";
        int appWidth = 3;
        int nameWidth = 9;
        for (const MigrationRow &r : snapshot.rows) {
            appWidth = std::max(appWidth, int(r.app.size()));
            nameWidth = std::max(nameWidth, int(r.name.size()));
        }
        for (const MigrationRow &r : snapshot.rows) {
            out << r.app.leftJustified(appWidth + 2) << r.name.leftJustified(nameWidth + 2)
                << migrationStateName(r.state).leftJustified(14)
                << (r.applied.isValid() ? r.applied.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                        : QString())
                << '\n';
        }
        const auto c = snapshot.counts();
        QStringList parts;
        for (int i = 0; i < int(MigrationState::StateCount); ++i) {
            if (c[i] > 0)
                parts << QStringLiteral("%1 %2").arg(migrationStateName(MigrationState(i))).arg(c[i]);
        }
        out << (parts.isEmpty() ? QStringLiteral("No migrations.") : parts.join(QStringLiteral(" · "))) << '\n';
    }
    out.flush();
    return snapshot.allApplied() ? 0 : 1;
}
