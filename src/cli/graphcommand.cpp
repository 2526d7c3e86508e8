#include "cli/graphcommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "django/migrationgraph.h"
#include "status/statusloader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QHash>
#include <QSaveFile>
#include <QSet>

namespace {

GraphCommand::Renderer g_renderer = nullptr;

QString quoted(const QString &s)
{
    QString escaped = s;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

// The window's colours for the states (light palette), so the DOT picture reads the same.
QString fill(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied: return QStringLiteral("#d7f0dc");
    case MigrationState::Pending: return QStringLiteral("#ffffff");
    case MigrationState::Orphan: return QStringLiteral("#f8d4d4");
    case MigrationState::External: return QStringLiteral("#e4e4e4");
    case MigrationState::Inconsistent: return QStringLiteral("#ead7f5");
    case MigrationState::StateCount: break;
    }
    return QStringLiteral("#ffffff");
}

} // namespace

void GraphCommand::setRenderer(Renderer renderer)
{
    g_renderer = renderer;
}

QString GraphCommand::toDot(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    QString dot = QStringLiteral("digraph migrations {\n    rankdir=TB;\n    node [shape=box, style=\"rounded,filled\", "
                                 "fontname=\"sans-serif\"];\n    edge [color=\"#888888\"];\n");
    // Every migration: the graph's nodes, then the rows it does not know (orphans, other apps).
    struct Item { QString key, app, name; MigrationState state; QString tip; };
    QList<Item> items;
    QSet<QString> seen;
    auto stateOf = [&](const QString &key, bool applied) {
        const qsizetype i = snapshot.find(key);
        return i >= 0 ? snapshot.rows.at(i).state : applied ? MigrationState::Applied : MigrationState::Pending;
    };
    for (const MigrationNode &n : graph.nodes()) {
        items.append({n.key(), n.app, n.name, stateOf(n.key(), n.applied), QString()});
        seen.insert(n.key());
    }
    for (const MigrationRow &r : snapshot.rows) {
        if (seen.contains(r.key()) || graph.knows(r.key()))
            continue;
        QString tip;
        const auto git = snapshot.provenance.constFind(r.key());
        if (git != snapshot.provenance.cend()) {
            QStringList where;
            if (!git->onBranches.isEmpty())
                where << QStringLiteral("file on %1").arg(git->onBranches.join(QStringLiteral(", ")));
            if (!git->deletedIn.isNull())
                where << QStringLiteral("deleted in %1 %2").arg(git->deletedIn.shortHash(), git->deletedIn.subject);
            tip = where.join(QStringLiteral("; "));
        }
        items.append({r.key(), r.app, r.name, r.state, tip});
        seen.insert(r.key());
    }
    QStringList apps;
    QHash<QString, QList<int>> ofApp;
    for (int i = 0; i < items.size(); ++i) {
        if (!ofApp.contains(items.at(i).app))
            apps << items.at(i).app;
        ofApp[items.at(i).app] << i;
    }
    for (const QString &app : std::as_const(apps)) {
        dot += QStringLiteral("    subgraph %1 {\n        label=%2;\n").arg(quoted(QStringLiteral("cluster_") + app), quoted(app));
        for (int i : ofApp.value(app)) {
            const Item &it = items.at(i);
            QString attrs = QStringLiteral("label=%1, fillcolor=\"%2\", tooltip=%3")
                                .arg(quoted(it.name), fill(it.state),
                                     quoted(migrationStateName(it.state) + (it.tip.isEmpty() ? QString() : QStringLiteral(": ") + it.tip)));
            if (it.state == MigrationState::Orphan)
                attrs += QStringLiteral(", style=\"rounded,filled,dashed\"");
            dot += QStringLiteral("        %1 [%2];\n").arg(quoted(it.key), attrs);
        }
        dot += QStringLiteral("    }\n");
    }
    // Every dependency: dependency → dependent; the pairs Django's migrate refuses in the alarm colour.
    QSet<QPair<QString, QString>> bad;
    for (const auto &pair : graph.inconsistentPairs())
        bad.insert(pair);
    for (const MigrationNode &n : graph.nodes()) {
        for (const QString &d : n.dependencies) {
            if (bad.contains({n.key(), d}))
                dot += QStringLiteral("    %1 -> %2 [color=\"#a020c0\", penwidth=2.5, dir=back, label=\"needs, not applied\", fontcolor=\"#a020c0\"];\n")
                           .arg(quoted(d), quoted(n.key()));
            else
                dot += QStringLiteral("    %1 -> %2;\n").arg(quoted(d), quoted(n.key()));
        }
    }
    dot += QStringLiteral("}\n");
    return dot;
}

QList<QCommandLineOption> graphCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("format"), QStringLiteral("svg, png or dot (default: from the output file's suffix, else dot)."),
                QStringLiteral("svg|png|dot")},
               {QStringLiteral("output"), QStringLiteral("The file to write (dot: standard output when left out)."),
                QStringLiteral("FILE")}}
        + ProjectOptions::options();
}

int runGraphCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("graph"));
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("graph"), arguments, &project))
        return *stop;
    const QString output = parser.value(QStringLiteral("output"));
    QString format = parser.value(QStringLiteral("format")).toLower();
    if (format.isEmpty())
        format = output.section(QLatin1Char('.'), -1).toLower();
    if (format != QLatin1String("svg") && format != QLatin1String("png"))
        format = parser.isSet(QStringLiteral("format")) ? format : QStringLiteral("dot");
    if (format != QLatin1String("svg") && format != QLatin1String("png") && format != QLatin1String("dot"))
        return CliOutput::fail(false, CliOutput::ErrorCode::Usage, QStringLiteral("--format is svg, png or dot, not \"%1\"").arg(format));
    if (format != QLatin1String("dot") && output.isEmpty())
        return CliOutput::fail(false, CliOutput::ErrorCode::Usage, QStringLiteral("--format %1 needs --output FILE").arg(format));

    const StatusResult result = StatusLoader::load(project.config);
    for (const QString &w : result.warnings)
        TerminalRun::print(stderr, QStringLiteral("warning: %1\n").arg(w));
    if (!result.ok())
        return CliOutput::fail(false, CliOutput::ErrorCode::Unavailable, result.error);

    if (format == QLatin1String("dot")) {
        const QByteArray dot = GraphCommand::toDot(result.declaredGraph, result.snapshot).toUtf8();
        if (output.isEmpty()) {
            QFile out;
            return out.open(stdout, QIODevice::WriteOnly) && out.write(dot) == dot.size() ? 0 : 2;
        }
        QSaveFile file(output);
        if (!file.open(QIODevice::WriteOnly) || file.write(dot) != dot.size() || !file.commit())
            return CliOutput::fail(false, CliOutput::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(output, file.errorString()));
        return 0;
    }
    if (!g_renderer)
        return CliOutput::fail(false, CliOutput::ErrorCode::Unavailable, QStringLiteral("this build cannot draw %1 pictures").arg(format));
    QString error;
    if (!g_renderer(result.declaredGraph, result.snapshot, output, format == QLatin1String("svg"), &error))
        return CliOutput::fail(false, CliOutput::ErrorCode::Io, error);
    return 0;
}
