#pragma once

#include "console/secretmasker.h"
#include "operations/operation.h"
#include "project/projectconfig.h"
#include "safety/runjournal.h"

#include <QMainWindow>
#include <QStringList>

#include <functional>

class BackupsPanel;
class BranchPicker;
class ConsoleWidget;
class DockLayout;
class DoctorPanel;
class GraphPanel;
class MainActions;
class MessageBanner;
class MigrationFilterProxy;
class MigrationTableModel;
class OperationController;
class OperationsPanel;
class ProjectSession;
class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QTableView;
class RunFlow;
class StatusPage;
struct Plan;
struct RunResult;

// The main window puts the parts together and says what went wrong in its banners: the
// ProjectSession (open, detect, lock, unfinished runs), the StatusPage in the middle, the docks
// (DockLayout), the menus and tool bar (MainActions), and one RunFlow through which every plan
// runs. The OperationController emits what a run says; the console listens.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Detects the project in dir, applies its saved settings and loads its status. Problems
    // show in the banner and the console; nothing is thrown at the user as a dialog.
    void openProject(const QString &dir);
    // Opens an already resolved configuration (the demo, command-line overrides, tests).
    // warnings are shown like detection warnings.
    void openConfig(const ProjectConfig &config, const QStringList &warnings = {});

    // Reloads the status (F5). Ignored while a load is running.
    void refresh();
    // SIGTERM / Ctrl+C in the terminal: cancel a running plan without asking, then close.
    void quitWithoutAsking();

    bool hasProject() const;
    ProjectConfig config() const;
    bool isLoading() const;
    int loadsStarted() const;

    // The parts tests and the app wiring look at.
    ProjectSession *session() const { return m_session; }
    StatusPage *statusPage() const { return m_page; }
    RunFlow *runFlow() const { return m_flow; }
    QTableView *tableView() const;
    MigrationTableModel *model() const;
    MigrationFilterProxy *proxy() const;
    MessageBanner *projectBanner() const;
    MessageBanner *loadBanner() const;
    MessageBanner *operationBanner() const;
    ConsoleWidget *console() const;
    QLabel *countsLabel() const;
    QLineEdit *searchEdit() const;
    QAction *refreshAction() const;
    QAction *historyAction() const;
    OperationController *operations() const { return m_operations; }
    OperationsPanel *operationsPanel() const { return m_opsPanel; }
    BranchPicker *branchPicker() const { return m_branchPicker; }
    MainActions *mainActions() const { return m_actions; }
    QDockWidget *operationsDock() const;
    DoctorPanel *doctorPanel() const;
    BackupsPanel *backupsPanel() const;
    GraphPanel *graphPanel() const;

signals:
    // After a load's result (success or error) reached the window.
    void statusLoaded(bool ok);
    // openProject() finished detecting (off the GUI thread: compose is asked) and applied it.
    void projectOpened(const QString &root);
    // "Open Doctor" from a migrate failure (InconsistentMigrationHistory).
    void doctorRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void connectActions();
    void connectSession();
    void connectRuns();
    void connectPanels();
    void restoreWindowState();

    void chooseProject();
    void openProjectSettings();
    // The project plans and panels work on (empty: none may run).
    void setPanelsProject(const ProjectConfig &config);
    void showUnfinishedRuns(const QList<JournalEntry> &entries);
    void onOperationRunning(bool running);
    void refreshAfterRun(const RunResult &result);
    // A plan a panel asked for: preview, typed confirmation, run; after runs once it ended.
    void runPanelPlan(const Plan &plan, const QString &title, const std::function<void()> &after,
                      const Confirmation &confirmation = Confirmation());

    ProjectSession *m_session;
    OperationController *m_operations;
    RunFlow *m_flow;
    OperationsPanel *m_opsPanel;
    BranchPicker *m_branchPicker = nullptr;
    StatusPage *m_page;
    MainActions *m_actions = nullptr;
    DockLayout *m_docks = nullptr;
    SecretMasker m_masker;               // the banners' texts (the console masks its own)
    QObject *m_journalActions = nullptr; // parent of the unfinished-run banner's actions
    bool m_closeAfterRun = false;        // quitting: close once the cancelled run has ended
    bool m_dockStateRestored = false;    // the docks have the sizes the user gave them last time
    bool m_dockSized = false;            // first start: the console was given its height
};
