#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QObject>

#include <memory>

class BackupsPanel;
class ConsoleWidget;
class DoctorPanel;
class GraphPanel;
class QDockWidget;
class QKeySequence;
class QMainWindow;
class QMenu;
class QWidget;

// The docks around the status table and where they start: Operations, Doctor and Backups
// tabbed on the right, Console and Graph tabbed below. Their toggles go into the View menu.
// The Graph is laid out only while its tab shows (thousands of nodes are wasted work hidden).
class DockLayout : public QObject
{
    Q_OBJECT
public:
    // Creates the console and the Doctor, Backups and Graph panels in their docks around window;
    // operationsPanel is docked as it is.
    DockLayout(QMainWindow *window, QMenu *viewMenu, QWidget *operationsPanel);

    ConsoleWidget *console() const { return m_console; }
    DoctorPanel *doctor() const { return m_doctor; }
    BackupsPanel *backups() const { return m_backups; }
    GraphPanel *graph() const { return m_graph; }
    QDockWidget *consoleDock() const { return m_consoleDock; }
    QDockWidget *operationsDock() const { return m_opsDock; }
    QDockWidget *doctorDock() const { return m_doctorDock; }
    QDockWidget *backupsDock() const { return m_backupsDock; }
    QDockWidget *graphDock() const { return m_graphDock; }

    // Brings a dock to the front (a banner's button, a hint).
    static void raise(QDockWidget *dock);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

public slots:
    // What the Graph shows: the status table's rows and Django's graph (null: not diagnosed).
    void setGraphData(const StatusSnapshot &snapshot, const std::shared_ptr<const MigrationGraph> &graph);

private:
    static QWidget *scrollable(QWidget *panel);
    QDockWidget *addDock(const QString &title, const QString &name, QWidget *panel, Qt::DockWidgetArea area,
                         const QString &toolTip);
    void updateGraph();
    void bringToFrontByKey(QDockWidget *dock, const QKeySequence &keys);

    QMainWindow *m_window;
    QMenu *m_viewMenu;
    ConsoleWidget *m_console;
    DoctorPanel *m_doctor;
    BackupsPanel *m_backups;
    GraphPanel *m_graph;
    QDockWidget *m_consoleDock = nullptr;
    QDockWidget *m_opsDock = nullptr;
    QDockWidget *m_doctorDock = nullptr;
    QDockWidget *m_backupsDock = nullptr;
    QDockWidget *m_graphDock = nullptr;
    StatusSnapshot m_snapshot; // as the table shows it
    std::shared_ptr<const MigrationGraph> m_graphData;
    bool m_graphStale = true;
};
