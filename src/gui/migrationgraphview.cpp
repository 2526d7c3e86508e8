#include "migrationgraphview.h"

#include "migrationstatestyle.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFontMetrics>
#include <QFutureWatcher>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSceneHoverEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QScrollBar>
#include <QSet>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <cmath>
#include <utility>

namespace {

// Graph mode geometry (scene units = pixels at zoom 1).
constexpr qreal kNodeW = 176;
constexpr qreal kNodeH = 28;
constexpr qreal kColumnGap = 56;
constexpr qreal kLayerGap = 18;
constexpr qreal kHeaderH = 34;
// Timeline geometry.
constexpr qreal kDot = 16;
constexpr qreal kSlotW = 34;
constexpr qreal kLaneH = 46;
constexpr qreal kLaneLabelW = 150;
constexpr qreal kAxisH = 46;
constexpr qint64 kSessionGapSecs = 600; // further apart than this: a new "migrate" run

constexpr qreal kMinZoom = 0.03;
constexpr qreal kMaxZoom = 4.0;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QString when(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

// One migration: a rounded box (graph) or a dot with its number (timeline). Painting is cheap
// and skips text when the zoom makes it unreadable anyway.
class GraphNodeItem : public QGraphicsItem
{
public:
    GraphNodeItem(const MigrationGraphView::Node &node, bool compact, const QPalette &palette)
        : m_compact(compact)
        , m_missing(!node.inGraph)
        , m_color(MigrationStateStyle::color(node.state, palette))
        , m_text(palette.color(QPalette::Text))
        , m_base(palette.color(QPalette::Base))
        , m_icon(MigrationStateStyle::icon(node.state, palette).pixmap(14, 14))
    {
        m_label = compact ? node.name.left(4) : node.name;
        if (m_compact)
            m_rect = QRectF(-kSlotW / 2, -kDot / 2, kSlotW, kDot + 14);
        else
            m_rect = QRectF(-kNodeW / 2, -kNodeH / 2, kNodeW, kNodeH);
        setAcceptHoverEvents(true);
        setFlag(ItemIsSelectable);
        setData(0, node.key);
    }

    QRectF boundingRect() const override { return m_rect.adjusted(-2, -2, 2, 2); }

    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        const qreal lod = option->levelOfDetailFromTransform(p->worldTransform());
        const bool emphasis = m_hover || isSelected();
        QPen pen(m_color, emphasis ? 2.6 : 1.4);
        if (m_missing)
            pen.setStyle(Qt::DashLine); // a row Django does not know: no file behind it
        p->setPen(pen);
        p->setBrush(mix(m_base, m_color, emphasis ? 0.38 : 0.22));
        if (m_compact) {
            p->drawEllipse(QRectF(-kDot / 2, -kDot / 2, kDot, kDot));
            if (lod < 0.5)
                return;
            const QFont font = p->font(); // the view does not save painter state between items
            QFont small = font;
            small.setPointSizeF(font.pointSizeF() * 0.75);
            p->setFont(small);
            p->setPen(m_text);
            p->drawText(QRectF(-kSlotW / 2, kDot / 2, kSlotW, 14), Qt::AlignCenter, m_label);
            p->setFont(font);
            return;
        }
        p->drawRoundedRect(m_rect, 6, 6);
        if (lod < 0.35)
            return; // too small to read: colour alone
        p->drawPixmap(QPointF(m_rect.left() + 6, -7), m_icon);
        p->setPen(m_text);
        const QRectF textRect = m_rect.adjusted(25, 0, -6, 0);
        if (m_elided.isEmpty() || m_elidedFont != p->font()) {
            m_elidedFont = p->font();
            m_elided = QFontMetrics(m_elidedFont).elidedText(m_label, Qt::ElideMiddle, int(textRect.width()));
        }
        p->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, m_elided);
    }

    void setEdges(const QList<QGraphicsPathItem *> &edges) { m_edges = edges; }
    void addEdge(QGraphicsPathItem *edge) { m_edges << edge; }

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *) override { setHover(true); }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *) override { setHover(false); }

private:
    // Hovering shows which edges are this node's: they are raised and thickened.
    void setHover(bool on)
    {
        m_hover = on;
        for (QGraphicsPathItem *e : std::as_const(m_edges)) {
            QPen pen = e->pen();
            pen.setWidthF(on ? pen.widthF() * 2 : pen.widthF() / 2);
            e->setPen(pen);
            e->setZValue(on ? 1 : 0);
        }
        update();
    }

    bool m_compact;
    bool m_missing;
    bool m_hover = false;
    QColor m_color;
    QColor m_text;
    QColor m_base;
    QPixmap m_icon;
    QString m_label;
    QRectF m_rect;
    mutable QString m_elided;
    mutable QFont m_elidedFont;
    QList<QGraphicsPathItem *> m_edges;
};

