#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QDateTime>
#include <QGraphicsView>
#include <QPainterPath>
#include <QHash>
#include <QList>
#include <QStringList>

class QGraphicsItem;
class QLabel;
class QMenu;
class GraphNodeItem;
class GraphOverview;

// The migration history drawn: Django's dependency graph as one column per app (apps in plan
// order, each migration one layer below its dependencies, so every edge points down), nodes
// coloured by their state, cross-app dependencies highlighted and dependencies that make the
// history inconsistent in red. Timeline mode lays the applied migrations along a time axis
// (one lane per app, gaps marked), with the unapplied ones after it; an edge that goes back in
// time is an inconsistency. Ctrl+wheel zooms; a node's tooltip has its key and applied time.
// Built for ~50 nodes to read and 1,000 to stay fluid: plain items, text skipped when small.
// A node's context menu offers the per-migration operations (as the status table's does) and
// its file; search centres on a node; fitting a graph too big for readable boxes switches to a
// compact lane view (narrow lanes, the migration's number as its label); an overview in the
// corner shows the whole graph and the visible part when the graph is larger than the view.
//
// Nodes are migrations, not rows: rows that share app and name are one node, and rows Django
// does not know (no file: orphans, external apps, or every row while the graph was not read)
// are drawn one by one only up to a cap per app and overall; the rest of an app's such rows is
// one summary node. Turning a big snapshot into nodes (a scan of every row) and laying them out
// (computeLayout()) run on the thread pool; only the items are made on the GUI thread.
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
        bool hasFile = true;
        bool outOfOrder = false;
        MigrationProvenance git; // from the snapshot (git provenance), empty when unknown
    };
    // Loose nodes (rows Django does not know) drawn one by one, per app and overall.
    static constexpr int DefaultLooseNodesPerApp = 60;
    static constexpr int DefaultLooseNodes = 600;
    // Up to this many rows + graph nodes, setData() builds the nodes at once.
    static constexpr int SynchronousLimit = 2000;
    // Zoom from which a compact lane's labels (the migration's number) are drawn, and below
    // which Fit switches to the compact lane view because the full boxes' names are elided.
    static constexpr qreal CompactLabelZoom = 0.6;
    static constexpr qreal FullLabelZoom = 0.75;

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

    // Lanes: apps in topological order of their cross-app dependencies (an app left of every app
    // that depends on it), Django's own apps (auth, admin, contenttypes, sessions, …) folded into
    // one lane unless unfolded. Pure: safe on any thread.
    static QStringList laneOrder(const QList<Node> &nodes, const QStringList &apps, bool foldDjango,
                                 QHash<QString, int> *laneOfApp);
    static bool isDjangoApp(const QString &app);
    static QString djangoLaneName() { return QStringLiteral("Django"); }
    void setFoldDjangoApps(bool fold);
    bool foldsDjangoApps() const { return m_foldDjango; }
    QStringList lanes() const { return m_layout.lanes; }
    // One line that says what is wrong, or that nothing is ("flows.0003 is applied but needs
    // conversations.0003, which is not"). Plain text.
    QString caption() const;
    static QString shortKey(const QString &key); // "flows.0003"
    // Selects the node of key and scrolls to it (no migrationSelected() echo); false: not drawn.
    bool selectMigration(const QString &key);
    QString selectedMigration() const;
    // PNG (any other suffix too) or SVG, by the file's suffix; the whole scene at zoom 1.
    bool exportTo(const QString &path, QString *error = nullptr);
    bool exportTo(const QString &path, bool svg, QString *error);
    QWidget *legend() const;

    // The node menu: open its file, then the per-migration operations when it has a file
    // (operationRequested(), the same requests as the status table's menu). Null for a key not
    // drawn. The caller owns the menu.
    QMenu *createNodeMenu(const QString &key, QWidget *parent = nullptr);
    // Selects and centres on the first node after the selected one whose key contains text
    // (case-insensitive, wrapping); returns its key, empty when none matches.
    QString findAndCentre(const QString &text);
    // Narrow lanes with the migration's number as label (graph mode); Fit turns it on when the
    // full boxes would be unreadable, 1:1 turns that off again.
    void setCompactLanes(bool compact);
    bool compactLanes() const { return m_compactLanes; }
    // The overview (minimap): shown when the graph is larger than the view; a click or a drag in
    // it centres the view there.
    QWidget *overview() const;
    QRectF visibleSceneRect() const;

    // Timeline: one `migrate` run, the rows applied within a few seconds of each other.
    struct Batch
    {
        QDateTime start, end;
        int count = 0;
        qreal startX = 0, endX = 0;
        qint64 pauseAfterSecs = 0; // to the next batch, 0 for the last
    };
    const QList<Batch> &batches() const { return m_batches; }

    // Where every node goes, in grid units (no fonts, no items): lanes, each node's layer in its
    // lane (graph mode; for a row without a file its row in the "no file" gutter), the applied
    // ones' slots on the time axis with the batches, and the tooltips. Pure: computed with the
    // nodes on the thread pool for large inputs, so the GUI thread only makes the items.
    struct Layout
    {
        QStringList lanes;
        QHash<QString, int> laneOfApp;
        QList<int> layer; // per node
        int maxLayer = -1;
        int gutterRows = 0;
        QList<int> applied; // timeline: the applied nodes in the order they were applied
        QList<qreal> timeX; // per node of applied: its x on the axis
        qreal axisEnd = 0;
        QList<int> unapplied; // timeline: the others, in plan order
        QList<Batch> batches;
        QStringList toolTips; // per node
    };
    static Layout computeLayout(const QList<Node> &nodes, const QStringList &apps, bool foldDjango);
    const Layout &layout() const { return m_layout; }

    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return m_edgeCount; }
    int crossAppEdgeCount() const { return m_crossAppEdges; }
    int inconsistentEdgeCount() const { return m_badEdges; }
    const QList<Node> &nodes() const { return m_nodes; }
    QStringList apps() const { return m_apps; }
    // Scene position of a node's centre (invalid key: a null point) and its tooltip.
    QPointF nodePosition(const QString &key) const;
    QSizeF nodeSize() const; // of a box (graph) or a slot (timeline), in scene units
    QString nodeToolTip(const QString &key) const;
    qreal zoom() const;
    qint64 lastLayoutMs() const { return m_layoutMs; } // the last rebuild of the items, in ms

