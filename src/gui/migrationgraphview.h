#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QDateTime>
#include <QGraphicsView>
#include <QHash>
#include <QList>
#include <QStringList>

class QGraphicsItem;
class QGraphicsPathItem;
class QLabel;
class GraphNodeItem;

// The migration history drawn: Django's dependency graph as one column per app (apps in plan
// order, each migration one layer below its dependencies, so every edge points down), nodes
// coloured by their state, cross-app dependencies highlighted and dependencies that make the
// history inconsistent in red. Timeline mode lays the applied migrations along a time axis
// (one lane per app, gaps marked), with the unapplied ones after it; an edge that goes back in
// time is an inconsistency. Ctrl+wheel zooms; a node's tooltip has its key and applied time.
// Built for ~50 nodes to read and 1,000 to stay fluid: plain items, text skipped when small.
//
// Nodes are migrations, not rows: rows that share app and name are one node, and rows Django
// does not know (no file: orphans, external apps, or every row while the graph was not read)
// are drawn one by one only up to a cap per app and overall; the rest of an app's such rows is
// one summary node. Turning a big snapshot into nodes (a scan of every row), their graph layers
// and tooltips runs on the thread pool; only the scene's items are made on the GUI thread.
class MigrationGraphView : public QGraphicsView
{
    Q_OBJECT
public:
    enum class Mode { Graph, Timeline };
    Q_ENUM(Mode)

    // One node as drawn: from the graph, or a status row Django does not know (an orphan).
    struct Node
    {
        QString key;
        QString app;
        QString name;
        MigrationState state = MigrationState::Pending;
        QDateTime applied;
        QStringList dependencies; // keys, only those present in the view
        bool inGraph = true;
        int summarisedRows = 0; // > 0: a summary node standing for that many rows of its app
    };
    // Loose nodes (rows Django does not know) drawn one by one, per app and overall.
    static constexpr int DefaultLooseNodesPerApp = 60;
    static constexpr int DefaultLooseNodes = 600;
    // Up to this many rows + graph nodes, setData() builds the nodes at once.
    static constexpr int SynchronousLimit = 2000;

    // The nodes for graph and snapshot, apps in plan order (pure: safe on any thread).
    static QList<Node> buildNodes(const MigrationGraph &graph, const StatusSnapshot &snapshot, QStringList *apps,
                                  int loosePerApp = DefaultLooseNodesPerApp, int looseTotal = DefaultLooseNodes);

    explicit MigrationGraphView(QWidget *parent = nullptr);
    ~MigrationGraphView() override;

    // The graph (may be empty when Django's graph is not available: then the status rows are
    // drawn without edges) and the snapshot that gives states and applied times.
    // Large inputs are turned into nodes off the GUI thread: nodesChanged() says when the view
    // shows them (at once for small ones); a newer setData() drops an older one's result.
    void setData(const MigrationGraph &graph, const StatusSnapshot &snapshot);
    // On the calling thread, whatever the size (tests; the benchmark's reference).
    void setDataSynchronously(const MigrationGraph &graph, const StatusSnapshot &snapshot);
    void clear();
    bool isBuilding() const { return m_building; }
    // Caps for loose nodes (INT_MAX: one node per distinct row, the former behaviour).
    void setLooseNodeLimits(int perApp, int total);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return m_edgeCount; }
    int crossAppEdgeCount() const { return m_crossAppEdges; }
    int inconsistentEdgeCount() const { return m_badEdges; }
    const QList<Node> &nodes() const { return m_nodes; }
    QStringList apps() const { return m_apps; }
    // Scene position of a node's centre (invalid key: a null point) and its tooltip.
    QPointF nodePosition(const QString &key) const;
    QString nodeToolTip(const QString &key) const;
    qreal zoom() const;
    qint64 lastLayoutMs() const { return m_layoutMs; }

public slots:
    void setZoom(qreal factor);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitAll();

signals:
    void migrationActivated(const QString &key); // double-click on a node
    void nodesChanged(); // setData()'s nodes are laid out and shown
    void zoomChanged(qreal factor);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // What a job hands the GUI thread: nodes, their apps, graph layers and tooltips, all made
    // off it; the GUI thread only makes the scene's items.
    struct BuiltNodes
    {
        QList<Node> nodes;
        QStringList apps;
        QList<int> layers;
        QStringList toolTips;
    };
    static BuiltNodes buildAndLayOut(const MigrationGraph &graph, const StatusSnapshot &snapshot, int perApp, int total);
    static QList<int> graphLayers(const QList<Node> &nodes);
    static QString toolTipFor(const Node &node);

    void showNodes(BuiltNodes built);
    void rebuild();
    void layoutGraph();
    void layoutTimeline();
    GraphNodeItem *addNode(int index, const QPointF &center, bool compact);
    void addEdge(int from, int to, bool timeline);
    void updateLegend();
    void placeLegend();

    Mode m_mode = Mode::Graph;
    QList<Node> m_nodes;
    QHash<QString, int> m_index;
    QStringList m_apps; // in plan order of their first migration
    QList<int> m_layers;    // graph mode, per node
    QStringList m_toolTips; // per node
    QList<GraphNodeItem *> m_items;
    int m_edgeCount = 0;
    int m_crossAppEdges = 0;
    int m_badEdges = 0;
    qint64 m_layoutMs = 0;
    quint64 m_jobId = 0;
    bool m_building = false;
    int m_loosePerApp = DefaultLooseNodesPerApp;
    int m_looseTotal = DefaultLooseNodes;
    QLabel *m_legend;
};
