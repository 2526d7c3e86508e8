#pragma once

#include "console/outputchannel.h"
#include "operations/operationcatalog.h"
#include "plan/plan.h"
#include "plan/runresult.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <utility>

struct BackupInfo;
class ConfirmationDialog;
class OperationController;
class PlanPreviewDialog;
class QAction;
class QWidget;

// One plan on its way to running. A caller that shows the plan itself (the operations panel's
// preview with its choices, the reset wizard's checklist) says so; one that also asked for the
// typed word (the wizard) passes what was typed as the database name.
struct RunRequest
{
    Plan plan;
    QString title;            // what the dialogs call it; empty: the plan's title
    int fromStep = 0;         // resume from this step
    bool previewed = false;   // the caller showed the exact plan
    bool confirmed = false;   // the caller asked for the typed confirmation
    QString typedDatabaseName; // with confirmed: the database name typed there
    // What the typed confirmation of a destructive plan asks (empty: defaultConfirmation()).
    Confirmation confirmation;
    // Doctor and backup plans write into folders the runner does not create: made only after
    // the user said yes.
    bool createOutputFolders = false;
    // The plan passed every check and starts now (the caller marks its run as its own).
    std::function<void()> starting;
    // The production guard refused it: nothing ran.
    std::function<void(const QString &refusal)> refused;
    // The plan ended (any outcome).
    std::function<void(const RunResult &result)> finished;
};

// Every run of the GUI takes this one path: preview → typed confirmation when destructive →
// production guard → output folders → run → result. The dialogs are window-modal and never block
// the caller (open(), not exec()); when the project changes under an open dialog the plan is
// dropped. After any run that failed it offers the way on: the migrate hints, starting the stopped
// services, the backup this very run took (failureBanner()).
class RunFlow : public QObject
{
    Q_OBJECT
public:
    RunFlow(OperationController *controller, QWidget *dialogParent);
    ~RunFlow() override;

    OperationController *controller() const { return m_controller; }

    // Starts request's flow. False when it cannot start (a plan runs, no project, an empty plan,
    // another flow's dialogs are open) or was refused before any dialog.
    bool start(RunRequest request);
    // A flow waits for the user in one of its dialogs.
    bool isAsking() const { return m_asking; }
    // Closes the dialogs of a waiting flow (the project changed): nothing runs.
    void abandon();

    PlanPreviewDialog *previewDialog() const;
    ConfirmationDialog *confirmationDialog() const;

    // What a destructive plan without a confirmation of its own asks to type.
    static Confirmation defaultConfirmation(const QString &title);

signals:
    // The production guard refused a plan (also a message(), and told to the request's refused()).
    void refused(const QString &refusal);
    // A run failed: show this with these buttons (owned by the flow, valid until the next run).
    void failureBanner(MessageLevel level, const QString &text, const QList<QAction *> &actions);
    void failureBannerCleared();
    // The buttons of a failure banner: run an operation with these option values, open the
    // Doctor, restore the backup the failed run took.
    void operationRequested(const QString &operation, const QHash<QString, QString> &values);
    void doctorRequested();
    void restoreRequested(const QString &backupId);
    // A plan finished (any outcome): the status table must be read again.
    void runEnded(const RunResult &result);
    // Why a plan the user said yes to did not start (for the console).
    void message(const QString &text, MessageLevel level);

private:
    void preview();
    void confirm();
    bool guardAndRun(); // false: refused, or the run did not start
    bool stillCurrent() const; // the project is still the one the plan was built for
    void finish();
    void onRunFinished(const RunResult &result);
    void offerWayOn(const RunResult &result);
    QAction *bannerAction(const QString &text, const QString &toolTip);
    QAction *restoreAction(const BackupInfo &backup);

    OperationController *m_controller;
    QWidget *m_dialogParent;
    RunRequest m_request;       // the flow waiting in a dialog or running
    bool m_asking = false;
    bool m_running = false;     // m_request's plan runs (its finished() is due)
    QPointer<PlanPreviewDialog> m_preview;
    QPointer<ConfirmationDialog> m_confirmation;
    QObject *m_bannerActions = nullptr; // parent of the current banner's actions
};