MigrationGraphView::MigrationGraphView(QWidget *parent)
    : QGraphicsView(parent)
    , m_legend(new QLabel(viewport()))
{
    setObjectName(QStringLiteral("migrationGraphView"));
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_legend->setObjectName(QStringLiteral("graphLegend"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setAutoFillBackground(true);
    m_legend->setMargin(6);
    m_legend->setAttribute(Qt::WA_TransparentForMouseEvents);
    updateLegend();
}

MigrationGraphView::~MigrationGraphView() = default;

void MigrationGraphView::clear()
{
    setData(MigrationGraph(), StatusSnapshot());
}

QList<MigrationGraphView::Node> MigrationGraphView::buildNodes(const MigrationGraph &graph, const StatusSnapshot &snapshot,
                                                              QStringList *apps, int loosePerApp, int looseTotal)
{
    QList<Node> nodes;
    QHash<QString, int> index;
    apps->clear();

    QHash<QString, const MigrationRow *> rows; // the rows of graph nodes only: bounded by migrations
    if (!graph.isEmpty()) {
        rows.reserve(graph.nodes().size());
        for (const MigrationRow &r : snapshot.rows) {
            const QString key = r.key();
            if (graph.knows(key) && !rows.contains(key))
                rows.insert(key, &r);
        }
    }
    QSet<QString> inconsistent;
    for (const auto &pair : graph.inconsistentPairs())
        inconsistent.insert(pair.first);

    for (const MigrationNode &n : graph.nodes()) {
        Node node;
        node.key = n.key();
        node.app = n.app;
        node.name = n.name;
        node.dependencies = n.dependencies;
        const MigrationRow *row = rows.value(node.key);
        node.applied = row ? row->applied : QDateTime();
        if (row)
            node.state = row->state;
        else
            node.state = n.applied ? MigrationState::Applied : MigrationState::Pending;
        if (inconsistent.contains(node.key))
            node.state = MigrationState::Inconsistent;
        index.insert(node.key, int(nodes.size()));
        nodes << node;
    }
    // Rows Django does not know (orphans, or everything when the graph is unavailable): one node
    // per key, rows with a file always (they are migrations on disk), the others up to the caps.
    QHash<QString, int> looseOfApp;
    QHash<QString, int> summarised;
    QStringList summarisedApps; // in order of appearance
    int loose = 0;
    for (const MigrationRow &r : snapshot.rows) {
        const QString key = r.key();
        if (index.contains(key) || graph.knows(key))
            continue;
        if (r.file.isEmpty()) {
            int &ofApp = looseOfApp[r.app];
            if (ofApp >= loosePerApp || loose >= looseTotal) {
                if (!summarised.contains(r.app))
                    summarisedApps << r.app;
                ++summarised[r.app];
                continue;
            }
            ++ofApp;
            ++loose;
        }
        Node node;
        node.key = key;
        node.app = r.app;
        node.name = r.name;
        node.state = r.state;
        node.applied = r.applied;
        node.inGraph = graph.isEmpty();
        index.insert(node.key, int(nodes.size()));
        nodes << node;
    }
    for (const QString &app : std::as_const(summarisedApps)) {
        Node node;
        node.app = app;
        node.summarisedRows = summarised.value(app);
        node.name = tr("… %n more row(s)", nullptr, node.summarisedRows);
        node.key = app + QStringLiteral(".…");
        node.state = MigrationState::Orphan;
        node.inGraph = false;
        index.insert(node.key, int(nodes.size()));
        nodes << node;
    }
    for (Node &node : nodes) {
        node.dependencies.erase(std::remove_if(node.dependencies.begin(), node.dependencies.end(),
                                               [&index](const QString &d) { return !index.contains(d); }),
                                node.dependencies.end());
        if (!apps->contains(node.app))
            *apps << node.app;
    }
    return nodes;
}

void MigrationGraphView::setData(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    if (graph.nodes().size() + snapshot.rows.size() <= SynchronousLimit) {
        setDataSynchronously(graph, snapshot);
        return;
    }
    const quint64 id = ++m_jobId;
    m_building = true;
    // Not our child: the view may go while the job runs; the result goes to a QPointer.
    auto *watcher = new QFutureWatcher<BuiltNodes>(QCoreApplication::instance());
    const QPointer<MigrationGraphView> view(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, view, id] {
        watcher->deleteLater();
        if (!view || id != view->m_jobId)
            return; // gone, or a newer setData() superseded this one
        BuiltNodes result = watcher->result();
        view->m_building = false;
        view->showNodes(std::move(result));
    });
    const int perApp = m_loosePerApp, total = m_looseTotal;
    watcher->setFuture(QtConcurrent::run([graph, snapshot, perApp, total] {
        return buildAndLayOut(graph, snapshot, perApp, total);
    }));
}

void MigrationGraphView::setDataSynchronously(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    ++m_jobId; // a running job's result is older than this
    m_building = false;
    showNodes(buildAndLayOut(graph, snapshot, m_loosePerApp, m_looseTotal));
}

// Everything about the nodes that needs no scene: safe on any thread.
MigrationGraphView::BuiltNodes MigrationGraphView::buildAndLayOut(const MigrationGraph &graph,
                                                                  const StatusSnapshot &snapshot, int perApp, int total)
{
    BuiltNodes built;
    built.nodes = buildNodes(graph, snapshot, &built.apps, perApp, total);
    built.layers = graphLayers(built.nodes);
    built.toolTips.reserve(built.nodes.size());
    for (const Node &node : std::as_const(built.nodes))
        built.toolTips << toolTipFor(node);
    return built;
}

// Layer = one below the deepest dependency and below the app's previous migration. The graph's
// plan order is topological, so dependencies have their layer already; orphans (added after the
// graph) go below their app.
QList<int> MigrationGraphView::graphLayers(const QList<Node> &nodes)
{
    QHash<QString, int> index;
    index.reserve(nodes.size());
    for (int i = 0; i < nodes.size(); ++i)
        index.insert(nodes.at(i).key, i);
    QList<int> layer(nodes.size(), 0);
    QHash<QString, int> lastLayerOfApp;
    for (int i = 0; i < nodes.size(); ++i) {
        const Node &node = nodes.at(i);
        int l = lastLayerOfApp.contains(node.app) ? lastLayerOfApp.value(node.app) + 1 : 0;
        for (const QString &d : node.dependencies) {
            const int j = index.value(d, -1);
            if (j >= 0 && j < i)
                l = qMax(l, layer.at(j) + 1);
        }
        layer[i] = l;
        lastLayerOfApp.insert(node.app, l);
    }
    return layer;
}

void MigrationGraphView::setLooseNodeLimits(int perApp, int total)
{
    m_loosePerApp = std::max(0, perApp);
    m_looseTotal = std::max(0, total);
}

void MigrationGraphView::showNodes(BuiltNodes built)
{
    m_nodes = std::move(built.nodes);
    m_apps = std::move(built.apps);
    m_layers = std::move(built.layers);
    m_toolTips = std::move(built.toolTips);
    m_index.clear();
    m_index.reserve(m_nodes.size());
    for (int i = 0; i < m_nodes.size(); ++i)
        m_index.insert(m_nodes.at(i).key, i);
    rebuild();
    emit nodesChanged();
}

void MigrationGraphView::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    rebuild();
}

