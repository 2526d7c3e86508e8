#include "migrationgraphview.h"

#include "migrationactions.h"
#include "migrationstatestyle.h"
#include "provenancetext.h"

#include <QSvgGenerator>

#include <QContextMenuEvent>
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
#include <QMenu>
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
constexpr qreal kSubtitleH = 14;       // an orphan's provenance line under its box
constexpr qreal kGutterGap = 40;       // between the graph and the "no file" gutter
// The compact lane view: narrow boxes labelled with the migration's number.
constexpr qreal kCompactW = 64;
constexpr qreal kCompactH = 20;
constexpr qreal kCompactColumnGap = 18;
constexpr qreal kCompactLayerGap = 8;
// The overview's largest size.
constexpr int kOverviewW = 200;
constexpr int kOverviewH = 150;
// Timeline geometry.
constexpr qreal kDot = 16;
constexpr qreal kSlotW = 34;
constexpr qreal kLaneH = 46;
constexpr qreal kLaneLabelW = 150;
constexpr qreal kAxisH = 46;
constexpr qint64 kBatchGapSecs = 5; // applied further apart than this: another `migrate` run

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

// The 14 px state icon of a node box: scaled once per state and theme, not once per node.
QPixmap stateIcon(MigrationState state, const QPalette &palette)
{
    static QHash<QPair<int, QRgb>, QPixmap> cache;
    const QPair<int, QRgb> key(int(state), palette.color(QPalette::Base).rgb());
    auto it = cache.constFind(key);
    if (it == cache.constEnd())
        it = cache.insert(key, MigrationStateStyle::icon(state, palette).pixmap(14, 14));
    return *it;
}

// A dependency edge. QGraphicsPathItem's bounding rectangle strokes the path (its shape) for
// every edge when the scene indexes it; the control points and the pen's width bound it as well
// at a fraction of the cost. The stroked shape is computed only for hit tests, once.
class GraphEdgeItem : public QGraphicsPathItem
{
public:
    GraphEdgeItem(const QPainterPath &path, const QPen &pen)
        : QGraphicsPathItem(path)
    {
        setPen(pen);
        setFlag(ItemIsSelectable, false);
        m_bounds = path.controlPointRect();
        updateMargin();
    }
    QRectF boundingRect() const override { return m_bounds.adjusted(-m_margin, -m_margin, m_margin, m_margin); }
    QPainterPath shape() const override
    {
        if (m_shape.isEmpty()) {
            QPainterPathStroker stroker;
            stroker.setWidth(qMax<qreal>(pen().widthF(), 4)); // a thin edge is still easy to point at
            m_shape = stroker.createStroke(path());
        }
        return m_shape;
    }
    void setPenWidth(qreal width)
    {
        QPen p = pen();
        p.setWidthF(width);
        prepareGeometryChange();
        setPen(p);
        updateMargin();
    }

private:
    void updateMargin() { m_margin = pen().widthF() / 2 + 1; }
    QRectF m_bounds;
    qreal m_margin = 1;
    mutable QPainterPath m_shape;
};

} // namespace

// One migration: a rounded box (graph) or a dot with its number (timeline). Painting is cheap
// and skips text when the zoom makes it unreadable anyway.
class GraphNodeItem : public QGraphicsItem
{
public:
    GraphNodeItem(const MigrationGraphView::Node &node, bool compact, const QPalette &palette, qreal width = kNodeW,
                  bool withApp = false, bool small = false)
        : m_compact(compact)
        , m_small(small && !compact)
        , m_missing(!node.inGraph)
        , m_pending(node.state == MigrationState::Pending)
        , m_outOfOrder(node.outOfOrder)
        , m_color(MigrationStateStyle::color(node.state, palette))
        , m_text(palette.color(QPalette::Text))
        , m_base(palette.color(QPalette::Base))
        , m_icon(stateIcon(node.state, palette))
    {
        m_label = compact ? node.name.left(4) : withApp && node.summarisedRows == 0 ? node.app + QLatin1Char('.') + node.name : node.name;
        if (m_compact)
            m_rect = QRectF(-kSlotW / 2, -kDot / 2, kSlotW, kDot + 14);
        else if (m_small)
            m_rect = QRectF(-width / 2, -kCompactH / 2, width, kCompactH);
        else
            m_rect = QRectF(-width / 2, -kNodeH / 2, width, kNodeH);
        if (m_small) // the number ("0003"), with the app's first letters in the folded Django lane
            m_label = compactLabel(node, withApp);
        // A row without a file says where its file went, under the box.
        if (!compact && !m_small && node.state == MigrationState::Orphan && node.summarisedRows == 0 && !node.git.isEmpty())
            m_subtitle = ProvenanceText::oneLine(node.git, false);
        setAcceptHoverEvents(true);
        setFlag(ItemIsSelectable);
        setData(0, node.key);
    }

