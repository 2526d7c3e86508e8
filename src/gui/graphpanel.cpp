#include "graphpanel.h"

#include "migrationstatestyle.h"

#include <QActionGroup>
#include <QFileDialog>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QLabel>
#include <QLineEdit>
#include <QToolBar>
#include <QVBoxLayout>

GraphPanel::GraphPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new MigrationGraphView(this))
    , m_summary(new QLabel(this))
    , m_zoomLabel(new QLabel(this))
    , m_caption(new QLabel(this))
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
    m_fit = bar->addAction(tr("Fit"), m_view, &MigrationGraphView::fitAll);
    m_fit->setToolTip(tr("Show the whole graph (Ctrl+0); a big one in compact lanes, so its labels stay readable"));
    m_fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_fit); // the panel's shortcut, not only the tool bar's
    bar->addAction(tr("1:1"), m_view, &MigrationGraphView::resetZoom)->setToolTip(tr("Actual size"));
    bar->addWidget(m_zoomLabel);
    bar->addSeparator();
    m_foldDjango = bar->addAction(tr("Fold Django apps"));
    m_foldDjango->setCheckable(true);
    m_foldDjango->setChecked(true);
    m_foldDjango->setToolTip(tr("auth, admin, contenttypes, sessions, … in one lane"));
    connect(m_foldDjango, &QAction::toggled, m_view, &MigrationGraphView::setFoldDjangoApps);
    m_compact = bar->addAction(tr("Compact"));
    m_compact->setCheckable(true);
    m_compact->setToolTip(tr("Narrow lanes labelled with each migration's number (full names on hover)"));
    connect(m_compact, &QAction::toggled, m_view, &MigrationGraphView::setCompactLanes);
    connect(m_view, &MigrationGraphView::compactLanesChanged, m_compact, [this](bool on) {
        const QSignalBlocker blocker(m_compact);
        m_compact->setChecked(on);
    });
    m_export = bar->addAction(tr("Export…"), this, &GraphPanel::exportGraph);
    m_export->setToolTip(tr("Save the picture as PNG or SVG"));
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("graphSearch"));
    m_search->setPlaceholderText(tr("Find migration…"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Centres on the first migration whose app.name contains this; Enter again for the next"));
    m_search->setMaximumWidth(220);
    connect(m_search, &QLineEdit::returnPressed, this, &GraphPanel::search);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_search->setStyleSheet(QString()); });
    bar->addWidget(m_search);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_summary);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    // What is wrong, in one line, above the picture; the legend under it, outside the canvas.
    m_caption->setObjectName(QStringLiteral("graphCaption"));
    m_caption->setContentsMargins(8, 4, 8, 4);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_caption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_view->legend());
    m_view->legend()->show();

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

void GraphPanel::search()
{
    const QString text = m_search->text().trimmed();
    if (text.isEmpty())
        return;
    const bool found = !m_view->findAndCentre(text).isEmpty();
    // No match: the field says so in the alarm colour (the text stays to be corrected).
    m_search->setStyleSheet(found ? QString()
                                  : QStringLiteral("QLineEdit { color: %1; }")
                                        .arg(MigrationStateStyle::color(MigrationState::Inconsistent, palette()).name()));
}

void GraphPanel::exportGraph()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export graph"), QStringLiteral("migrations.svg"),
                                                      tr("SVG image (*.svg);;PNG image (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_view->exportTo(path, &error))
        QMessageBox::warning(this, tr("Export graph"), error);
}

QString GraphPanel::captionText() const
{
    return m_caption->text();
}

void GraphPanel::updateSummary()
{
    // The caption says what is wrong in the alarm colour, or that nothing is.
    const QString caption = m_view->caption();
    const bool wrong = m_view->inconsistentEdgeCount() > 0 || caption.contains(QLatin1String("no file"));
    const QColor color = MigrationStateStyle::color(m_view->inconsistentEdgeCount() > 0 ? MigrationState::Inconsistent
                                                                                       : MigrationState::Orphan,
                                                    palette());
    m_caption->setText(caption);
    m_caption->setStyleSheet(wrong ? QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(color.name()) : QString());
    int summarised = 0, summaryNodes = 0;
    for (const MigrationGraphView::Node &n : m_view->nodes()) {
        summarised += n.state == MigrationState::Orphan ? n.summarisedRows : 0;
        summaryNodes += n.summarisedRows > 0 ? 1 : 0;
    }
    QString text = tr("%n migration(s) in %1 apps", nullptr, m_view->nodeCount() - summaryNodes).arg(m_view->apps().size());
    if (summarised > 0)
        text += tr(" · %n row(s) without a file summarised", nullptr, summarised);
    if (m_view->inconsistentEdgeCount() > 0)
        text += tr(" · %n applied before a dependency", nullptr, m_view->inconsistentEdgeCount());
    m_summary->setText(text + QLatin1Char(' '));
}