void MigrationGraphView::rebuild()
{
    QElapsedTimer timer;
    timer.start();
    scene()->clear();
    m_items.clear();
    m_edgeCount = m_crossAppEdges = m_badEdges = 0;
    if (m_mode == Mode::Graph)
        layoutGraph();
    else
        layoutTimeline();
    scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    m_layoutMs = timer.elapsed();
    updateLegend();
}

GraphNodeItem *MigrationGraphView::addNode(int index, const QPointF &center, bool compact)
{
    auto *item = new GraphNodeItem(m_nodes.at(index), compact, palette());
    item->setPos(center);
    item->setZValue(2);
    item->setToolTip(index < m_toolTips.size() ? m_toolTips.at(index) : toolTipFor(m_nodes.at(index)));
    scene()->addItem(item);
    m_items[index] = item;
    return item;
}

void MigrationGraphView::addEdge(int from, int to, bool timeline)
{
    // from: the dependency, to: the dependent.
    GraphNodeItem *a = m_items.at(from);
    GraphNodeItem *b = m_items.at(to);
    if (!a || !b)
        return;
    const Node &dep = m_nodes.at(from);
    const Node &node = m_nodes.at(to);
    const bool cross = dep.app != node.app;
    auto isApplied = [](const Node &x) {
        return x.applied.isValid() || x.state == MigrationState::Applied || x.state == MigrationState::External
            || x.state == MigrationState::Inconsistent || x.state == MigrationState::Orphan;
    };
    // Applied while its dependency is not: the pair Django refuses (InconsistentMigrationHistory).
    const bool bad = isApplied(node) && !isApplied(dep);
    // Applied before its dependency was (fixed since, or recorded by hand): worth seeing on a timeline.
    const bool late = !bad && dep.applied.isValid() && node.applied.isValid() && dep.applied > node.applied;
    if (timeline && !bad && !late && (!cross || m_nodes.size() > 200))
        return; // the timeline shows only what crosses lanes or goes wrong: the rest is clutter

    QPainterPath path;
    if (!timeline) {
        const QPointF p0 = a->pos() + QPointF(0, kNodeH / 2);
        const QPointF p1 = b->pos() - QPointF(0, kNodeH / 2 + 1);
        const qreal dy = qMax<qreal>(18, (p1.y() - p0.y()) / 2);
        path.moveTo(p0);
        path.cubicTo(p0 + QPointF(0, dy), p1 - QPointF(0, dy), p1);
        // A small arrow head into the dependent.
        path.moveTo(p1 + QPointF(-4, -7));
        path.lineTo(p1);
        path.lineTo(p1 + QPointF(4, -7));
    } else {
        const QPointF p0 = a->pos();
        const QPointF p1 = b->pos();
        path.moveTo(p0);
        const qreal bend = (p0.y() == p1.y()) ? -kLaneH * 0.45 : 0;
        path.quadTo(QPointF((p0.x() + p1.x()) / 2, (p0.y() + p1.y()) / 2 + bend), p1);
    }
    QColor color = palette().color(QPalette::Mid);
    qreal width = 1.0;
    Qt::PenStyle style = Qt::SolidLine;
    if (bad) {
        color = MigrationStateStyle::color(MigrationState::Inconsistent, palette());
        width = 2.2;
        style = Qt::DashLine;
        ++m_badEdges;
    } else if (late) {
        color = MigrationStateStyle::color(MigrationState::Pending, palette());
        width = 1.8;
        style = Qt::DashLine;
    } else if (cross) {
        color = palette().color(QPalette::Highlight);
        width = 1.6;
    }
    if (cross)
        ++m_crossAppEdges;
    ++m_edgeCount;
    auto *edge = scene()->addPath(path, QPen(color, width, style, Qt::RoundCap, Qt::RoundJoin));
    edge->setZValue(bad ? 1 : 0);
    a->addEdge(edge);
    b->addEdge(edge);
}

