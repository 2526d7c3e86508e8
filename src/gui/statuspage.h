#pragma once

#include "console/outputchannel.h"
#include "console/secretmasker.h"
#include "django/migrationgraph.h"
#include "project/projectconfig.h"
#include "status/statusloader.h"
#include "status/statussnapshot.h"

#include <QDateTime>
#include <QWidget>

#include <memory>

class MessageBanner;
class MigrationFilterProxy;
class MigrationTableModel;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QTimer;
class StatusLoadJob;
namespace Ui {
class StatusPage;
}

// The central page: the reconciled status of one project in a table (loaded off the GUI thread
// by StatusLoadJob and merged in place), with its filters (app, state, search), history mode,
// copy and open-file, the counts and connection labels, and the banners above it. What Django's
// graph adds (Inconsistent, Dependencies) is applied to every load once a diagnosis brought it.
// The filters, labels and busy bar are the page's but live in the window's tool and status bars.
class StatusPage : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPage(QWidget *parent = nullptr);
    ~StatusPage() override;

    // A project is applied: its rows replace another project's (otherProject), the table shows.
    void setProject(const ProjectConfig &config, bool otherProject);
    // The folder cannot be opened: no rows, no load.
    void clearRows();
    // Reads the status (a running load's result is dropped). A run ended: read again, after the
    // load that may have read the state before the run.
    void load();
    void reloadAfterRun();
    void cancelLoad();
    bool isLoading() const;
    int loadsStarted() const { return m_loadsStarted; }
    // The snapshot of the last successful load (as read, before the graph's additions).
    bool hasSnapshot() const { return m_lastLoaded.isValid(); }
    const StatusSnapshot &snapshot() const { return m_rawSnapshot; }
    // The load that just ended started before a run ended: another one follows at once.
    bool reloadQueued() const { return m_refreshAfterLoad; }
    // Django's graph from a diagnosis: the table shows Inconsistent rows and Dependencies.
    void setGraph(const MigrationGraph &graph);
    // Selects and shows the row of "app.name" (a node activated in the graph).
    void selectMigration(const QString &key);
    // Opens the file of "app.name" in the default editor (the graph's node menu); a row without
    // one says so in the status bar.
    void openMigrationFile(const QString &key);
    // The buttons of the load banner: Retry and Open Settings.
    void setBannerActions(QAction *retry, QAction *settings);
    // The welcome page's button.
    void setOpenAction(QAction *open);

    QTableView *tableView() const;
    MigrationTableModel *model() const { return m_model; }
    MigrationFilterProxy *proxy() const { return m_proxy; }
    MessageBanner *projectBanner() const;
    MessageBanner *loadBanner() const;
    MessageBanner *operationBanner() const;
    // Tool bar widgets (app and state filters, search) and status bar widgets.
    QComboBox *appFilter() const { return m_appFilter; }
    QComboBox *stateFilter() const { return m_stateFilter; }
    QLineEdit *searchEdit() const { return m_search; }
    QLabel *countsLabel() const { return m_countsLabel; }
    QLabel *connectionLabel() const { return m_connectionLabel; }
    QProgressBar *busyIndicator() const { return m_busy; }
    QAction *historyAction() const { return m_historyAction; }
    QAction *focusSearchAction() const { return m_focusSearchAction; }
    QAction *resetFiltersAction() const { return m_resetFiltersAction; }
    QAction *copyAction() const { return m_copyAction; }
    // Copy Rows of more rows than this builds the text on the thread pool (a million rows take
    // seconds); the clipboard gets it when it is done, the latest copy wins.
    int synchronousCopyRows() const { return m_synchronousCopyRows; }
    void setSynchronousCopyRows(int rows) { m_synchronousCopyRows = rows; }
    QAction *openFileAction() const { return m_openFileAction; }

signals:
    void loadingChanged(bool loading);
    // After a load's result (success or error) was shown.
    void statusLoaded(bool ok);
    // The table shows this snapshot now (with the graph's additions): for the Graph panel.
    // graph: Django's once the doctor read it, until then the one the files declare.
    void snapshotShown(const StatusSnapshot &snapshot, const std::shared_ptr<const MigrationGraph> &graph);
    // The row the user is on ("app.name"), for the graph to select its node.
    void currentMigrationChanged(const QString &key);
    // The table's context menu asks for an operation on one migration (migrate APP NAME, sqlmigrate).
    void operationRequested(const QString &operation, const QHash<QString, QString> &values);
    void message(const QString &text, MessageLevel level); // for the console
    void statusMessage(const QString &text, int timeoutMs); // for the status bar

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createFilters();
    void createActions();
    void startLoad();
    void onLoadFinished(const StatusResult &result);
    void onLoadingChanged(bool loading);
    void showSnapshot(const StatusSnapshot &snapshot);
    void applySnapshot(const StatusSnapshot &snapshot); // into the model, and said (snapshotShown)
    void updateAppFilterItems();
    void updateCounts();
    void updateConnectionLabel();
    void applySearchText();
    void setHistoryMode(bool on);
    void copySelection();
    void finishCopy(const QString &text, int rows);
    void dropCopy(const QString &why);
    void openSelectedFile();
    void openFile(const QString &file); // relative to the project root
    void showTableMenu(const QPoint &pos);

    std::unique_ptr<Ui::StatusPage> ui;
    MigrationTableModel *m_model;
    MigrationFilterProxy *m_proxy;
    StatusLoadJob *m_job;
    ProjectConfig m_config;
    SecretMasker m_masker;
    int m_loadsStarted = 0;
    QDateTime m_lastLoaded;
    bool m_refreshAfterLoad = false; // a run ended while a load ran: read again after it
    StatusSnapshot m_rawSnapshot;    // as loaded, before the graph's enrichment
    std::shared_ptr<const MigrationGraph> m_graph; // the doctor's last graph of this project
    quint64 m_enrichJob = 0; // the latest showSnapshot(): an older enrichment is dropped
    quint64 m_copyJob = 0;   // the latest copySelection(): an older copy's text is dropped
    bool m_copyPending = false;          // a copy's text is being made on the thread pool
    QMetaObject::Connection m_copyWatch; // the clipboard, watched meanwhile
    int m_synchronousCopyRows = 5000; // about 15 ms of text
    std::shared_ptr<const MigrationGraph> m_declaredGraph; // the files' own graph, from the last load
    QAction *m_retryAction = nullptr;
    QAction *m_settingsAction = nullptr;

    QComboBox *m_appFilter = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QLabel *m_countsLabel = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QProgressBar *m_busy = nullptr;
    QAction *m_historyAction = nullptr;
    QAction *m_focusSearchAction = nullptr;
    QAction *m_resetFiltersAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_openFileAction = nullptr;
};
