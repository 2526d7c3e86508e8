#include "cli/statuscommand.h"

#include "cli/localtimeformatter.h"
#include "cli/projectoptions.h"
#include "cli/statusjsonwriter.h"
#include "status/statusloader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

// The reference form of the JSON (tests compare the streamed output with it); the command itself
// streams through StatusJsonWriter.
QJsonObject statusToJson(const ProjectConfig &config, const StatusSnapshot &snapshot)
{
    QJsonObject json = StatusJsonWriter::frame(config, snapshot);
    QJsonArray rows;
    for (const MigrationRow &r : snapshot.rows)
        rows.append(StatusJsonWriter::rowObject(r));
    json.insert(QStringLiteral("migrations"), rows);
    return json;
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
        out.flush();
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered)
            || !StatusJsonWriter::write(project.config, snapshot, &stdoutFile)) {
            err << "error: cannot write to standard output: " << stdoutFile.errorString() << '\n';
            return 2;
        }
    } else {
        out << project.config.root << "  (" << project.config.db.user << '@' << project.config.db.host << ':'
            << project.config.db.port << '/' << project.config.db.name << ")\n";
        if (snapshot.historyTableMissing)
            out << "No migration history yet: django_migrations does not exist.\n";
        int appWidth = 3;
        int nameWidth = 9;
        QDateTime first, last;
        for (const MigrationRow &r : snapshot.rows) {
            appWidth = std::max(appWidth, int(r.app.size()));
            nameWidth = std::max(nameWidth, int(r.name.size()));
            if (r.applied.isValid()) {
                if (!first.isValid() || r.applied < first)
                    first = r.applied;
                if (!last.isValid() || r.applied > last)
                    last = r.applied;
            }
        }
        const LocalTimeFormatter localTime(first, last);
        for (const MigrationRow &r : snapshot.rows) {
            out << r.app.leftJustified(appWidth + 2) << r.name.leftJustified(nameWidth + 2)
                << migrationStateName(r.state).leftJustified(14) << localTime.format(r.applied) << '\n';
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