    QRectF boundingRect() const override
    {
        return m_rect.adjusted(-2, -2, 2, m_subtitle.isEmpty() ? 2 : kSubtitleH + 2);
    }

    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        const qreal lod = option->levelOfDetailFromTransform(p->worldTransform());
        const bool emphasis = m_hover || isSelected();
        QPen pen(m_color, emphasis ? 2.6 : 1.4);
        if (m_missing)
            pen.setStyle(Qt::DashLine); // a row Django does not know: no file behind it
        if (m_pending && !emphasis)
            pen.setWidthF(2.0); // not applied: outlined, not filled
        p->setPen(pen);
        p->setBrush(m_pending ? (emphasis ? mix(m_base, m_color, 0.18) : m_base) : mix(m_base, m_color, emphasis ? 0.38 : 0.22));
        if (m_compact) {
            p->drawEllipse(QRectF(-kDot / 2, -kDot / 2, kDot, kDot));
            if (m_outOfOrder) { // applied before one of its dependencies was: a ring in the warning colour
                p->setBrush(Qt::NoBrush);
                p->setPen(QPen(MigrationStateStyle::color(MigrationState::Pending, QPalette()), 2.2, Qt::DotLine));
                p->drawEllipse(QRectF(-kDot / 2 - 4, -kDot / 2 - 4, kDot + 8, kDot + 8));
            }
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
        p->drawRoundedRect(m_rect, m_small ? 4 : 6, m_small ? 4 : 6);
        if (m_small) {
            if (lod < MigrationGraphView::CompactLabelZoom * 0.8)
                return;
            p->setPen(m_text);
            p->drawText(m_rect, Qt::AlignCenter, m_label);
            return;
        }
        if (lod < 0.35)
            return; // too small to read: colour alone
        p->drawPixmap(QPointF(m_rect.left() + 6, -7), m_icon);
        p->setPen(m_text);
        const QRectF textRect = m_rect.adjusted(25, 0, -6, 0);
        // The box fits the longest name: full text from 75 % zoom; elided in the middle below.
        const bool full = lod >= 0.75;
        if (m_elided.isEmpty() || m_elidedFont != p->font() || m_elidedFull != full) {
            m_elidedFont = p->font();
            m_elidedFull = full;
            m_elided = full ? m_label : QFontMetrics(m_elidedFont).elidedText(m_label, Qt::ElideMiddle, int(textRect.width() * 0.8));
        }
        p->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, m_elided);
        if (!m_subtitle.isEmpty() && lod >= 0.6) {
            const QFont font = p->font();
            QFont small = font;
            small.setPointSizeF(font.pointSizeF() * 0.8);
            p->setFont(small);
            p->setPen(m_color);
            const QRectF sub(m_rect.left(), m_rect.bottom() + 1, m_rect.width(), kSubtitleH);
            if (m_subtitleElided.isEmpty())
                m_subtitleElided = QFontMetrics(small).elidedText(m_subtitle, Qt::ElideRight, int(sub.width()));
            p->drawText(sub, Qt::AlignLeft | Qt::AlignVCenter, m_subtitleElided);
            p->setFont(font);
        }
    }

    void setEdges(const QList<GraphEdgeItem *> &edges) { m_edges = edges; }
    QString label() const { return m_label; }

    static QString compactLabel(const MigrationGraphView::Node &node, bool withApp)
    {
        if (node.summarisedRows > 0)
            return QStringLiteral("… %1").arg(node.summarisedRows);
        QString number = node.name.section(QLatin1Char('_'), 0, 0);
        if (number.isEmpty() || number.size() > 5)
            number = node.name.left(5);
        return withApp ? node.app.left(2) + QLatin1Char('.') + number : number;
    }
    void addEdge(GraphEdgeItem *edge) { m_edges << edge; }

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *) override { setHover(true); }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *) override { setHover(false); }

private:
    // Hovering shows which edges are this node's: they are raised and thickened.
    void setHover(bool on)
    {
        m_hover = on;
        for (GraphEdgeItem *e : std::as_const(m_edges)) {
            e->setPenWidth(on ? e->pen().widthF() * 2 : e->pen().widthF() / 2);
            e->setZValue(on ? 1 : 0);
        }
        update();
    }

    bool m_compact;
    bool m_small;
    bool m_missing;
    bool m_pending;
    bool m_outOfOrder;
    bool m_hover = false;
    QColor m_color;
    QColor m_text;
    QColor m_base;
    QPixmap m_icon;
    QString m_label;
    QString m_subtitle;
    mutable QString m_subtitleElided;
    QRectF m_rect;
    mutable bool m_elidedFull = true;
    mutable QString m_elided;
    mutable QFont m_elidedFont;
    QList<GraphEdgeItem *> m_edges;
};

// The whole graph small in the view's corner, with the visible part framed: shown while the
// graph is larger than the view. The picture (a dot per node in its state's colour, at its
// place: the scene's own rendering of thousands of items would cost more than the view's paint)
// is drawn once per layout on its first paint; the frame follows scrolling and zoom; a click or
// a drag centres the view there.
class GraphOverview : public QWidget
{
public:
    explicit GraphOverview(MigrationGraphView *view)
        : QWidget(view)
        , m_view(view)
    {
        setObjectName(QStringLiteral("graphOverview"));
        setCursor(Qt::PointingHandCursor);
        setToolTip(QCoreApplication::translate("MigrationGraphView", "The whole graph: click or drag to move there"));
        hide();
    }

    // Drawn again for a new layout or another largest size (a third of the view at most).
    void invalidate(const QSize &largest)
    {
        m_largest = largest;
        m_picture = QPixmap();
        const QRectF scene = m_view->scene()->sceneRect();
        if (scene.isEmpty() || largest.isEmpty())
            return;
        const qreal scale = qMin(largest.width() / scene.width(), largest.height() / scene.height());
        m_scale = scale;
        resize(qMax(24, qCeil(scene.width() * scale)) + 2, qMax(24, qCeil(scene.height() * scale)) + 2);
        update();
    }
    QSize largest() const { return m_largest; }

    // Scene point under an overview position (tests drive it).
    QPointF toScene(const QPointF &at) const
    {
        const QRectF scene = m_view->scene()->sceneRect();
        return scene.topLeft() + (at - QPointF(1, 1)) / m_scale;
    }
    QRectF frameRect() const
    {
        const QRectF scene = m_view->scene()->sceneRect();
        const QRectF visible = m_view->visibleSceneRect();
        return QRectF(QPointF(1, 1) + (visible.topLeft() - scene.topLeft()) * m_scale, visible.size() * m_scale);
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        if (m_picture.isNull() && m_scale > 0) {
            const QRectF scene = m_view->scene()->sceneRect();
            m_picture = QPixmap((scene.size() * m_scale).toSize().expandedTo(QSize(1, 1)));
            m_picture.fill(palette().color(QPalette::Base));
            QPainter p(&m_picture);
            const QSizeF dot = QSizeF(m_view->nodeSize() * m_scale).expandedTo(QSizeF(2, 2));
            for (const MigrationGraphView::Node &node : m_view->nodes()) {
                const QPointF at = m_view->nodePosition(node.key);
                if (at.isNull())
                    continue;
                const QPointF c = (at - scene.topLeft()) * m_scale;
                p.fillRect(QRectF(c - QPointF(dot.width() / 2, dot.height() / 2), dot),
                           MigrationStateStyle::color(node.state, palette()));
            }
        }
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base));
        p.drawPixmap(1, 1, m_picture);
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.drawRect(rect().adjusted(0, 0, -1, -1));
        const QColor hl = palette().color(QPalette::Highlight);
        QColor fill = hl;
        fill.setAlphaF(0.15f);
        p.setPen(QPen(hl, 1.5));
        p.setBrush(fill);
        p.drawRect(frameRect().intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
    }
    void mousePressEvent(QMouseEvent *event) override { moveTo(event->position()); }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (event->buttons() & Qt::LeftButton)
            moveTo(event->position());
    }

