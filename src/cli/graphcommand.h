#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

class MigrationGraph;
struct StatusSnapshot;

// `migrationdesk graph --project DIR --format svg|png|dot --output FILE`: the migration graph as
// the status load knows it (the files' declared edges, states from django_migrations, git
// provenance): every migration a node, every dependency an edge, the inconsistent ones marked.
// DOT is written here; SVG and PNG are the window's own picture, drawn by the renderer the
// binary installs (the GUI library's, on an offscreen platform): no display needed.
int runGraphCommand(const QStringList &arguments);
QList<QCommandLineOption> graphCommandOptions();

namespace GraphCommand {
using Renderer = bool (*)(const MigrationGraph &graph, const StatusSnapshot &snapshot, const QString &path, bool svg, QString *error);
void setRenderer(Renderer renderer);
// Graphviz DOT of graph and snapshot (pure: tested directly).
QString toDot(const MigrationGraph &graph, const StatusSnapshot &snapshot);
}
