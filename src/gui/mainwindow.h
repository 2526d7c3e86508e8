#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <functional>
#include <memory>

#include "core/console/outputchannel.h"
#include "core/console/secretmasker.h"
#include "project/projectconfig.h"
#include "status/statusloader.h"

#include <QMainWindow>
#include <QStringList>

class ConsoleWidget;
class MessageBanner;
class MigrationFilterProxy;
class MigrationTableModel;
class OperationController;
class ProjectLockHolder;
class DoctorPanel;
class BackupsPanel;
class GraphPanel;
struct Plan;
struct Diagnosis;
class OperationsPanel;
struct RunResult;
class StatusLoadJob;
class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QTimer;

// The main window: the status table of one project, its filters, the console dock and the
// banners that say what went wrong. All database work happens in StatusLoadJob's worker.
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

    bool hasProject() const { return !m_config.root.isEmpty(); }
    ProjectConfig config() const { return m_config; }
    bool isLoading() const;
    int loadsStarted() const { return m_loadsStarted; }

    // The parts tests and the app wiring look at.
    QTableView *tableView() const { return m_table; }
    MigrationTableModel *model() const { return m_model; }
    MigrationFilterProxy *proxy() const { return m_proxy; }
    MessageBanner *projectBanner() const { return m_projectBanner; }
    MessageBanner *loadBanner() const { return m_loadBanner; }
    ConsoleWidget *console() const { return m_console; }
    QLabel *countsLabel() const { return m_countsLabel; }
    QLineEdit *searchEdit() const { return m_search; }
    QAction *refreshAction() const { return m_refreshAction; }
    QAction *historyAction() const { return m_historyAction; }
    OperationController *operations() const { return m_operations; }
    OperationsPanel *operationsPanel() const { return m_opsPanel; }
    QDockWidget *operationsDock() const { return m_opsDock; }
    MessageBanner *operationBanner() const { return m_operationBanner; }
    DoctorPanel *doctorPanel() const { return m_doctor; }
    BackupsPanel *backupsPanel() const { return m_backups; }
    GraphPanel *graphPanel() const { return m_graph; }

signals:
    // After a load's result (success or error) reached the window.
    void statusLoaded(bool ok);
    // openProject() finished detecting (off the GUI thread: compose is asked) and applied it.
    void projectOpened(const QString &root);
    // "Open Doctor" from a migrate failure (InconsistentMigrationHistory): the Doctor panel's
    // owner connects this.
    void doctorRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralArea();
    void createConsoleDock();
    void createOperationsDock();
    void createStatusBar();
    void restoreWindowState();

    void chooseProject();
    void openProjectSettings();
    void populateRecentMenu();
    void applyProject(const ProjectConfig &config, const ProjectConfig &detected,
                      const QStringList &errors, const QStringList &warnings);
    void startLoad();
    void onLoadFinished(const StatusResult &result);
    void onLoadingChanged(bool loading);
    void updateAppFilterItems();
    void updateCounts();
    void updateConnectionLabel();
    void applySearchText();
    void setHistoryMode(bool on);
    void copySelection();
    void openSelectedFile();
    void showTableMenu(const QPoint &pos);
    void report(MessageLevel level, const QString &text); // console, masked
    void onOperationRunning(bool running);
    void refreshAfterRun(const RunResult &result);
    void onLockAnswer(int result, const QString &message);
    void createPanelDocks();
    // Preview, typed confirmation when destructive, then run a plan a panel asked for; after
    // runs once the plan has ended (re-diagnose, reload the backups).
    void runPanelPlan(const Plan &plan, const QString &title, const std::function<void()> &after);
    void onDiagnosed(const Diagnosis &diagnosis);
    // The status snapshot with what Django's graph adds (Inconsistent, Dependencies), when known.
    StatusSnapshot withGraph(StatusSnapshot snapshot) const;
    void showSnapshot(const StatusSnapshot &snapshot);
    void updateGraph();
    void reportUnfinishedRuns();

    // Current project: as detected (for the settings dialog) and as used.
    ProjectConfig m_detected;
    ProjectConfig m_config;
    bool m_configFromCaller = false; // openConfig(): no saved settings to re-detect from
    quint64 m_openJob = 0;           // the latest openProject(): older detections are dropped
    SecretMasker m_masker;
    StatusLoadJob *m_job;
    int m_loadsStarted = 0;
    QDateTime m_lastLoaded;

    MigrationTableModel *m_model;
    MigrationFilterProxy *m_proxy;

    QStackedWidget *m_stack = nullptr;
    QWidget *m_welcome = nullptr;
    QTableView *m_table = nullptr;
    MessageBanner *m_projectBanner = nullptr;
    MessageBanner *m_loadBanner = nullptr;
    ConsoleWidget *m_console = nullptr;
    QDockWidget *m_consoleDock = nullptr;
    OperationController *m_operations;
    OperationsPanel *m_opsPanel;
    QDockWidget *m_opsDock = nullptr;
    MessageBanner *m_operationBanner = nullptr;
    ProjectLockHolder *m_lock;       // one MigrationDesk per project and database
    DoctorPanel *m_doctor = nullptr;
    BackupsPanel *m_backups = nullptr;
    GraphPanel *m_graph = nullptr;
    QDockWidget *m_doctorDock = nullptr;
    QDockWidget *m_backupsDock = nullptr;
    QDockWidget *m_graphDock = nullptr;
    StatusSnapshot m_rawSnapshot;    // as loaded, before the graph's enrichment
    StatusSnapshot m_shownSnapshot;  // as the table shows it (for the graph)
    std::shared_ptr<const MigrationGraph> m_graphData; // the doctor's last graph of this project
    std::shared_ptr<const MigrationGraph> m_declaredGraph; // the files' graph of the last load
    std::function<void()> m_afterPanelRun;
    bool m_graphStale = true;
    QObject *m_journalActions = nullptr; // parent of the unfinished-run banner's actions
    bool m_refreshAfterLoad = false; // a run ended while a load ran: read again after it
    bool m_closeAfterRun = false;    // quitting: close once the cancelled run has ended

    QComboBox *m_appFilter = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;

    QLabel *m_countsLabel = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QProgressBar *m_busy = nullptr;

    QMenu *m_recentMenu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_historyAction = nullptr;
    QAction *m_focusSearchAction = nullptr;
    QAction *m_resetFiltersAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_openFileAction = nullptr;
    QAction *m_aboutAction = nullptr;
    // Buttons offered by the banners.
    QAction *m_bannerSettingsAction = nullptr;
    QAction *m_bannerRetryAction = nullptr;
    QAction *m_bannerOpenAction = nullptr;
};
