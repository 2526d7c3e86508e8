#pragma once

#include "operations/operationcatalog.h"
#include "plan/plan.h"
#include "project/projectconfig.h"
#include "safety/backupstore.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

class BackupModel;
class MessageBanner;
class QPushButton;
class QSpinBox;
class QTreeView;
namespace Ui {
class BackupsPanel;
}

// The Backups dock: every backup of the project (time, operation, size, what it covers) with
// its manifest and checksums. Restore and "Undo last change" build the safety core's restore
// plans and hand them to the owner (runPlanRequested), which confirms and runs them. Pruning is
// not a plan: the panel asks (pruneRequested) and the owner calls prune() once the user agreed.
//
// Reading the folder (every manifest, every file's size) and pruning run on the thread pool:
// with hundreds of backups they take seconds. Each start gets a job id; only the latest job's
// result is shown, so a project switched meanwhile never shows the old project's backups.
class BackupsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BackupsPanel(QWidget *parent = nullptr);
    ~BackupsPanel() override;

    // Options as for any plan: restore plans are built with them.
    void setProject(const ProjectConfig &config, const OperationOptions &options = {});
    ProjectConfig project() const { return m_config; }
    OperationOptions options() const { return m_options; }

    BackupModel *model() const { return m_model; }
    BackupInfo selectedBackup() const;
    bool selectBackup(const QString &id);

    // One line saying what restoring backup will do (for the owner's confirmation).
    static QString describe(const BackupInfo &backup);
    // The same for "Undo last change"; empty when there is nothing to undo.
    QString describeUndo() const;
    // What the last runPlanRequested() plan asks the user (what comes back, counted).
    Confirmation requestedConfirmation() const { return m_requestedConfirmation; }
    static Confirmation confirmationFor(const BackupInfo &backup, const QString &verb);
    // Backups prune(keep) would remove, and the bytes it would free.
    QStringList pruneCandidates(int keep, qint64 *bytes = nullptr) const;
    qint64 totalSize() const { return m_totalSize; }

    QTreeView *backupsView() const;
    QPushButton *restoreButton() const;
    QPushButton *undoButton() const;
    QPushButton *pruneButton() const;
    QSpinBox *keepSpin() const;
    QString detailsText() const; // plain text of the details pane
    MessageBanner *banner() const { return m_banner; }
    bool isLoading() const { return m_loading; } // a listing or a prune is on its way

public slots:
    // Re-reads the backups folder off the GUI thread; loaded() says when the list shows it.
    void reload();
    // Removes all but the newest keep backups (and half-made folders) off the GUI thread, then
    // shows what is left; pruned() follows, or the banner says why something could not be
    // deleted. Returns false when no prune was started (no project, a plan running).
    bool prune(int keep);
    void setPlanRunning(bool running);
    // Offers the restore of one backup (preview and confirmation as from the list), e.g. from the
    // banner of a run that failed after its backup was taken.
    void restoreBackup(const QString &id);

signals:
    void runPlanRequested(const Plan &plan, const QString &title);
    // The user asked to prune: confirm question, then call prune(keep).
    void pruneRequested(int keep, const QString &question);
    void pruned(const QStringList &removedIds);
    void loaded(); // the list shows the folder as a reload or a prune found it

private:
    struct Listing;
    static Listing listFolder(const ProjectConfig &config);
    void startJob(const std::function<Listing()> &work);
    void showListing(const Listing &listing);
    void onSelectionChanged();
    void requestRestore();
    void requestUndo();
    void requestPrune();
    void updateButtons();
    QString detailsHtml(const BackupInfo &backup) const;

    std::unique_ptr<Ui::BackupsPanel> ui;
    MessageBanner *m_banner;
    BackupModel *m_model;
    ProjectConfig m_config;
    OperationOptions m_options;
    qint64 m_totalSize = 0;
    bool m_planRunning = false;
    bool m_loading = false;
    bool m_pruning = false;
    bool m_reloadAfterPrune = false;
    quint64 m_jobId = 0;
    Confirmation m_requestedConfirmation;
};