void MigrationGraphView::layoutGraph()
{
    const qsizetype n = m_nodes.size();
    m_items = QList<GraphNodeItem *>(n, nullptr);
    const QList<int> layer = m_layers.size() == n ? m_layers : graphLayers(m_nodes); // laid out off the thread

    const QPalette pal = palette();
    QFont headerFont = font();
    headerFont.setBold(true);
    int maxLayer = 0;
    for (int l : std::as_const(layer))
        maxLayer = qMax(maxLayer, l);
    const qreal height = kHeaderH + (maxLayer + 1) * (kNodeH + kLayerGap);
    for (int c = 0; c < m_apps.size(); ++c) {
        const qreal x = c * (kNodeW + kColumnGap);
        // A faint band per column so an app reads as one column even with gaps.
        if (c % 2 == 0) {
            auto *band = scene()->addRect(QRectF(x - kColumnGap / 2 + 4, 0, kNodeW + kColumnGap - 8, height),
                                          Qt::NoPen, mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.04));
            band->setZValue(-2);
        }
        auto *title = scene()->addSimpleText(m_apps.at(c), headerFont);
        title->setBrush(pal.color(QPalette::Text));
        const QRectF r = title->boundingRect();
        title->setPos(x + (kNodeW - r.width()) / 2, (kHeaderH - r.height()) / 2);
    }
    QHash<QString, int> column;
    for (int c = 0; c < m_apps.size(); ++c)
        column.insert(m_apps.at(c), c);
    for (int i = 0; i < n; ++i) {
        const qreal x = column.value(m_nodes.at(i).app) * (kNodeW + kColumnGap) + kNodeW / 2;
        const qreal y = kHeaderH + layer.at(i) * (kNodeH + kLayerGap) + kNodeH / 2;
        addNode(i, QPointF(x, y), false);
    }
    for (int i = 0; i < n; ++i) {
        for (const QString &d : m_nodes.at(i).dependencies)
            addEdge(m_index.value(d), i, false);
    }
}

