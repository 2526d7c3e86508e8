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
    };

    explicit MigrationGraphView(QWidget *parent = nullptr);
    ~MigrationGraphView() override;

    // The graph (may be empty when Django's graph is not available: then the status rows are
    // drawn without edges) and the snapshot that gives states and applied times.
    void setData(const MigrationGraph &graph, const StatusSnapshot &snapshot);
    void clear();

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
    void zoomChanged(qreal factor);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void layoutGraph();
    void layoutTimeline();
    GraphNodeItem *addNode(int index, const QPointF &center, bool compact);
    void addEdge(int from, int to, bool timeline);
    void updateLegend();
    void placeLegend();
    QString toolTipFor(const Node &node) const;

    Mode m_mode = Mode::Graph;
    QList<Node> m_nodes;
    QHash<QString, int> m_index;
    QStringList m_apps; // in plan order of their first migration
    QList<GraphNodeItem *> m_items;
    int m_edgeCount = 0;
    int m_crossAppEdges = 0;
    int m_badEdges = 0;
    qint64 m_layoutMs = 0;
    QLabel *m_legend;
};