private:
    void moveTo(const QPointF &at)
    {
        m_view->centerOn(toScene(at));
        update();
    }

    MigrationGraphView *m_view;
    QPixmap m_picture;
    qreal m_scale = 0;
    QSize m_largest;
};

MigrationGraphView::MigrationGraphView(QWidget *parent)
    : QGraphicsView(parent)
    , m_legend(new QLabel(viewport()))
    , m_overview(new GraphOverview(this))
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
    m_legend->setWordWrap(true);
    m_legend->hide(); // shown by whoever docks it outside the canvas (GraphPanel)
    updateLegend();
    connect(scene(), &QGraphicsScene::selectionChanged, this, [this] {
        if (m_selecting)
            return;
        const QString key = selectedMigration();
        if (!key.isEmpty())
            emit migrationSelected(key);
    });
}

QWidget *MigrationGraphView::legend() const
{
    return m_legend;
}

MigrationGraphView::~MigrationGraphView()
{
    // The scene is our child and is deleted later, in ~QObject: its last selectionChanged must
    // not reach a view that is no longer a MigrationGraphView.
    if (QGraphicsScene *s = scene())
        s->disconnect(this);
}

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
        if (row) {
            node.state = row->state;
            node.hasFile = !row->file.isEmpty();
            node.outOfOrder = row->outOfOrder;
        } else {
            node.state = n.applied ? MigrationState::Applied : MigrationState::Pending;
        }
        node.git = snapshot.provenance.value(node.key);
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
    // Rows of apps outside the project that no migration names: one node per app ("auth · 12
    // applied"), so Django's own apps do not take half the canvas. Only with a graph: without one
    // every row is drawn as it is.
    QHash<QString, int> externalOfApp;
    QHash<QString, QDateTime> externalLast;
    QStringList externalApps;
    for (const MigrationRow &r : snapshot.rows) {
        const QString key = r.key();
        if (index.contains(key) || graph.knows(key))
            continue;
        if (!graph.isEmpty() && r.state == MigrationState::External && r.file.isEmpty()) {
            if (!externalOfApp.contains(r.app))
                externalApps << r.app;
            ++externalOfApp[r.app];
            if (r.applied > externalLast.value(r.app))
                externalLast.insert(r.app, r.applied);
            continue;
        }
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
        node.hasFile = !r.file.isEmpty();
        node.outOfOrder = r.outOfOrder;
        node.git = snapshot.provenance.value(key);
        index.insert(node.key, int(nodes.size()));
        nodes << node;
    }
    for (const QString &app : std::as_const(externalApps)) {
        Node node;
        node.app = app;
        node.summarisedRows = externalOfApp.value(app);
        node.name = tr("%1 · %n applied", nullptr, node.summarisedRows).arg(app);
        node.key = app + QStringLiteral(".…applied");
        node.state = MigrationState::External;
        node.applied = externalLast.value(app);
        node.hasFile = false;
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
    struct Result
    {
        QList<Node> nodes;
        QStringList apps;
        Layout layout;
        bool fold = true;
    };
    auto *watcher = new QFutureWatcher<Result>(QCoreApplication::instance());
    const QPointer<MigrationGraphView> view(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, view, id] {
        watcher->deleteLater();
        if (!view || id != view->m_jobId)
            return; // gone, or a newer setData() superseded this one
        Result result = watcher->result();
        view->m_building = false;
        const bool refold = result.fold != view->m_foldDjango; // toggled while this ran
        view->showNodes(std::move(result.nodes), std::move(result.apps), std::move(result.layout));
        if (refold)
            view->relayout();
    });
    const int perApp = m_loosePerApp, total = m_looseTotal;
    const bool fold = m_foldDjango;
    watcher->setFuture(QtConcurrent::run([graph, snapshot, perApp, total, fold] {
        Result r;
        r.nodes = buildNodes(graph, snapshot, &r.apps, perApp, total);
        r.layout = computeLayout(r.nodes, r.apps, fold);
        r.fold = fold;
        return r;
    }));
}

void MigrationGraphView::relayout()
{
    if (m_building)
        return; // the running job's result is laid out for the current folding when it arrives
    if (m_nodes.size() <= SynchronousLimit) {
        m_layout = computeLayout(m_nodes, m_apps, m_foldDjango);
        rebuild();
        emit nodesChanged();
        return;
    }
    const quint64 id = ++m_jobId;
    m_building = true;
    auto *watcher = new QFutureWatcher<Layout>(QCoreApplication::instance());
    const QPointer<MigrationGraphView> view(this);
    const bool fold = m_foldDjango;
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, view, id, fold] {
        watcher->deleteLater();
        if (!view || id != view->m_jobId)
            return;
        view->m_building = false;
        view->m_layout = watcher->result();
        view->rebuild();
        emit view->nodesChanged();
        if (fold != view->m_foldDjango) // toggled again while this ran
            view->relayout();
    });
    watcher->setFuture(QtConcurrent::run([nodes = m_nodes, apps = m_apps, fold = m_foldDjango] {
        return computeLayout(nodes, apps, fold);
    }));
}

void MigrationGraphView::setDataSynchronously(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    ++m_jobId; // a running job's result is older than this
    m_building = false;
    QStringList apps;
    QList<Node> nodes = buildNodes(graph, snapshot, &apps, m_loosePerApp, m_looseTotal);
    Layout layout = computeLayout(nodes, apps, m_foldDjango);
    showNodes(std::move(nodes), std::move(apps), std::move(layout));
}

void MigrationGraphView::setLooseNodeLimits(int perApp, int total)
{
    m_loosePerApp = std::max(0, perApp);
    m_looseTotal = std::max(0, total);
}

