#pragma once

#include "operations/operationcatalog.h"
#include "plan/runresult.h"

#include <QDialog>
#include <QList>
#include <QString>

#include <memory>

class OperationController;
class QPushButton;
class RunFlow;
namespace Ui { class ResetWizard; }

// The automated migration reset (operation "reset-migrations") as a checklist: every step of the
// plan with its state, the exact preview, the options (superuser, commit), the typed word RESET.
// The run stops at the first failing step; after the user fixed the cause, "Resume" runs the
// same plan again from that step (the steps before it are not repeated). The checklist is the
// preview and RESET the typed confirmation; the guard and the run are the RunFlow's.
class ResetWizard : public QDialog
{
    Q_OBJECT
public:
    enum class StepState { Pending, Running, Done, Failed, Skipped };
    Q_ENUM(StepState)

    explicit ResetWizard(RunFlow *flow, QWidget *parent = nullptr);
    ~ResetWizard() override;

    Plan plan() const { return m_plan; }
    int stepCount() const { return int(m_states.size()); }
    StepState stepState(int index) const { return m_states.value(index, StepState::Pending); }
    int failedStep() const { return m_failedStep; }
    bool isReady() const; // facts read, plan built, nothing blocks it (the typed word aside)
    QString previewText() const;
    QStringList problems() const { return m_problems; }

    QPushButton *runButton() const;
    QPushButton *rehearseButton() const;
    QPushButton *resumeButton() const;
    QPushButton *stopButton() const;
    // After a failed optional step (superuser, commit): go on without it.
    QPushButton *skipButton() const;
    // After a failure in this session: reopen with the options editable (optionsChangeRequested).
    QPushButton *changeOptionsButton() const;
    // The typed words, carried into the wizard that replaces this one: they are filled in once
    // the rebuilt plan matches the run to resume, never for a reset anew.
    QString confirmText() const;
    QString databaseNameText() const;
    void carryTypedWords(const QString &confirm, const QString &database);
    // The superuser and commit choices, to start the replacing wizard from (password included:
    // it lives no longer than the wizards).
    OperationOptions options() const { return m_options; }
    void takeChoices(const OperationOptions &from);
    // What the user types: "RESET" (and the database name on production-like projects).
    void setConfirmText(const QString &text);
    void setDatabaseNameText(const QString &text);
    // The superuser option without its dialog (tests, presets).
    void setSuperuser(const QString &username, const QString &email, const QString &password);
    // Resume mode (a run of an earlier session, from its journal): once the rebuilt plan has the
    // journal's steps from fromStep on, the steps before show as done and "Resume" runs the rest
    // after the typed word. steps: the journal's step descriptions, in plan order.
    void setResumePoint(int fromStep, const QStringList &steps);
    bool resumeMatches() const { return m_resumeMatches; }

signals:
    void runFinished(const RunResult &result);
    // The user wants other options before resuming a run that failed in this wizard: its plan is
    // fixed once started, so a new wizard takes over and offers the journaled resume (editable).
    void optionsChangeRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void done(int result) override; // every way it closes: Esc, reject(), closeEvent()
    void keyPressEvent(QKeyEvent *event) override;

private:
    void rehearse();
    void readFacts();
    void onFactsRead(quint64 id, const GuideFacts &facts);
    void rebuild();
    void updateButtons();
    void setStepState(int index, StepState state);
    void onSuperuserToggled(bool on);
    void askSuperuser();
    void start(int fromStep);
    void onRunStarted(const Plan &plan, int fromStep);
    void onStepStarted(int index);
    void onStepFinished(int index, int exitCode);
    void onRunFinished(const RunResult &result);
    void updateSuperuserLabel();
    void applyResumePoint();
    // Where the optional steps begin: the superuser's, then the commit's (both the plan's size
    // when the option is off).
    int superuserStart() const;
    int commitStart() const;
    bool failedStepIsOptional() const;
    void skipFailedStep();

    std::unique_ptr<Ui::ResetWizard> ui;
    RunFlow *m_flow;
    OperationController *m_controller;
    OperationOptions m_options;
    quint64 m_factsId = 0;
    bool m_factsKnown = false;
    Plan m_plan;
    QStringList m_problems;
    QList<StepState> m_states;
    bool m_ownRun = false;
    bool m_rehearsing = false;  // a rehearsal of m_plan runs (not the reset itself)
    QString m_rehearsedAt;      // when the last rehearsal passed, empty when none did
    bool m_started = false; // the plan is fixed once it ran: resume needs the same steps
    int m_failedStep = -1;
    bool m_succeeded = false;
    int m_resumeFrom = -1;       // resume mode: where the journal's run stopped
    QStringList m_resumeSteps;   // the journal's step descriptions
    bool m_resumeMatches = false; // the rebuilt plan is that run's plan from m_resumeFrom on
    QString m_carriedConfirm, m_carriedDatabase; // typed in the wizard this one replaced
    bool m_typedWordsCarried = false;            // they are in the fields now, for the resume
    QString m_refusal;           // why the last start was refused (production guard)
};