void MigrationGraphView::layoutTimeline()
{
    const qsizetype n = m_nodes.size();
    m_items = QList<GraphNodeItem *>(n, nullptr);
    QHash<QString, int> lane;
    for (int c = 0; c < m_apps.size(); ++c)
        lane.insert(m_apps.at(c), c);
    const QPalette pal = palette();
    QFont labelFont = font();
    labelFont.setBold(true);
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);

    // Applied migrations in the order they were applied; each gets its own slot so that a whole
    // `migrate` run (often within one second) stays readable. Runs further apart than
    // kSessionGapSecs are separated by a gap and labelled on the axis.
    QList<int> applied;
    QList<int> unapplied;
    for (int i = 0; i < n; ++i)
        (m_nodes.at(i).applied.isValid() ? applied : unapplied) << i;
    std::stable_sort(applied.begin(), applied.end(),
                     [this](int a, int b) { return m_nodes.at(a).applied < m_nodes.at(b).applied; });

    const qreal laneTop = kAxisH;
    qreal x = kLaneLabelW + kSlotW / 2;
    QDateTime previous;
    qreal labelsRight = 0; // the unapplied section starts after the last axis label
    auto axisLabel = [&](const QString &text, qreal at) {
        auto *tick = scene()->addLine(at, kAxisH - 10, at, kAxisH - 2, QPen(pal.color(QPalette::Text), 1));
        tick->setZValue(1);
        auto *label = scene()->addSimpleText(text, axisFont);
        label->setBrush(pal.color(QPalette::Text));
        label->setPos(at - 2, 4);
        labelsRight = qMax(labelsRight, at - 2 + label->boundingRect().width());
    };
    for (int i : std::as_const(applied)) {
        const QDateTime t = m_nodes.at(i).applied;
        if (!previous.isValid() || previous.secsTo(t) > kSessionGapSecs) {
            if (previous.isValid())
                x += kSlotW * 2; // the gap between two runs
            axisLabel(when(t), x);
        }
        previous = t;
        addNode(i, QPointF(x, laneTop + lane.value(m_nodes.at(i).app) * kLaneH + kLaneH / 2 - 6), true);
        x += kSlotW;
    }
    const qreal axisEnd = x;
    if (!unapplied.isEmpty()) {
        x = qMax(x + kSlotW * 2, labelsRight + kSlotW * 1.5);
        auto *sep = scene()->addLine(x - kSlotW, 0, x - kSlotW, laneTop + m_apps.size() * kLaneH,
                                     QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        sep->setZValue(-1);
        auto *label = scene()->addSimpleText(tr("Not applied"), labelFont);
        label->setBrush(pal.color(QPalette::Text));
        label->setPos(x - kSlotW / 2, 4);
        // Per lane, in plan order.
        QHash<QString, qreal> laneX;
        for (int i : std::as_const(unapplied)) {
            const Node &node = m_nodes.at(i);
            const qreal at = laneX.value(node.app, x);
            addNode(i, QPointF(at, laneTop + lane.value(node.app) * kLaneH + kLaneH / 2 - 6), true);
            laneX.insert(node.app, at + kSlotW);
        }
        for (qreal v : std::as_const(laneX))
            x = qMax(x, v);
    }
    const qreal right = qMax(x, axisEnd) + kSlotW / 2;
    scene()->addLine(kLaneLabelW, kAxisH - 2, axisEnd, kAxisH - 2, QPen(pal.color(QPalette::Text), 1));
    for (int c = 0; c < m_apps.size(); ++c) {
        const qreal top = laneTop + c * kLaneH;
        if (c % 2 == 0) {
            auto *band = scene()->addRect(QRectF(0, top, right, kLaneH), Qt::NoPen,
                                          mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.04));
            band->setZValue(-2);
        }
        auto *title = scene()->addSimpleText(m_apps.at(c), labelFont);
        title->setBrush(pal.color(QPalette::Text));
        title->setPos(6, top + (kLaneH - title->boundingRect().height()) / 2 - 6);
    }
    for (int i = 0; i < n; ++i) {
        for (const QString &d : m_nodes.at(i).dependencies)
            addEdge(m_index.value(d), i, true);
    }
}