void MigrationGraphView::showNodes(QList<Node> nodes, QStringList apps, Layout layout)
{
    m_nodes = std::move(nodes);
    m_apps = std::move(apps);
    m_index.clear();
    m_index.reserve(m_nodes.size());
    for (int i = 0; i < m_nodes.size(); ++i)
        m_index.insert(m_nodes.at(i).key, i);
    m_layout = std::move(layout);
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
    const QString selected = selectedMigration(); // kept across the new layout
    scene()->clear();
    m_items.clear();
    m_batches.clear();
    m_edgeCount = m_crossAppEdges = m_badEdges = 0;
    // Boxes as wide as the longest name, so a label is whole at zoom 1.
    if (m_mode == Mode::Graph && m_compactLanes) {
        m_nodeW = kCompactW;
        m_nodeH = kCompactH;
    } else {
        // Shaping every name costs more than making the items: the widest is among the longest.
        QList<std::pair<qsizetype, int>> lengths; // label length, node
        lengths.reserve(m_nodes.size());
        for (int i = 0; i < m_nodes.size(); ++i) {
            const Node &n = m_nodes.at(i);
            lengths.append({(isDjangoApp(n.app) && m_foldDjango ? n.key : n.name).size(), i});
        }
        const qsizetype measured = qMin<qsizetype>(lengths.size(), 24);
        std::partial_sort(lengths.begin(), lengths.begin() + measured, lengths.end(),
                          [](const auto &a, const auto &b) { return a.first > b.first; });
        const QFontMetricsF fm(font());
        qreal widest = 0;
        for (qsizetype k = 0; k < measured; ++k) {
            const Node &n = m_nodes.at(lengths.at(k).second);
            widest = qMax(widest, fm.horizontalAdvance(isDjangoApp(n.app) && m_foldDjango ? n.key : n.name));
        }
        m_nodeW = qBound<qreal>(kNodeW, widest + 40, 380);
        m_nodeH = kNodeH;
    }
    if (m_mode == Mode::Graph)
        layoutGraph();
    else
        layoutTimeline();
    scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    m_layoutMs = timer.elapsed();
    if (const int i = m_index.value(selected, -1); i >= 0 && i < m_items.size() && m_items.at(i)) {
        m_selecting = true;
        m_items.at(i)->setSelected(true);
        m_selecting = false;
    }
    updateLegend();
    m_overview->invalidate(m_overview->largest());
    updateOverview();
}

GraphNodeItem *MigrationGraphView::addNode(int index, const QPointF &center, bool compact)
{
    // In the folded Django lane the app is part of the label: "auth.0001_initial".
    const bool folded = m_layout.lanes.value(m_layout.laneOfApp.value(m_nodes.at(index).app)) == djangoLaneName();
    auto *item = new GraphNodeItem(m_nodes.at(index), compact, palette(), m_nodeW, folded,
                                   m_mode == Mode::Graph && m_compactLanes);
    item->setPos(center);
    item->setZValue(2);
    item->setToolTip(m_layout.toolTips.value(index));
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
        const QPointF p0 = a->pos() + QPointF(0, m_nodeH / 2);
        const QPointF p1 = b->pos() - QPointF(0, m_nodeH / 2 + 1);
        const qreal dy = qMax<qreal>(18, (p1.y() - p0.y()) / 2);
        path.moveTo(p0);
        path.cubicTo(p0 + QPointF(0, dy), p1 - QPointF(0, dy), p1);
        if (bad) {
            // From the applied migration to the dependency it needs: the head at the dependency.
            path.moveTo(p0 + QPointF(-5, 8));
            path.lineTo(p0);
            path.lineTo(p0 + QPointF(5, 8));
        } else {
            // A small arrow head into the dependent.
            path.moveTo(p1 + QPointF(-4, -7));
            path.lineTo(p1);
            path.lineTo(p1 + QPointF(4, -7));
        }
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
        width = 2.6;
        ++m_badEdges;
    } else if (late) {
        color = MigrationStateStyle::color(MigrationState::Pending, palette());
        width = 1.8;
        style = Qt::DashLine;
    } else if (cross) {
        color = palette().color(QPalette::Highlight);
        // Told apart by colour, not width: a pen wider than 1 px is stroked into a polygon on
        // every paint, and long cross-app edges cross most views (panning 3,000 migrations took
        // 36–56 ms a step at 1.6 px, 8–10 ms at 1 px).
        width = 1.0;
    }
    if (cross)
        ++m_crossAppEdges;
    ++m_edgeCount;
    auto *edge = new GraphEdgeItem(path, QPen(color, width, style, Qt::RoundCap, Qt::RoundJoin));
    scene()->addItem(edge);
    edge->setZValue(bad ? 1 : 0);
    if (bad && !timeline)
        addInconsistentLabel(path, (a->pos() + b->pos()) / 2);
    a->addEdge(edge);
    b->addEdge(edge);
}

void MigrationGraphView::layoutGraph()
{
    const qsizetype n = m_nodes.size();
    m_items = QList<GraphNodeItem *>(n, nullptr);
    auto inGutter = [](const Node &node) { return node.state == MigrationState::Orphan; };
    const QList<int> &layer = m_layout.layer;
    const int maxLayer = m_layout.maxLayer;
    const int gutterRows = m_layout.gutterRows;

    const bool small = m_compactLanes;
    const qreal columnGap = small ? kCompactColumnGap : kColumnGap;
    const qreal layerGap = small ? kCompactLayerGap : kLayerGap;
    const QPalette pal = palette();
    QFont headerFont = font();
    headerFont.setBold(true);
    const qreal columnW = m_nodeW + columnGap;
    const qreal gutterTop = kHeaderH + (maxLayer + 1) * (m_nodeH + layerGap) + (gutterRows > 0 ? kGutterGap : 0);
    const qreal gutterRowH = m_nodeH + (small ? 0 : kSubtitleH) + layerGap;
    const qreal height = gutterTop + gutterRows * gutterRowH;
    for (int c = 0; c < m_layout.lanes.size(); ++c) {
        const qreal x = c * columnW;
        // A faint band per column so a lane reads as one column even with gaps.
        if (c % 2 == 0) {
            auto *band = scene()->addRect(QRectF(x - columnGap / 2 + 2, 0, columnW - 4, height),
                                          Qt::NoPen, mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.04));
            band->setZValue(-2);
        }
        QString title = m_layout.lanes.at(c);
        if (title == djangoLaneName()) {
            QStringList folded;
            for (const QString &app : std::as_const(m_apps)) {
                if (m_layout.laneOfApp.value(app) == c)
                    folded << app;
            }
            title = tr("Django: %1").arg(folded.join(QStringLiteral(", ")));
        }
        const int titleW = int(small ? columnW - 4 : m_nodeW);
        auto *header = scene()->addSimpleText(QFontMetrics(headerFont).elidedText(title, Qt::ElideRight, titleW), headerFont);
        header->setBrush(pal.color(QPalette::Text));
        header->setToolTip(title);
        const QRectF r = header->boundingRect();
        header->setPos(x + (m_nodeW - r.width()) / 2, (kHeaderH - r.height()) / 2);
    }
    if (gutterRows > 0)
        drawOrphanGutter(gutterTop, m_layout.lanes.size() * columnW - columnGap);
    for (int i = 0; i < n; ++i) {
        const Node &node = m_nodes.at(i);
        const qreal x = m_layout.laneOfApp.value(node.app) * columnW + m_nodeW / 2;
        const qreal y = inGutter(node) ? gutterTop + layer.at(i) * gutterRowH + m_nodeH / 2
                                       : kHeaderH + layer.at(i) * (m_nodeH + layerGap) + m_nodeH / 2;
        addNode(i, QPointF(x, y), false);
    }
    for (int i = 0; i < n; ++i) {
        for (const QString &d : m_nodes.at(i).dependencies)
            addEdge(m_index.value(d), i, false);
    }
}

