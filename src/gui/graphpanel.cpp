#include "graphpanel.h"

#include <QActionGroup>
#include <QLabel>
#include <QToolBar>
#include <QVBoxLayout>

GraphPanel::GraphPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new MigrationGraphView(this))
    , m_summary(new QLabel(this))
    , m_zoomLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("graphPanel"));
    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *modes = new QActionGroup(this);
    m_graphMode = bar->addAction(tr("&Graph"));
    m_graphMode->setToolTip(tr("One column per app; every migration below its dependencies"));
    m_timelineMode = bar->addAction(tr("&Timeline"));
    m_timelineMode->setToolTip(tr("Migrations in the order they were applied"));
    for (QAction *a : {m_graphMode, m_timelineMode}) {
        a->setCheckable(true);
        modes->addAction(a);
    }
    m_graphMode->setChecked(true);
    bar->addSeparator();
    QAction *zoomOut = bar->addAction(tr("−"), m_view, &MigrationGraphView::zoomOut);
    zoomOut->setToolTip(tr("Zoom out (Ctrl+wheel)"));
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction *zoomIn = bar->addAction(tr("+"), m_view, &MigrationGraphView::zoomIn);
    zoomIn->setToolTip(tr("Zoom in (Ctrl+wheel)"));
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    bar->addAction(tr("Fit"), m_view, &MigrationGraphView::fitAll)->setToolTip(tr("Show the whole graph"));
    bar->addAction(tr("1:1"), m_view, &MigrationGraphView::resetZoom)->setToolTip(tr("Actual size"));
    bar->addWidget(m_zoomLabel);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_summary);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_view, 1);

    connect(m_graphMode, &QAction::triggered, this, [this] { m_view->setMode(MigrationGraphView::Mode::Graph); updateSummary(); });
    connect(m_timelineMode, &QAction::triggered, this, [this] { m_view->setMode(MigrationGraphView::Mode::Timeline); updateSummary(); });
    connect(m_view, &MigrationGraphView::zoomChanged, this, [this](qreal f) {
        m_zoomLabel->setText(QStringLiteral(" %1%").arg(qRound(f * 100)));
    });
    m_zoomLabel->setText(QStringLiteral(" 100%"));
    connect(m_view, &MigrationGraphView::nodesChanged, this, &GraphPanel::updateSummary);
}

void GraphPanel::setData(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    m_view->setData(graph, snapshot);
    if (m_view->isBuilding())
        m_summary->setText(tr("Reading %n status row(s)… ", nullptr, int(snapshot.rows.size())));
}

void GraphPanel::updateSummary()
{
    int summarised = 0, summaryNodes = 0;
    for (const MigrationGraphView::Node &n : m_view->nodes()) {
        summarised += n.summarisedRows;
        summaryNodes += n.summarisedRows > 0 ? 1 : 0;
    }
    QString text = tr("%n migration(s) in %1 apps", nullptr, m_view->nodeCount() - summaryNodes).arg(m_view->apps().size());
    if (summarised > 0)
        text += tr(" · %n row(s) without a file summarised", nullptr, summarised);
    if (m_view->inconsistentEdgeCount() > 0)
        text += tr(" · %n applied before a dependency", nullptr, m_view->inconsistentEdgeCount());
    m_summary->setText(text + QLatin1Char(' '));
}
