#include "cli/statuscommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/localtimeformatter.h"
#include "cli/projectoptions.h"
#include "cli/statusjsonwriter.h"
#include "cli/terminalrun.h"
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
        rows.append(StatusJsonWriter::rowObject(r, snapshot));
    json.insert(QStringLiteral("migrations"), rows);
    return json;
}

QList<QCommandLineOption> statusCommandOptions()
{
    return QList<QCommandLineOption>{{QStringLiteral("json"), QStringLiteral("Print JSON (docs/json-schema.md).")}}
        + ProjectOptions::options();
}

namespace {

CliOutput::Role stateRole(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied: return CliOutput::Role::Good;
    case MigrationState::Pending: return CliOutput::Role::Attention;
    case MigrationState::Orphan: return CliOutput::Role::Error;
    case MigrationState::Inconsistent: return CliOutput::Role::Error;
    default: return CliOutput::Role::Hint;
    }
}

} // namespace

int runStatusCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("status"));
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("status"), arguments, &project))
        return *stop;
    QTextStream out(stdout);
    const bool json = parser.isSet(QStringLiteral("json"));

    const StatusResult result = StatusLoader::load(project.config);
    for (const QString &w : result.warnings)
        TerminalRun::print(stderr, QStringLiteral("warning: %1\n").arg(w));
    if (!result.ok())
        return CliOutput::fail(json, CliOutput::ErrorCode::Unavailable, result.error);
    const StatusSnapshot &snapshot = result.snapshot;
    if (json) {
        out.flush();
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered)
            || !StatusJsonWriter::write(project.config, snapshot, &stdoutFile)) {
            TerminalRun::print(stderr, QStringLiteral("error: cannot write to standard output: %1\n")
                                           .arg(stdoutFile.errorString()));
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
        const bool color = CliOutput::colorEnabled(stdout); // once: a million rows are a million isatty()
        for (const MigrationRow &r : snapshot.rows) {
            const QString state = migrationStateName(r.state);
            out << r.app.leftJustified(appWidth + 2) << r.name.leftJustified(nameWidth + 2);
            if (color) // padded outside the colour codes
                out << CliOutput::paint(stdout, stateRole(r.state), state) << QString(14 - state.size(), QLatin1Char(' '));
            else
                out << state.leftJustified(14);
            out << localTime.format(r.applied);
            // Why, in the row itself: what Django's migrate would refuse, or what ran too early.
            if (r.state == MigrationState::Inconsistent)
                out << "  needs " << snapshot.unappliedDependencies(r).join(QStringLiteral(", ")) << " (not applied)";
            else if (r.outOfOrder)
                out << "  applied before " << snapshot.laterDependencies(r).join(QStringLiteral(", "));
            out << '\n';
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
    if (const QString notes = TerminalRun::unfinishedRunNotes(project.config); !notes.isEmpty())
        TerminalRun::print(stderr, notes);
    return snapshot.allApplied() ? 0 : 1;
}