// A band per batch behind its slots, its start time and count on the axis (a second row when
// the first is taken), and the pause to the next batch. Returns the right end of the labels.
qreal MigrationGraphView::drawBatches(qreal bottom)
{
    const QPalette pal = palette();
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);
    QFont gapFont = axisFont;
    gapFont.setItalic(true);
    const QColor band = mix(pal.color(QPalette::Base), pal.color(QPalette::Highlight), 0.12);
    qreal rowRight[2] = {0, 0};
    QDate lastDate;
    for (const Batch &b : std::as_const(m_batches)) {
        const QRectF r(b.startX - kSlotW / 2 + 2, kAxisH - 2, b.endX - b.startX + kSlotW - 4, bottom - kAxisH + 2);
        auto *rect = scene()->addRect(r, QPen(mix(band, pal.color(QPalette::Highlight), 0.4), 1), band);
        rect->setZValue(-1.5);
        rect->setData(1, QStringLiteral("batch"));
        rect->setToolTip(tr("One migrate run: %n migration(s) applied %1 – %2 (double-click to zoom)", nullptr, b.count)
                             .arg(when(b.start), when(b.end).right(8)));
        auto *tick = scene()->addLine(b.startX, kAxisH - 8, b.startX, kAxisH - 2, QPen(pal.color(QPalette::Text), 1));
        tick->setZValue(1);
        const QDate date = b.start.toLocalTime().date();
        const QString time = date != lastDate ? when(b.start) : QLocale().toString(b.start.toLocalTime().time(), QStringLiteral("HH:mm:ss"));
        lastDate = date;
        const QString text = tr("%1 · %n", nullptr, b.count).arg(time);
        const qreal w = QFontMetricsF(axisFont).horizontalAdvance(text);
        const qreal at = b.startX - kSlotW / 2 + 2;
        const int row = at >= rowRight[0] + 6 ? 0 : at >= rowRight[1] + 6 ? 1 : -1;
        if (row >= 0) { // no room on either row: the band's tooltip has it
            auto *label = scene()->addSimpleText(text, axisFont);
            label->setBrush(pal.color(QPalette::Text));
            label->setPos(at, 2 + row * 15);
            rowRight[row] = at + w;
        }
        if (b.pauseAfterSecs > 0) {
            const qint64 p = b.pauseAfterSecs;
            const QString pause = p < 120 ? tr("+%1 s").arg(p) : p < 7200 ? tr("+%1 min").arg(p / 60)
                                : p < 172800 ? tr("+%1 h").arg(p / 3600) : tr("+%1 days").arg(p / 86400);
            auto *gap = scene()->addSimpleText(pause, gapFont);
            gap->setBrush(pal.color(QPalette::PlaceholderText));
            gap->setPos(b.endX + kSlotW / 2 + 2, bottom + 2);
        }
    }
    return qMax(rowRight[0], rowRight[1]);
}

// The band under the graph that holds rows without a file, with its title.
void MigrationGraphView::drawOrphanGutter(qreal top, qreal width)
{
    const QPalette pal = palette();
    const QColor orphan = MigrationStateStyle::color(MigrationState::Orphan, pal);
    auto *line = scene()->addLine(-kColumnGap / 2, top - kGutterGap / 2, width + kColumnGap / 2, top - kGutterGap / 2,
                                  QPen(orphan, 1, Qt::DashLine));
    line->setZValue(-1);
    QFont f = font();
    f.setItalic(true);
    auto *label = scene()->addSimpleText(tr("no file — rows in django_migrations whose migration file is not here"), f);
    label->setBrush(orphan);
    label->setPos(-kColumnGap / 2 + 4, top - kGutterGap / 2 + 2);
}

void MigrationGraphView::addInconsistentLabel(const QPainterPath &path, const QPointF &at)
{
    Q_UNUSED(path)
    QFont f = font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 0.85);
    auto *label = scene()->addSimpleText(tr("needs ↑ · not applied"), f);
    label->setBrush(MigrationStateStyle::color(MigrationState::Inconsistent, palette()));
    const QRectF r = label->boundingRect();
    auto *back = scene()->addRect(QRectF(at.x() - r.width() / 2 - 3, at.y() - r.height() / 2 - 1, r.width() + 6, r.height() + 2),
                                  Qt::NoPen, palette().color(QPalette::Base));
    back->setZValue(3);
    label->setPos(at.x() - r.width() / 2, at.y() - r.height() / 2);
    label->setZValue(4);
}