public slots:
    void setZoom(qreal factor);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitAll();

signals:
    void migrationActivated(const QString &key); // double-click on a node
    void migrationSelected(const QString &key);  // a click selected one node
    void nodesChanged(); // setData()'s nodes are laid out and shown
    void zoomChanged(qreal factor);
    void compactLanesChanged(bool compact);
    // From the node menu: an operation on one migration (as StatusPage::operationRequested) and
    // opening its file.
    void operationRequested(const QString &operation, const QHash<QString, QString> &values);
    void openFileRequested(const QString &key);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void showNodes(QList<Node> nodes, QStringList apps, Layout layout);
    void relayout(); // computeLayout() again (lanes folded or not): off the thread when large
    void rebuild();
    void layoutGraph();
    void layoutTimeline();
    GraphNodeItem *addNode(int index, const QPointF &center, bool compact);
    void addEdge(int from, int to, bool timeline);
    void updateLegend();
    void placeLegend();
    void updateOverview();
    qreal fitZoom() const;
    static QString toolTipFor(const Node &node);
    void addInconsistentLabel(const QPainterPath &path, const QPointF &at);
    void drawOrphanGutter(qreal top, qreal width);
    qreal drawBatches(qreal bottom);

    Mode m_mode = Mode::Graph;
    QList<Node> m_nodes;
    QHash<QString, int> m_index;
    QStringList m_apps; // in plan order of their first migration
    Layout m_layout; // computeLayout() of m_nodes
    bool m_foldDjango = true;
    bool m_selecting = false;
    qreal m_nodeW = 176;
    qreal m_nodeH = 28;
    bool m_compactLanes = false;
    bool m_autoCompact = false; // turned on by Fit: 1:1 turns it off
    QList<Batch> m_batches;
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
    GraphOverview *m_overview;
};
