#include "cli/statuscommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/localtimeformatter.h"
#include "cli/projectoptions.h"
#include "cli/statusjsonwriter.h"
#include "cli/terminalrun.h"
#include "status/statusstream.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringEncoder>

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

void appendPadded(QString *line, const QString &text, int width)
{
    *line += text;
    if (text.size() < width)
        line->resize(line->size() + width - text.size(), u' ');
}

// Lines to a FILE in 64 KiB pieces, encoded straight into the buffer: QTextStream's own
// buffer and a padded copy per column were most of the text mode's time at a million rows.
class StatusTextOutput
{
public:
    explicit StatusTextOutput(FILE *file) : m_file(file) { m_buffer.reserve(Capacity); }
    void line(QStringView text)
    {
        const qsizetype need = m_encoder.requiredSpace(text.size()) + 1;
        if (m_used + need > m_buffer.size())
            flush();
        if (need > m_buffer.size())
            m_buffer.resize(need);
        char *end = m_encoder.appendToBuffer(m_buffer.data() + m_used, text);
        *end++ = '\n';
        m_used = end - m_buffer.data();
    }
    bool finish()
    {
        flush();
        return m_ok && std::fflush(m_file) == 0;
    }

private:
    static constexpr qsizetype Capacity = 64 * 1024;
    void flush()
    {
        if (m_used > 0)
            m_ok = m_ok && std::fwrite(m_buffer.constData(), 1, size_t(m_used), m_file) == size_t(m_used);
        m_used = 0;
        if (m_buffer.size() < Capacity)
            m_buffer.resize(Capacity);
    }
    FILE *m_file;
    QStringEncoder m_encoder{QStringEncoder::Utf8};
    QByteArray m_buffer;
    qsizetype m_used = 0;
    bool m_ok = true;
};

} // namespace

int runStatusCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("status"));
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("status"), arguments, &project))
        return *stop;
    const bool json = parser.isSet(QStringLiteral("json"));

    // Row by row: a million rows are printed as they arrive, never held (StatusStream).
    StatusStream stream;
    StatusStream::Options options;
    options.readGit = json; // the text has no provenance column
    options.readExtent = !json;
    const bool opened = stream.open(project.config, options);
    for (const QString &w : stream.warnings())
        TerminalRun::print(stderr, QStringLiteral("warning: %1\n").arg(w));
    if (!opened)
        return CliOutput::fail(json, CliOutput::ErrorCode::Unavailable, stream.error());
    bool streamed = true;
    if (json) {
        QFile stdoutFile;
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered)) {
            TerminalRun::print(stderr, QStringLiteral("error: cannot write to standard output: %1\n")
                                           .arg(stdoutFile.errorString()));
            return 2;
        }
        StatusJsonStream out(&stdoutFile, project.config, stream.historyTableMissing());
        // A refused write (the reader went away) stops the read too.
        streamed = stream.forEach([&](const MigrationRow &row) { return out.row(row, stream.provenanceOf(row)); });
        // A read that stopped midway leaves the document unfinished: no parser takes it for the status.
        if (streamed && !out.finish(stream.counts())) {
            TerminalRun::print(stderr, QStringLiteral("error: cannot write to standard output: %1\n")
                                           .arg(stdoutFile.errorString()));
            return 2;
        }
    } else {
        StatusTextOutput out(stdout);
        const DbSettings &db = project.config.db;
        out.line(project.config.root + QStringLiteral("  (") + db.user + QLatin1Char('@') + db.host + QLatin1Char(':')
                 + QString::number(db.port) + QLatin1Char('/') + db.name + QLatin1Char(')'));
        if (stream.historyTableMissing())
            out.line(QStringLiteral("No migration history yet: django_migrations does not exist."));
        // Widths and the time range before the first row: the table's own, from one aggregate.
        const MigrationRecordStore::Extent &extent = stream.extent();
        int appWidth = std::max(3, extent.appWidth);
        int nameWidth = std::max(9, extent.nameWidth);
        for (const MigrationRow &r : stream.named().rows) {
            appWidth = std::max(appWidth, int(r.app.size()));
            nameWidth = std::max(nameWidth, int(r.name.size()));
        }
        const LocalTimeFormatter localTime(extent.firstApplied, extent.lastApplied);
        const bool color = CliOutput::colorEnabled(stdout); // once: a million rows are a million isatty()
        const StatusSnapshot &named = stream.named();
        QString line; // one buffer for every row
        streamed = stream.forEach([&](const MigrationRow &r) {
            const QString state = migrationStateName(r.state);
            line.truncate(0); // keeps the capacity; clear() would free it
            appendPadded(&line, r.app, appWidth + 2);
            appendPadded(&line, r.name, nameWidth + 2);
            if (color) { // padded outside the colour codes
                line += CliOutput::paint(stdout, stateRole(r.state), state);
                line.resize(line.size() + 14 - state.size(), u' ');
            } else {
                appendPadded(&line, state, 14);
            }
            localTime.appendTo(&line, r.applied);
            // Why, in the row itself: what Django's migrate would refuse, or what ran too early.
            if (r.state == MigrationState::Inconsistent)
                line += QStringLiteral("  needs %1 (not applied)").arg(named.unappliedDependencies(r).join(QStringLiteral(", ")));
            else if (r.outOfOrder)
                line += QStringLiteral("  applied before %1").arg(named.laterDependencies(r).join(QStringLiteral(", ")));
            out.line(line);
            return true;
        });
        if (streamed) {
            const auto &c = stream.counts();
            QStringList parts;
            for (int i = 0; i < int(MigrationState::StateCount); ++i) {
                if (c[i] > 0)
                    parts << QStringLiteral("%1 %2").arg(migrationStateName(MigrationState(i))).arg(c[i]);
            }
            out.line(parts.isEmpty() ? QStringLiteral("No migrations.") : parts.join(QStringLiteral(" · ")));
        }
        if (!out.finish()) {
            TerminalRun::print(stderr, QStringLiteral("error: cannot write to standard output\n"));
            return 2;
        }
    }
    if (!streamed) {
        // Some rows are out already: say on stderr that they are not all of them.
        TerminalRun::print(stderr, QStringLiteral("error: %1 (the rows above are not the whole status)\n").arg(stream.error()));
        return 2;
    }
    if (const QString notes = TerminalRun::unfinishedRunNotes(project.config); !notes.isEmpty())
        TerminalRun::print(stderr, notes);
    return stream.allApplied() ? 0 : 1;
}