void MigrationGraphView::layoutTimeline()
{
    const qsizetype n = m_nodes.size();
    m_items = QList<GraphNodeItem *>(n, nullptr);
    const QHash<QString, int> &lane = m_layout.laneOfApp;
    const QPalette pal = palette();
    QFont labelFont = font();
    labelFont.setBold(true);
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);

    const qreal laneTop = kAxisH;
    qreal labelsRight = 0; // the unapplied section starts after the last axis label
    m_batches = m_layout.batches;
    for (int k = 0; k < m_layout.applied.size(); ++k) {
        const int i = m_layout.applied.at(k);
        addNode(i, QPointF(m_layout.timeX.at(k), laneTop + lane.value(m_nodes.at(i).app) * kLaneH + kLaneH / 2 - 6), true);
    }
    qreal x = m_layout.axisEnd;
    const QList<int> &unapplied = m_layout.unapplied;
    labelsRight = drawBatches(laneTop + m_layout.lanes.size() * kLaneH);
    const qreal axisEnd = x;
    if (!unapplied.isEmpty()) {
        x = qMax(x + kSlotW * 2, labelsRight + kSlotW * 1.5);
        auto *sep = scene()->addLine(x - kSlotW, 0, x - kSlotW, laneTop + m_layout.lanes.size() * kLaneH,
                                     QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        sep->setZValue(-1);
        auto *label = scene()->addSimpleText(tr("Not applied"), labelFont);
        label->setBrush(pal.color(QPalette::Text));
        label->setPos(x - kSlotW / 2, 4);
        // Per lane, in plan order.
        QHash<int, qreal> laneX;
        for (int i : std::as_const(unapplied)) {
            const Node &node = m_nodes.at(i);
            const int l = lane.value(node.app);
            const qreal at = laneX.value(l, x);
            addNode(i, QPointF(at, laneTop + l * kLaneH + kLaneH / 2 - 6), true);
            laneX.insert(l, at + kSlotW);
        }
        for (qreal v : std::as_const(laneX))
            x = qMax(x, v);
    }
    const qreal right = qMax(x, axisEnd) + kSlotW / 2;
    scene()->addLine(kLaneLabelW, kAxisH - 2, axisEnd, kAxisH - 2, QPen(pal.color(QPalette::Text), 1));
    for (int c = 0; c < m_layout.lanes.size(); ++c) {
        const qreal top = laneTop + c * kLaneH;
        if (c % 2 == 0) {
            auto *band = scene()->addRect(QRectF(0, top, right, kLaneH), Qt::NoPen,
                                          mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.04));
            band->setZValue(-2);
        }
        auto *title = scene()->addSimpleText(m_layout.lanes.at(c), labelFont);
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
    if (node.summarisedRows > 0 && node.state == MigrationState::External)
        return tr("<b>%1</b><br>%n django_migrations row(s) of this app, whose migrations live outside the project "
                  "(Django itself or a package); none of the project's migrations names them. Last applied %2.",
                  nullptr, node.summarisedRows)
            .arg(node.app.toHtmlEscaped(), when(node.applied));
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
    if (node.outOfOrder)
        tip += tr("<br><i>Applied out of order: before one of its dependencies was.</i>");
    tip += ProvenanceText::html(node.git, node.hasFile);
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

QSizeF MigrationGraphView::nodeSize() const
{
    return m_mode == Mode::Graph ? QSizeF(m_nodeW, m_nodeH) : QSizeF(kDot, kDot);
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
    updateOverview();
    emit zoomChanged(factor);
}

void MigrationGraphView::zoomIn() { setZoom(zoom() * 1.25); }
void MigrationGraphView::zoomOut() { setZoom(zoom() / 1.25); }

void MigrationGraphView::resetZoom()
{
    if (m_autoCompact && m_compactLanes) // Fit chose the compact lanes: actual size is the full boxes
        setCompactLanes(false);
    setZoom(1.0);
    if (QGraphicsItem *item = m_items.value(m_index.value(selectedMigration(), -1)))
        centerOn(item);
}

qreal MigrationGraphView::fitZoom() const
{
    const QRectF r = scene()->sceneRect();
    const QRect vp = viewport()->rect();
    if (r.isEmpty() || vp.isEmpty())
        return 1.0;
    return qMin(vp.width() / r.width(), vp.height() / r.height());
}

void MigrationGraphView::fitAll()
{
    if (scene()->items().isEmpty())
        return;
    // Too big for the full boxes' names to be read at fit: the compact lanes, whose numbers are.
    if (m_mode == Mode::Graph && !m_compactLanes && fitZoom() < FullLabelZoom) {
        setCompactLanes(true);
        m_autoCompact = true;
    }
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        resetTransform(); // never blow a small graph up beyond its natural size
    else if (zoom() < kMinZoom)
        setZoom(kMinZoom);
    updateOverview();
    emit zoomChanged(zoom());
}

void MigrationGraphView::setCompactLanes(bool compact)
{
    m_autoCompact = false;
    if (m_compactLanes == compact)
        return;
    m_compactLanes = compact;
    if (m_mode == Mode::Graph)
        rebuild();
    emit compactLanesChanged(compact);
}

QRectF MigrationGraphView::visibleSceneRect() const
{
    return mapToScene(viewport()->rect()).boundingRect();
}

QWidget *MigrationGraphView::overview() const
{
    return m_overview;
}

void MigrationGraphView::updateOverview()
{
    const QRectF scene = this->scene()->sceneRect();
    const qreal px = 3 / qMax(kMinZoom, zoom()); // a fit's rounding is no reason for an overview
    const bool show = !m_nodes.isEmpty() && !scene.isEmpty() && !visibleSceneRect().adjusted(-px, -px, px, px).contains(scene);
    const QRect vp = viewport()->geometry();
    // A third of the view at most; a view too small for a useful overview has none.
    const QSize largest(qMin(kOverviewW, vp.width() / 3), qMin(kOverviewH, vp.height() / 3));
    if (!show || largest.width() < 48 || largest.height() < 36) {
        m_overview->hide();
        return;
    }
    if (largest != m_overview->largest())
        m_overview->invalidate(largest);
    m_overview->move(vp.right() - m_overview->width() - 10, vp.bottom() - m_overview->height() - 10);
    m_overview->show();
    m_overview->raise();
    m_overview->update();
}

void MigrationGraphView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    if (m_overview->isVisible())
        m_overview->update(); // the frame follows
}

QMenu *MigrationGraphView::createNodeMenu(const QString &key, QWidget *parent)
{
    const int i = m_index.value(key, -1);
    if (i < 0)
        return nullptr;
    const Node &node = m_nodes.at(i);
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("graphNodeMenu"));
    menu->addSection(node.summarisedRows > 0 ? node.app : shortKey(key));
    const bool migration = node.hasFile && node.summarisedRows == 0;
    QAction *open = menu->addAction(tr("Open Migration &File"));
    open->setObjectName(QStringLiteral("openFile"));
    open->setEnabled(migration);
    connect(open, &QAction::triggered, this, [this, key] { emit openFileRequested(key); });
    if (migration) {
        menu->addSeparator();
        for (const MigrationActions::Request &r : MigrationActions::requests(node.app, node.name)) {
            QAction *a = menu->addAction(r.text);
            connect(a, &QAction::triggered, this, [this, r] { emit operationRequested(r.operation, r.values); });
        }
    }
    return menu;
}