QString MigrationGraphView::toolTipFor(const Node &node)
{
    if (node.summarisedRows > 0)
        return tr("<b>%1</b><br>%n more django_migrations row(s) of this app without a migration file, not drawn "
                  "one by one; the status table lists them all.", nullptr, node.summarisedRows)
            .arg(node.app.toHtmlEscaped());
    QString tip = QStringLiteral("<b>%1</b><br>%2").arg(node.key.toHtmlEscaped(), MigrationStateStyle::label(node.state));
    if (node.applied.isValid())
        tip += tr("<br>Applied %1").arg(when(node.applied));
    else
        tip += tr("<br>Not applied");
    if (!node.inGraph)
        tip += tr("<br><i>Django does not know this migration (no file).</i>");
    if (!node.dependencies.isEmpty()) {
        QStringList deps = node.dependencies.mid(0, 8);
        if (node.dependencies.size() > 8)
            deps << tr("… %1 more").arg(node.dependencies.size() - 8);
        tip += tr("<br>Depends on: %1").arg(deps.join(QStringLiteral(", ")).toHtmlEscaped());
    }
    return tip;
}

QPointF MigrationGraphView::nodePosition(const QString &key) const
{
    const int i = m_index.value(key, -1);
    return i >= 0 && i < m_items.size() && m_items.at(i) ? m_items.at(i)->pos() : QPointF();
}

QString MigrationGraphView::nodeToolTip(const QString &key) const
{
    const int i = m_index.value(key, -1);
    return i >= 0 && i < m_items.size() && m_items.at(i) ? m_items.at(i)->toolTip() : QString();
}

qreal MigrationGraphView::zoom() const
{
    return transform().m11();
}

void MigrationGraphView::setZoom(qreal factor)
{
    factor = qBound(kMinZoom, factor, kMaxZoom);
    const qreal current = zoom();
    if (qFuzzyCompare(current, factor))
        return;
    scale(factor / current, factor / current);
    emit zoomChanged(factor);
}

void MigrationGraphView::zoomIn() { setZoom(zoom() * 1.25); }
void MigrationGraphView::zoomOut() { setZoom(zoom() / 1.25); }
void MigrationGraphView::resetZoom() { setZoom(1.0); }

void MigrationGraphView::fitAll()
{
    if (scene()->items().isEmpty())
        return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        resetTransform(); // never blow a small graph up beyond its natural size
    else if (zoom() < kMinZoom)
        setZoom(kMinZoom);
    emit zoomChanged(zoom());
}

void MigrationGraphView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const qreal steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        setZoom(zoom() * std::pow(1.15, steps));
    event->accept();
}

void MigrationGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (QGraphicsItem *item = itemAt(event->position().toPoint())) {
        const QString key = item->data(0).toString();
        if (!key.isEmpty()) {
            emit migrationActivated(key);
            return;
        }
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void MigrationGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeLegend();
}

void MigrationGraphView::placeLegend()
{
    // Bottom right: the top holds the column headers and the time axis.
    m_legend->adjustSize();
    m_legend->move(viewport()->width() - m_legend->width() - 8, viewport()->height() - m_legend->height() - 8);
}

void MigrationGraphView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild(); // colours are baked into the items
}

void MigrationGraphView::updateLegend()
{
    const QPalette pal = palette();
    auto swatch = [&](const QColor &c, const QString &text) {
        return QStringLiteral("<span style='color:%1'>■</span>&nbsp;%2").arg(c.name(), text.toHtmlEscaped());
    };
    QStringList parts;
    for (MigrationState s : {MigrationState::Applied, MigrationState::Pending, MigrationState::Orphan,
                             MigrationState::External, MigrationState::Inconsistent})
        parts << swatch(MigrationStateStyle::color(s, pal), MigrationStateStyle::label(s));
    QString html = parts.join(QStringLiteral("&nbsp;&nbsp;"));
    html += QStringLiteral("<br>") + swatch(pal.color(QPalette::Highlight), tr("cross-app dependency"))
        + QStringLiteral("&nbsp;&nbsp;")
        + swatch(MigrationStateStyle::color(MigrationState::Inconsistent, pal), tr("applied before its dependency"));
    if (m_mode == Mode::Timeline)
        html += QStringLiteral("&nbsp;&nbsp;") + swatch(MigrationStateStyle::color(MigrationState::Pending, pal), tr("applied before its dependency was"))
            + tr("<br>Left to right in the order they were applied; gaps separate runs.");
    m_legend->setText(html);
    placeLegend();
}
