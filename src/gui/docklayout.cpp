#include "docklayout.h"

#include "backupspanel.h"
#include "consolewidget.h"
#include "doctorpanel.h"
#include "graphpanel.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>
#include <QTimer>

DockLayout::DockLayout(QMainWindow *window, QMenu *viewMenu, QWidget *operationsPanel)
    : QObject(window)
    , m_window(window)
    , m_viewMenu(viewMenu)
    , m_console(new ConsoleWidget)
    , m_doctor(new DoctorPanel)
    , m_backups(new BackupsPanel)
    , m_graph(new GraphPanel)
{
    m_console->setToolTip(QString()); // the console's own widgets carry their tooltips
    m_consoleDock = addDock(tr("Console"), QStringLiteral("consoleDock"), m_console, Qt::BottomDockWidgetArea,
                            tr("Show or hide the console, where MigrationDesk reports what it did (Ctrl+J)"));
    m_consoleDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea);
    window->resizeDocks({m_consoleDock}, {170}, Qt::Vertical);
    m_consoleDock->toggleViewAction()->setText(tr("Show &Console"));

    m_opsDock = addDock(tr("Operations"), QStringLiteral("operationsDock"), operationsPanel, Qt::RightDockWidgetArea,
                        tr("Show or hide the operations panel: every step of the Migration Reset Guide as a button"));
    m_opsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    m_opsDock->toggleViewAction()->setText(tr("Show &Operations"));
    window->resizeDocks({m_opsDock}, {260}, Qt::Horizontal);

    // The doctor's and the backups' pages are taller and wider than a small window has room for:
    // they scroll instead of holding the window at their size (usable at 900×600).
    m_doctorDock = addDock(tr("Doctor"), QStringLiteral("doctorDock"), scrollable(m_doctor), Qt::RightDockWidgetArea,
                           tr("Find every inconsistency in the migration state and fix it with a previewed, minimal change"));
    m_backupsDock = addDock(tr("Backups"), QStringLiteral("backupsDock"), scrollable(m_backups), Qt::RightDockWidgetArea,
                            tr("Backups taken before every destructive step: restore one or undo the last change"));
    m_graphDock = addDock(tr("Graph"), QStringLiteral("graphDock"), m_graph, Qt::BottomDockWidgetArea,
                          tr("Django's dependency graph and the applied timeline"));
    window->tabifyDockWidget(m_opsDock, m_doctorDock);
    window->tabifyDockWidget(m_doctorDock, m_backupsDock);
    window->tabifyDockWidget(m_consoleDock, m_graphDock);
    connect(m_graphDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            QTimer::singleShot(0, this, &DockLayout::updateGraph); // after the tab switch painted
    });
    m_opsDock->raise();
    m_consoleDock->raise();
    window->resizeDocks({m_opsDock}, {290}, Qt::Horizontal); // the table gets the width
    window->resizeDocks({m_consoleDock}, {200}, Qt::Vertical);
    bringToFrontByKey(m_consoleDock, QKeySequence(Qt::CTRL | Qt::Key_J));
    bringToFrontByKey(m_doctorDock, QKeySequence(Qt::CTRL | Qt::Key_D));
    bringToFrontByKey(m_backupsDock, QKeySequence(Qt::CTRL | Qt::Key_B));
}

// The View menu's toggle keeps the key (the menu and F1 list it), but the key itself brings a
// dock tabbed behind another to the front: a plain toggle would close the dock the user asked for.
void DockLayout::bringToFrontByKey(QDockWidget *dock, const QKeySequence &keys)
{
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(keys);
    m_window->addAction(toggle);
    toggle->installEventFilter(this);
}

bool DockLayout::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Shortcut)
        return QObject::eventFilter(watched, event);
    for (QDockWidget *dock : {m_consoleDock, m_doctorDock, m_backupsDock}) {
        if (watched != dock->toggleViewAction())
            continue;
        const bool inFront = dock->isVisible() && !dock->visibleRegion().isEmpty();
        if (inFront)
            dock->close(); // in sight: the key hides it, as it always did
        else
            raise(dock);   // closed, or behind another tab
        return true;
    }
    return QObject::eventFilter(watched, event);
}

QWidget *DockLayout::scrollable(QWidget *panel)
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(panel->objectName() + QStringLiteral("Scroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(panel);
    return scroll;
}

QDockWidget *DockLayout::addDock(const QString &title, const QString &name, QWidget *panel, Qt::DockWidgetArea area,
                                 const QString &toolTip)
{
    auto *dock = new QDockWidget(title, m_window);
    dock->setObjectName(name);
    dock->setWidget(panel);
    m_window->addDockWidget(area, dock);
    dock->toggleViewAction()->setToolTip(toolTip);
    m_viewMenu->addAction(dock->toggleViewAction());
    return dock;
}

void DockLayout::raise(QDockWidget *dock)
{
    dock->show();
    dock->raise();
}

void DockLayout::setGraphData(const StatusSnapshot &snapshot, const std::shared_ptr<const MigrationGraph> &graph)
{
    m_snapshot = snapshot;
    m_graphData = graph;
    m_graphStale = true;
    updateGraph();
}

// Laying out thousands of nodes is wasted while the Graph tab is hidden: do it when it shows.
void DockLayout::updateGraph()
{
    if (!m_graphStale || !m_graphDock->isVisible() || m_graphDock->visibleRegion().isEmpty())
        return;
    m_graphStale = false;
    m_graph->setData(m_graphData ? *m_graphData : MigrationGraph(), m_snapshot);
}