void MigrationGraphView::contextMenuEvent(QContextMenuEvent *event)
{
    QGraphicsItem *item = itemAt(event->pos());
    const QString key = item ? item->data(0).toString() : QString();
    if (key.isEmpty()) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    // The menu is about this node: it is selected first (and its row in the table with it).
    if (!item->isSelected()) {
        scene()->clearSelection();
        item->setSelected(true);
    }
    QMenu *menu = createNodeMenu(key, this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
    event->accept();
}

QString MigrationGraphView::findAndCentre(const QString &text)
{
    const QString needle = text.trimmed();
    const int n = int(m_nodes.size());
    if (needle.isEmpty() || n == 0)
        return QString();
    const int start = m_index.value(selectedMigration(), -1);
    for (int k = 1; k <= n; ++k) {
        const int i = (start + k) % n; // from the first node when none is selected (start -1)
        GraphNodeItem *item = m_items.value(i);
        if (!item || !m_nodes.at(i).key.contains(needle, Qt::CaseInsensitive))
            continue;
        scene()->clearSelection();
        item->setSelected(true); // migrationSelected(): the table follows
        centerOn(item);
        updateOverview();
        return m_nodes.at(i).key;
    }
    return QString();
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
        if (item->data(1).toString() == QLatin1String("batch")) { // zoom to one migrate run
            fitInView(item->sceneBoundingRect().adjusted(-kSlotW, -kAxisH, kSlotW, 10), Qt::KeepAspectRatio);
            emit zoomChanged(zoom());
            return;
        }
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void MigrationGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeLegend();
    updateOverview();
}

void MigrationGraphView::placeLegend()
{
    // Bottom right: the top holds the column headers and the time axis.
    if (m_legend->parentWidget() != viewport())
        return; // docked outside the canvas
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

// ---------------------------------------------------------------------------------------------
// Lanes, caption, selection, export

bool MigrationGraphView::isDjangoApp(const QString &app)
{
    static const QSet<QString> apps = {QStringLiteral("admin"), QStringLiteral("auth"), QStringLiteral("contenttypes"),
                                       QStringLiteral("sessions"), QStringLiteral("sites"), QStringLiteral("messages"),
                                       QStringLiteral("staticfiles"), QStringLiteral("flatpages"), QStringLiteral("redirects"),
                                       QStringLiteral("humanize"), QStringLiteral("sitemaps"), QStringLiteral("syndication"),
                                       QStringLiteral("postgres"), QStringLiteral("gis"), QStringLiteral("admindocs")};
    return apps.contains(app);
}

MigrationGraphView::Layout MigrationGraphView::computeLayout(const QList<Node> &nodes, const QStringList &apps, bool foldDjango)
{
    Layout l;
    l.lanes = laneOrder(nodes, apps, foldDjango, &l.laneOfApp);
    const int n = int(nodes.size());
    QHash<QString, int> index;
    index.reserve(n);
    for (int i = 0; i < n; ++i)
        index.insert(nodes.at(i).key, i);

    // Graph: layer = one below the deepest dependency and below the lane's previous migration.
    // The graph's plan order is topological, so dependencies have their layer already. Rows
    // without a file (orphans, summaries) go to the "no file" gutter under the graph, in their lane.
    auto inGutter = [](const Node &node) { return node.state == MigrationState::Orphan; };
    l.layer = QList<int>(n, 0);
    QHash<int, int> lastLayerOfLane;
    QHash<int, int> gutterRowsOfLane;
    for (int i = 0; i < n; ++i) {
        const Node &node = nodes.at(i);
        const int lane = l.laneOfApp.value(node.app);
        if (inGutter(node)) {
            l.layer[i] = gutterRowsOfLane[lane]++;
            continue;
        }
        int layer = lastLayerOfLane.contains(lane) ? lastLayerOfLane.value(lane) + 1 : 0;
        for (const QString &d : node.dependencies) {
            const int j = index.value(d, -1);
            if (j >= 0 && j < i && !inGutter(nodes.at(j)))
                layer = qMax(layer, l.layer.at(j) + 1);
        }
        l.layer[i] = layer;
        lastLayerOfLane.insert(lane, layer);
        l.maxLayer = qMax(l.maxLayer, layer);
    }
    for (int rows : std::as_const(gutterRowsOfLane))
        l.gutterRows = qMax(l.gutterRows, rows);

    // Timeline: applied migrations in the order they were applied; each gets its own slot so
    // that a whole `migrate` run (often within one second) stays readable. Rows applied within
    // kBatchGapSecs of each other are one batch (one `migrate` run): one band with its time and
    // count. Between batches the axis is compressed: a gap that grows with the log of the
    // pause, labelled.
    for (int i = 0; i < n; ++i)
        (nodes.at(i).applied.isValid() ? l.applied : l.unapplied) << i;
    std::stable_sort(l.applied.begin(), l.applied.end(),
                     [&nodes](int a, int b) { return nodes.at(a).applied < nodes.at(b).applied; });
    qreal x = kLaneLabelW + kSlotW / 2;
    QDateTime previous;
    l.timeX.reserve(l.applied.size());
    for (int i : std::as_const(l.applied)) {
        const QDateTime t = nodes.at(i).applied;
        if (!previous.isValid() || previous.secsTo(t) > kBatchGapSecs) {
            if (previous.isValid()) {
                const qint64 pause = previous.secsTo(t);
                const qreal gap = kSlotW * (1.0 + qMin<qreal>(4.0, std::log10(qMax<qint64>(10, pause))));
                l.batches.last().endX = x - kSlotW;
                l.batches.last().pauseAfterSecs = pause;
                x += gap;
            }
            Batch b;
            b.start = t;
            b.startX = x;
            l.batches << b;
        }
        l.batches.last().end = t;
        ++l.batches.last().count;
        previous = t;
        l.timeX << x;
        x += kSlotW;
    }
    if (!l.batches.isEmpty())
        l.batches.last().endX = x - kSlotW;
    l.axisEnd = x;

    l.toolTips.reserve(n);
    for (const Node &node : nodes)
        l.toolTips << toolTipFor(node);
    return l;
}

QStringList MigrationGraphView::laneOrder(const QList<Node> &nodes, const QStringList &apps, bool foldDjango,
                                          QHash<QString, int> *laneOfApp)
{
    auto laneName = [foldDjango](const QString &app) { return foldDjango && isDjangoApp(app) ? djangoLaneName() : app; };
    // Lane-level edges from cross-app dependencies; first appearance (plan order) breaks ties.
    QStringList candidates;
    for (const QString &app : apps) {
        const QString lane = laneName(app);
        if (!candidates.contains(lane))
            candidates << lane;
    }
    QHash<QString, QSet<QString>> needs; // lane → lanes it depends on
    QHash<QString, QString> laneOfKey;
    for (const Node &n : nodes)
        laneOfKey.insert(n.key, laneName(n.app));
    for (const Node &n : nodes) {
        const QString lane = laneName(n.app);
        for (const QString &d : n.dependencies) {
            const QString other = laneOfKey.value(d);
            if (!other.isEmpty() && other != lane)
                needs[lane].insert(other);
        }
    }
    QStringList order;
    QSet<QString> placed;
    while (order.size() < candidates.size()) {
        QString next;
        for (const QString &lane : std::as_const(candidates)) {
            if (placed.contains(lane))
                continue;
            const QSet<QString> &deps = needs.value(lane);
            const bool ready = std::all_of(deps.cbegin(), deps.cend(), [&](const QString &d) { return placed.contains(d); });
            if (ready) {
                next = lane;
                break;
            }
        }
        if (next.isEmpty()) { // a cycle between apps: the first unplaced lane breaks it
            for (const QString &lane : std::as_const(candidates)) {
                if (!placed.contains(lane)) {
                    next = lane;
                    break;
                }
            }
        }
        placed.insert(next);
        order << next;
    }
    laneOfApp->clear();
    for (const QString &app : apps)
        laneOfApp->insert(app, int(order.indexOf(laneName(app))));
    return order;
}

void MigrationGraphView::setFoldDjangoApps(bool fold)
{
    if (m_foldDjango == fold)
        return;
    m_foldDjango = fold;
    relayout();
}

QString MigrationGraphView::shortKey(const QString &key)
{
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return key;
    const qsizetype underscore = key.indexOf(QLatin1Char('_'), dot + 1);
    return underscore < 0 ? key : key.left(underscore);
}

QString MigrationGraphView::caption() const
{
    if (m_nodes.isEmpty())
        return tr("No migrations to draw.");
    auto isApplied = [](const Node &x) {
        return x.applied.isValid() || x.state == MigrationState::Applied || x.state == MigrationState::External
            || x.state == MigrationState::Inconsistent;
    };
    QStringList broken;
    QString first;
    for (const Node &node : m_nodes) {
        if (!isApplied(node))
            continue;
        for (const QString &d : node.dependencies) {
            const int j = m_index.value(d, -1);
            if (j < 0 || isApplied(m_nodes.at(j)))
                continue;
            if (first.isEmpty())
                first = tr("%1 is applied but needs %2, which is not").arg(shortKey(node.key), shortKey(d));
            broken << node.key;
        }
    }
    if (!first.isEmpty())
        return broken.size() > 1 ? tr("%1 (and %n more applied before their dependency)", nullptr, int(broken.size() - 1)).arg(first)
                                 : first;
    int orphans = 0;
    QString orphanText;
    for (const Node &node : m_nodes) {
        if (node.state != MigrationState::Orphan)
            continue;
        orphans += node.summarisedRows > 0 ? node.summarisedRows : 1;
        if (orphanText.isEmpty() && node.summarisedRows == 0) {
            const QString where = ProvenanceText::oneLine(node.git, false);
            orphanText = tr("%1 is recorded as applied but has no file (%2)").arg(shortKey(node.key), where);
        }
    }
    if (orphans > 0)
        return orphans > 1 ? tr("%1; %n more row(s) without a file", nullptr, orphans - 1).arg(orphanText) : orphanText;
    for (const Node &node : m_nodes) {
        if (node.outOfOrder)
            return tr("%1 was applied before one of its dependencies was (out of order; consistent now)").arg(shortKey(node.key));
    }
    int pending = 0;
    QString firstPending;
    for (const Node &node : m_nodes) {
        if (node.state == MigrationState::Pending) {
            if (pending++ == 0)
                firstPending = shortKey(node.key);
        }
    }
    if (pending > 0)
        return tr("%n migration(s) not applied yet, starting with %1: migrate applies them", nullptr, pending).arg(firstPending);
    return tr("All %n migration(s) applied; the history is consistent.", nullptr, int(m_nodes.size()));
}

bool MigrationGraphView::selectMigration(const QString &key)
{
    const int i = m_index.value(key, -1);
    if (i < 0 || i >= m_items.size() || !m_items.at(i))
        return false;
    m_selecting = true;
    scene()->clearSelection();
    m_items.at(i)->setSelected(true);
    ensureVisible(m_items.at(i), 40, 40);
    m_selecting = false;
    return true;
}

QString MigrationGraphView::selectedMigration() const
{
    const QList<QGraphicsItem *> selected = scene()->selectedItems();
    return selected.size() == 1 ? selected.constFirst()->data(0).toString() : QString();
}

bool MigrationGraphView::exportTo(const QString &path, QString *error)
{
    return exportTo(path, path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive), error);
}

bool MigrationGraphView::exportTo(const QString &path, bool asSvg, QString *error)
{
    const QRectF source = scene()->sceneRect();
    if (source.isEmpty()) {
        if (error)
            *error = tr("There is no graph to export.");
        return false;
    }
    const QList<QGraphicsItem *> selected = scene()->selectedItems();
    for (QGraphicsItem *item : selected)
        item->setSelected(false); // the picture shows the graph, not the user's selection
    bool ok = false;
    if (asSvg) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(source.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
        svg.setTitle(tr("Migration graph"));
        QPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            painter.fillRect(QRectF(QPointF(0, 0), source.size()), palette().color(QPalette::Base));
            scene()->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
            ok = painter.end();
        }
    } else {
        // At zoom 1, capped so a huge graph still makes a file (scaled down to 16k pixels).
        const qreal scale = qMin<qreal>(1.0, 16000.0 / qMax(source.width(), source.height()));
        QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(palette().color(QPalette::Base));
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        scene()->render(&painter, QRectF(QPointF(0, 0), image.size()), source);
        painter.end();
        ok = image.save(path, "PNG");
    }
    for (QGraphicsItem *item : selected)
        item->setSelected(true);
    if (!ok && error)
        *error = tr("Could not write %1").arg(path);
    return ok;
}
