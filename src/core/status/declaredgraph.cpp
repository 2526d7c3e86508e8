#include "status/declaredgraph.h"

#include <QList>

#include <algorithm>

MigrationGraph DeclaredGraph::fromSnapshot(const StatusSnapshot &snapshot)
{
    MigrationGraph graph;
    const QList<MigrationRow> &rows = snapshot.rows;
    // Rows with a file, and the rows outside the project that one of them names: the rest of an
    // external app (a million rows, say) stays the view's business, drawn capped.
    QList<qsizetype> nodes;
    QList<bool> node(rows.size(), false);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).file.isEmpty())
            continue;
        nodes << i;
        node[i] = true;
        for (const QString &d : rows.at(i).dependencies) {
            const qsizetype j = snapshot.find(d);
            if (j >= 0 && !node.at(j) && rows.at(j).file.isEmpty() && rows.at(j).recordId != 0
                && !snapshot.projectApps.contains(rows.at(j).app)) {
                node[j] = true;
                nodes << j;
            }
        }
    }
    if (nodes.isEmpty())
        return graph;
    std::sort(nodes.begin(), nodes.end()); // app, name order among equals
    // Depth-first, dependencies before dependents; a cycle (hand-edited files) is cut where found.
    enum Mark : quint8 { None, Visiting, Done };
    QList<Mark> mark(rows.size(), None);
    auto isNode = [&node](qsizetype i) { return i >= 0 && node.at(i); };
    auto addNode = [&](qsizetype i) {
        const MigrationRow &r = rows.at(i);
        MigrationNode n;
        n.app = r.app;
        n.name = r.name;
        n.applied = snapshot.isApplied(r.key());
        for (const QString &d : r.dependencies) {
            if (isNode(snapshot.find(d)))
                n.dependencies << d;
        }
        graph.addNode(n);
    };
    QList<std::pair<qsizetype, int>> stack; // row, next dependency to visit
    for (qsizetype start : std::as_const(nodes)) {
        if (mark.at(start) != None)
            continue;
        stack.append({start, 0});
        mark[start] = Visiting;
        while (!stack.isEmpty()) {
            auto &[i, next] = stack.last();
            const QStringList &deps = rows.at(i).dependencies;
            if (next < deps.size()) {
                const qsizetype j = snapshot.find(deps.at(next++));
                if (isNode(j) && mark.at(j) == None) {
                    mark[j] = Visiting;
                    stack.append({j, 0});
                }
                continue;
            }
            mark[i] = Done;
            addNode(i);
            stack.removeLast();
        }
    }
    graph.setReplacements(snapshot.replacements);
    return graph;
}
