#pragma once

#include "console/outputchannel.h"
#include "operations/operationcatalog.h"
#include "plan/runresult.h"
#include "project/projectconfig.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class CommitDialog;
class ConfirmationDialog;
class OperationController;
class PlanPreviewDialog;
class RunFlow;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;
class QVBoxLayout;
class ResetWizard;
class SuperuserDialog;

// One button per operation of the catalog, grouped as the catalog groups them (Inspect, Reset
// steps, Database, Repair), each with the exact commands for the current project as its tooltip.
// A click walks the operation through its dialogs — input (superuser, commit) → preview → typed
// confirmation when destructive — and hands the plan to the RunFlow (which asks for the typed
// confirmation and runs it). While a plan runs the buttons are disabled and Stop (Esc) is live.
// Operations added to the catalog appear here without a change; only their optional inputs are
// specific.
class OperationsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit OperationsPanel(RunFlow *flow, QWidget *parent = nullptr);
    ~OperationsPanel() override;

    void setProject(const ProjectConfig &config);

    QAction *action(const QString &operation) const { return m_actions.value(operation); }
    QList<QAction *> operationActions() const;
    QAction *stopAction() const { return m_stopAction; }
    QToolButton *button(const QString &operation) const { return m_buttons.value(operation); }
    // Adds the grouped operations and Stop to menu (the main window's Operations menu).
    void populateMenu(QMenu *menu) const;

    // The dialogs of the operation in progress (tests drive them; null when none is open).
    PlanPreviewDialog *previewDialog() const;
    ConfirmationDialog *confirmationDialog() const;
    SuperuserDialog *superuserDialog() const;
    CommitDialog *commitDialog() const;
    ResetWizard *resetWizard() const;

public slots:
    // Starts operation's dialogs with these option values preset (a hint's "Re-run with
    // --fake-initial" passes fake-initial=1). Ignored while a plan runs or another operation's
    // dialogs are open.
    void trigger(const QString &operation, const QHash<QString, QString> &values = {});
    // Opens the automated reset's wizard in resume mode at fromStep of an earlier session's run
    // (its journal's step descriptions). Ignored while a plan runs.
    void resumeReset(int fromStep, const QStringList &steps);

private:
    struct Request
    {
        QString name;
        OperationOptions options;
        quint64 factsId = 0;
        bool factsKnown = false;
        bool fakeInitialOffered = false; // migrate: --fake-initial was chosen for the user once
        Plan plan;
    };

    void showResetWizard();
    void reopenResetWizard();
    void offerFakeInitial();
    void buildButtons();
    void updateTooltips();
    void updateEnabled();
    void onRunningChanged(bool running);
    void onStepStarted(int index, const QString &description);
    void onFactsRead(quint64 id, const GuideFacts &facts);

    void askSuperuser();
    void askCommit();
    void openPreview();
    void requestFacts();
    void rebuildPreview();
    void confirmOrRun();
    void endRequest();
    void rehearse();
    QString rehearsalKey() const;
    void onRunFinished(const RunResult &result);

    RunFlow *m_flow;
    OperationController *m_controller;
    ProjectConfig m_config;
    QVBoxLayout *m_groupsLayout = nullptr;
    QHash<QString, QAction *> m_actions;
    QHash<QString, QToolButton *> m_buttons;
    QAction *m_stopAction = nullptr;
    QToolButton *m_stopButton = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_runLabel = nullptr;

    // Plans (rehearsalKey()) whose rehearsal passed, with the time it did.
    QHash<QString, QString> m_rehearsed;
    QString m_rehearsing; // the preview text of the plan being rehearsed
    QPair<QString, QHash<QString, QString>> m_pendingAfterRehearsal; // operation and choices to preview again
    bool m_inRequest = false;
    Request m_request;
    QPointer<PlanPreviewDialog> m_preview;
    QPointer<SuperuserDialog> m_superuser;
    QPointer<CommitDialog> m_commit;
    QPointer<ResetWizard> m_wizard;
};
