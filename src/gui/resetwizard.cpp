#include "resetwizard.h"

#include "schema/rehearsal.h"

#include "stopconfirmation.h"

#include "operationcontroller.h"
#include "runflow.h"
#include "superuserdialog.h"
#include "ui_resetwizard.h"

#include "operations/guideoptions.h"
#include "plan/planrenderer.h"
#include "safety/productionguard.h"
#include "safety/runjournal.h"
#include "safety/safetysteps.h"

#include <QCloseEvent>
#include <algorithm>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPushButton>
#include <QTime>
#include <QStyle>

namespace {
const QString kOperation = QStringLiteral("reset-migrations");
}

ResetWizard::ResetWizard(RunFlow *flow, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::ResetWizard>())
    , m_flow(flow)
    , m_controller(flow->controller())
{
    const OperationController *controller = m_controller;
    ui->setupUi(this);
    setObjectName(QStringLiteral("resetWizard"));
    ui->previewText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->splitter->setStretchFactor(0, 2);
    ui->splitter->setStretchFactor(1, 3);
    ui->messageEdit->setText(GuideOption::DefaultCommitMessage);
    ui->confirmLabel->setText(tr("Type <b>%1</b> to confirm:").arg(GuideOption::ResetConfirmationWord));
    ui->confirmEdit->setPlaceholderText(GuideOption::ResetConfirmationWord);
    ui->confirmEdit->setAccessibleName(tr("Confirmation text"));

    const QStringList production = ProductionGuard::reasons(controller->config());
    const bool guarded = !production.isEmpty();
    ui->databaseLabel->setVisible(guarded);
    ui->databaseEdit->setVisible(guarded);
    if (guarded) {
        ui->databaseLabel->setText(tr("This looks like production (%1). Type the database name:")
                                       .arg(production.join(QStringLiteral("; "))));
        ui->databaseEdit->setPlaceholderText(controller->config().db.name);
    }

    // Theme icons (freedesktop names) first, the style's own as the fallback.
    ui->runButton->setIcon(QIcon::fromTheme(QStringLiteral("dialog-warning"), style()->standardIcon(QStyle::SP_MessageBoxWarning)));
    ui->runButton->setToolTip(tr("Run every step above, in order, stopping at the first failure"));
    ui->stopButton->setIcon(QIcon::fromTheme(QStringLiteral("process-stop"), style()->standardIcon(QStyle::SP_BrowserStop)));
    ui->stopButton->setToolTip(tr("Stop the running step and everything it started (Esc)"));
    ui->resumeButton->setIcon(QIcon::fromTheme(QStringLiteral("media-playback-start"), style()->standardIcon(QStyle::SP_MediaPlay)));
    ui->closeButton->setToolTip(tr("Close the wizard (only when nothing runs)"));
    ui->superuserButton->setEnabled(false);
    ui->pushCheck->setEnabled(false);
    ui->messageEdit->setEnabled(false);
    ui->progressBar->setValue(0);

    connect(ui->runButton, &QPushButton::clicked, this, [this] { start(0); });
    connect(ui->rehearseButton, &QPushButton::clicked, this, &ResetWizard::rehearse);
    connect(ui->resumeButton, &QPushButton::clicked, this, [this] { start(m_failedStep); });
    connect(ui->stopButton, &QPushButton::clicked, this, [this] { StopConfirmation::request(m_controller, this); });
    connect(ui->closeButton, &QPushButton::clicked, this, &QWidget::close);
    connect(ui->skipButton, &QPushButton::clicked, this, &ResetWizard::skipFailedStep);
    connect(ui->changeOptionsButton, &QPushButton::clicked, this, &ResetWizard::optionsChangeRequested);
    ui->skipButton->setToolTip(tr("The reset itself is done; go on without this optional step (create the superuser or "
                                  "commit later from the Operations panel)"));
    ui->skipButton->hide();
    connect(ui->confirmEdit, &QLineEdit::textChanged, this, &ResetWizard::updateButtons);
    connect(ui->databaseEdit, &QLineEdit::textChanged, this, &ResetWizard::updateButtons);
    connect(ui->superuserCheck, &QCheckBox::toggled, this, &ResetWizard::onSuperuserToggled);
    connect(ui->superuserButton, &QPushButton::clicked, this, &ResetWizard::askSuperuser);
    connect(ui->commitCheck, &QCheckBox::toggled, this, [this](bool on) {
        ui->pushCheck->setEnabled(on);
        ui->messageEdit->setEnabled(on);
        m_options.values.insert(GuideOption::Commit, on ? QStringLiteral("1") : QStringLiteral("0"));
        readFacts(); // git's answer is read only when a commit is asked for
    });
    connect(ui->pushCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_options.values.insert(GuideOption::Push, on ? QStringLiteral("1") : QStringLiteral("0"));
        rebuild();
    });
    connect(ui->messageEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_options.values.insert(GuideOption::Message, text.trimmed());
        rebuild();
    });

    connect(m_controller, &OperationController::factsRead, this, &ResetWizard::onFactsRead);
    connect(m_controller, &OperationController::runStarted, this, &ResetWizard::onRunStarted);
    connect(m_controller, &OperationController::stepStarted, this, [this](int index) { onStepStarted(index); });
    connect(m_controller, &OperationController::stepFinished, this, &ResetWizard::onStepFinished);
    connect(m_controller, &OperationController::runFinished, this, &ResetWizard::onRunFinished);
    connect(m_controller, &OperationController::runningChanged, this, &ResetWizard::updateButtons);

    m_options = m_controller->baseOptions();
    m_options.values.insert(GuideOption::Message, GuideOption::DefaultCommitMessage);
    updateSuperuserLabel();
    readFacts();
}

ResetWizard::~ResetWizard() = default;

QPushButton *ResetWizard::runButton() const { return ui->runButton; }
QPushButton *ResetWizard::rehearseButton() const { return ui->rehearseButton; }
QPushButton *ResetWizard::resumeButton() const { return ui->resumeButton; }
QPushButton *ResetWizard::stopButton() const { return ui->stopButton; }
QPushButton *ResetWizard::skipButton() const { return ui->skipButton; }
QPushButton *ResetWizard::changeOptionsButton() const { return ui->changeOptionsButton; }
QString ResetWizard::confirmText() const { return ui->confirmEdit->text(); }
QString ResetWizard::databaseNameText() const { return ui->databaseEdit->text(); }

void ResetWizard::takeChoices(const OperationOptions &from)
{
    if (from.flag(GuideOption::Superuser))
        setSuperuser(from.values.value(GuideOption::Username), from.values.value(GuideOption::Email),
                     from.superuserPassword);
    ui->commitCheck->setChecked(from.flag(GuideOption::Commit));
    ui->pushCheck->setChecked(from.flag(GuideOption::Push));
    if (from.values.contains(GuideOption::Message))
        ui->messageEdit->setText(from.values.value(GuideOption::Message));
}

void ResetWizard::carryTypedWords(const QString &confirm, const QString &database)
{
    m_carriedConfirm = confirm;
    m_carriedDatabase = database;
}
void ResetWizard::setConfirmText(const QString &text) { ui->confirmEdit->setText(text); }
void ResetWizard::setDatabaseNameText(const QString &text) { ui->databaseEdit->setText(text); }
QString ResetWizard::previewText() const { return ui->previewText->toPlainText(); }

bool ResetWizard::isReady() const
{
    return m_factsKnown && !m_plan.steps.isEmpty() && m_problems.isEmpty();
}

void ResetWizard::setSuperuser(const QString &username, const QString &email, const QString &password)
{
    m_options.values.insert(GuideOption::Username, username);
    m_options.values.insert(GuideOption::Email, email);
    m_options.superuserPassword = password;
    const QSignalBlocker blocker(ui->superuserCheck);
    ui->superuserCheck->setChecked(true);
    ui->superuserButton->setEnabled(true);
    m_options.values.insert(GuideOption::Superuser, QStringLiteral("1"));
    updateSuperuserLabel();
    readFacts(); // is that username taken already? (read with the other facts)
}

void ResetWizard::setResumePoint(int fromStep, const QStringList &steps)
{
    if (m_started)
        return;
    m_resumeFrom = fromStep;
    m_resumeSteps = steps;
    // The journaled run's backup folder already holds its dump and copies: the resumed plan
    // completes that backup rather than starting a second, partial one.
    const JournalEntry entry = Journal::read(Journal::pathFor(m_controller->config().root, kOperation));
    if (fromStep >= 0 && !entry.backupDir.isEmpty())
        m_options.values.insert(SafetySteps::BackupDirOption, entry.backupDir);
    else
        m_options.values.remove(SafetySteps::BackupDirOption);
    rebuild();
}

void ResetWizard::applyResumePoint()
{
    m_resumeMatches = false;
    if (m_resumeFrom < 0)
        return;
    bool same = m_plan.steps.size() == m_resumeSteps.size() && m_resumeFrom < m_plan.steps.size();
    // The reset's own steps must be the same as then; the optional ones may be edited (another
    // superuser name or e-mail, another commit message) as long as they are still there.
    const int optional = superuserStart();
    for (int i = m_resumeFrom; same && i < std::min(optional, int(m_plan.steps.size())); ++i)
        same = stepDescription(m_plan.steps.at(i)) == m_resumeSteps.at(i);
    if (!same) {
        // A reset anew asks for the words again: carried ones were typed for the resume.
        m_carriedConfirm.clear();
        m_carriedDatabase.clear();
        if (std::exchange(m_typedWordsCarried, false)) {
            ui->confirmEdit->clear();
            ui->databaseEdit->clear();
        }
        m_failedStep = -1;
        ui->statusLabel->setText(tr("<span style='color:#c0392b'>The plan differs from the unfinished run from "
                                    "step %1 on: choose the same options as then (superuser, commit) to resume "
                                    "it, or run the reset anew.</span>")
                                     .arg(m_resumeFrom + 1));
        return;
    }
    m_resumeMatches = true;
    m_failedStep = m_resumeFrom;
    if (!m_carriedConfirm.isEmpty()) {
        ui->confirmEdit->setText(std::exchange(m_carriedConfirm, QString()));
        ui->databaseEdit->setText(std::exchange(m_carriedDatabase, QString()));
        m_typedWordsCarried = true;
    }
    for (int i = 0; i < m_resumeFrom; ++i)
        setStepState(i, StepState::Done);
    setStepState(m_resumeFrom, StepState::Failed);
    ui->statusLabel->setText(tr("An earlier run stopped at step %1 (%2). Fix the cause, type %3, then resume: "
                                "the steps before it are not repeated.")
                                 .arg(m_resumeFrom + 1)
                                 .arg(m_resumeSteps.at(m_resumeFrom).toHtmlEscaped(), GuideOption::ResetConfirmationWord));
}

void ResetWizard::readFacts()
{
    if (m_started)
        return;
    m_factsKnown = false;
    ui->statusLabel->setText(tr("Reading the history, the files and the tables…"));
    updateButtons();
    m_controller->cancelFacts(m_factsId); // read again with the new options
    m_factsId = m_controller->readFacts(kOperation, m_options);
}

void ResetWizard::onFactsRead(quint64 id, const GuideFacts &facts)
{
    if (id != m_factsId || m_started)
        return;
    m_options.facts = facts;
    m_factsKnown = true;
    ui->statusLabel->clear();
    rebuild();
}

void ResetWizard::rebuild()
{
    if (m_started || !m_factsKnown)
        return updateButtons();
    m_plan = OperationCatalog::build(kOperation, m_controller->config(), m_options);
    m_problems = OperationCatalog::blockers(kOperation, m_controller->config(), m_options);
    // Resuming: facts of the skipped steps describe the state after them (files already deleted).
    if (m_resumeFrom > 0)
        m_problems.removeIf([](const QString &p) { return p.startsWith(QLatin1String("There is no migration file")); });
    // Checked before the first destructive step, not found out at the last one.
    if (m_options.flag(GuideOption::Superuser) && m_options.values.value(GuideOption::Email).trimmed().isEmpty())
        m_problems << tr("The superuser has no e-mail: createsuperuser --noinput refuses to run without one, after "
                         "the history and the files were already reset. Give an e-mail (Superuser…).");
    ui->previewText->setPlainText(PlanRenderer::render(m_plan));

    ui->stepsList->clear();
    m_states.clear();
    for (int i = 0; i < m_plan.steps.size(); ++i) {
        ui->stepsList->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(stepDescription(m_plan.steps.at(i))));
        m_states << StepState::Pending;
        setStepState(i, StepState::Pending);
    }
    ui->progressBar->setRange(0, int(m_plan.steps.size()));
    ui->progressBar->setValue(0);
    applyResumePoint();

    QString html;
    if (!m_problems.isEmpty()) {
        html = tr("<b style='color:#c0392b'>Cannot run yet:</b><ul>");
        for (const QString &p : std::as_const(m_problems))
            html += QStringLiteral("<li>%1</li>").arg(p.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    } else {
        const Confirmation c = OperationCatalog::confirmation(kOperation, m_controller->config(), m_options);
        html = QStringLiteral("<b>%1</b> %2<br>%3")
                   .arg(c.question.toHtmlEscaped(), c.items.join(QStringLiteral(" · ")).toHtmlEscaped(),
                        c.undo.toHtmlEscaped());
    }
    ui->problemLabel->setText(html);
    updateButtons();
}

void ResetWizard::updateButtons()
{
    const bool running = m_controller->isRunning();
    const bool typed = ui->confirmEdit->text() == GuideOption::ResetConfirmationWord
        && (ui->databaseEdit->isHidden() || ui->databaseEdit->text() == m_controller->config().db.name);
    ui->runButton->setEnabled(!m_started && !running && isReady() && typed);
    ui->runButton->setText(m_rehearsedAt.isEmpty() ? tr("&Run Reset without rehearsal")
                                                   : tr("&Run Reset (rehearsal passed %1)").arg(m_rehearsedAt));
    ui->rehearseButton->setEnabled(!m_started && !running && isReady());
    ui->stopButton->setEnabled(running && m_ownRun);
    // A run of an earlier session is resumed only after the typed word, as a new run would be.
    const bool journalResumable = !m_started && m_resumeMatches && isReady() && typed;
    const bool resumable = !running && !m_succeeded && m_failedStep >= 0 && (m_started || journalResumable);
    ui->resumeButton->setEnabled(resumable);
    ui->resumeButton->setVisible((m_started || m_resumeMatches) && !m_succeeded);
    if (m_failedStep >= 0 && m_failedStep < m_plan.steps.size())
        ui->resumeButton->setText(tr("R&esume from step %1").arg(m_failedStep + 1));
    ui->closeButton->setEnabled(!(running && m_ownRun));
    const bool skippable = !running && (m_started || m_resumeMatches) && !m_succeeded && failedStepIsOptional();
    ui->skipButton->setVisible(skippable);
    ui->skipButton->setEnabled(skippable);
    ui->optionsGroup->setEnabled(!m_started && !running);
    // Only a run of this wizard fixed its plan; a journaled resume is already editable.
    const bool changeable = m_started && !running && !m_succeeded && m_failedStep >= 0;
    ui->changeOptionsButton->setVisible(changeable);
    ui->changeOptionsButton->setEnabled(changeable);
    ui->confirmEdit->setEnabled(!m_started);
    ui->databaseEdit->setEnabled(!m_started);
}

void ResetWizard::setStepState(int index, StepState state)
{
    if (index < 0 || index >= m_states.size())
        return;
    m_states[index] = state;
    QListWidgetItem *item = ui->stepsList->item(index);
    QStyle::StandardPixmap icon = QStyle::SP_CustomBase;
    QString label;
    switch (state) {
    case StepState::Pending: label = tr("pending"); break;
    case StepState::Running: icon = QStyle::SP_MediaPlay; label = tr("running"); break;
    case StepState::Done: icon = QStyle::SP_DialogApplyButton; label = tr("done"); break;
    case StepState::Failed: icon = QStyle::SP_MessageBoxCritical; label = tr("failed"); break;
    case StepState::Skipped: icon = QStyle::SP_MediaStop; label = tr("stopped"); break;
    }
    item->setIcon(icon == QStyle::SP_CustomBase ? QIcon() : style()->standardIcon(icon));
    item->setToolTip(tr("Step %1: %2").arg(index + 1).arg(label));
    item->setData(Qt::UserRole, int(state));
    QFont font = item->font();
    font.setBold(state == StepState::Running || state == StepState::Failed);
    item->setFont(font);
    if (state == StepState::Running || state == StepState::Failed || state == StepState::Skipped)
        ui->stepsList->scrollToItem(item);
    int done = 0;
    for (StepState s : std::as_const(m_states))
        done += s == StepState::Done ? 1 : 0;
    ui->progressBar->setValue(done);
}

int ResetWizard::superuserStart() const
{
    OperationOptions without = m_options;
    without.values.insert(GuideOption::Superuser, QStringLiteral("0"));
    without.values.insert(GuideOption::Commit, QStringLiteral("0"));
    return int(OperationCatalog::build(kOperation, m_controller->config(), without).steps.size());
}

int ResetWizard::commitStart() const
{
    OperationOptions without = m_options;
    without.values.insert(GuideOption::Commit, QStringLiteral("0"));
    return int(OperationCatalog::build(kOperation, m_controller->config(), without).steps.size());
}

bool ResetWizard::failedStepIsOptional() const
{
    return m_failedStep >= 0 && m_failedStep < m_plan.steps.size() && m_failedStep >= superuserStart();
}

// A failed superuser or commit step leaves a finished reset behind: skipping it goes on with the
// commit (after the superuser) or ends the run as done.
void ResetWizard::skipFailedStep()
{
    if (m_controller->isRunning() || !failedStepIsOptional())
        return;
    const int skipped = m_failedStep;
    const int next = skipped < commitStart() ? commitStart() : int(m_plan.steps.size());
    for (int i = skipped; i < next; ++i)
        setStepState(i, StepState::Skipped);
    if (next < m_plan.steps.size())
        return start(next);
    // Nothing left to run: the reset is done without it, and no journal calls it unfinished.
    Journal::discard(m_controller->config().root, kOperation);
    m_succeeded = true;
    m_failedStep = -1;
    ui->statusLabel->setText(tr("<b style='color:#1e8449'>Done</b>, without step %1 (%2): run it later from the "
                                "Operations panel.")
                                 .arg(skipped + 1)
                                 .arg(stepDescription(m_plan.steps.at(skipped)).toHtmlEscaped()));
    updateButtons();
}

void ResetWizard::onSuperuserToggled(bool on)
{
    ui->superuserButton->setEnabled(on);
    m_options.values.insert(GuideOption::Superuser, on ? QStringLiteral("1") : QStringLiteral("0"));
    if (on && m_options.superuserPassword.isEmpty())
        return askSuperuser();
    updateSuperuserLabel();
    rebuild();
}

void ResetWizard::askSuperuser()
{
    auto *dialog = new SuperuserDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setUsername(m_options.values.value(GuideOption::Username));
    dialog->setEmail(m_options.values.value(GuideOption::Email));
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted) {
            setSuperuser(dialog->username(), dialog->email(), dialog->password());
        } else if (m_options.superuserPassword.isEmpty()) {
            ui->superuserCheck->setChecked(false); // nothing to create it with
        }
    });
    dialog->open();
}

void ResetWizard::updateSuperuserLabel()
{
    const QString user = m_options.values.value(GuideOption::Username);
    ui->superuserLabel->setText(ui->superuserCheck->isChecked() && !user.isEmpty()
                                    ? tr("Superuser %1 (password set, passed only through the environment)").arg(user)
                                    : QString());
}

void ResetWizard::start(int fromStep)
{
    if (m_controller->isRunning() || m_plan.steps.isEmpty())
        return;
    RunRequest request;
    request.plan = m_plan;
    request.fromStep = fromStep;
    request.previewed = request.confirmed = true; // the checklist above, and RESET typed
    request.typedDatabaseName = ui->databaseEdit->text();
    // A run anew, not the journaled resume: it must not overwrite the earlier run's backup.
    OperationOptions options = m_options;
    if (fromStep == 0 && options.values.remove(SafetySteps::BackupDirOption) > 0)
        request.plan = OperationCatalog::build(kOperation, m_controller->config(), options);
    request.starting = [this, fromStep, options, plan = request.plan] {
        m_options = options;
        m_plan = plan;
        m_ownRun = true;
        m_started = true;
        m_succeeded = false;
        for (int i = fromStep; i < m_states.size(); ++i)
            setStepState(i, StepState::Pending);
    };
    m_refusal.clear();
    request.refused = [this](const QString &refusal) {
        m_refusal = refusal;
        ui->statusLabel->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(refusal.toHtmlEscaped()));
    };
    if (!m_flow->start(std::move(request)) && m_refusal.isEmpty()) {
        m_ownRun = false;
        ui->statusLabel->setText(tr("Another operation is running; try again when it finished."));
    }
    updateButtons();
}

// The whole reset on scratch copies (the checklist stays as it is: nothing of the project runs).
void ResetWizard::rehearse()
{
    if (m_controller->isRunning() || m_plan.steps.isEmpty())
        return;
    RunRequest request;
    request.plan = Rehearsal::plan(m_controller->config(), m_plan);
    request.previewed = request.confirmed = true; // the checklist above; nothing of the user's changes
    request.starting = [this] {
        m_rehearsing = true;
        ui->statusLabel->setText(tr("Rehearsing the reset on a scratch copy of the database…"));
    };
    m_flow->start(std::move(request));
    updateButtons();
}

void ResetWizard::onRunStarted(const Plan &, int fromStep)
{
    if (!m_ownRun)
        return;
    ui->statusLabel->setText(fromStep > 0 ? tr("Resuming from step %1…").arg(fromStep + 1) : tr("Running…"));
    m_failedStep = -1;
    updateButtons();
}

void ResetWizard::onStepStarted(int index)
{
    if (m_ownRun)
        setStepState(index, StepState::Running);
}

void ResetWizard::onStepFinished(int index, int exitCode)
{
    if (m_ownRun)
        setStepState(index, exitCode == 0 ? StepState::Done : StepState::Failed);
}

void ResetWizard::onRunFinished(const RunResult &result)
{
    if (m_rehearsing) {
        m_rehearsing = false;
        m_rehearsedAt = result.success ? QTime::currentTime().toString(QStringLiteral("HH:mm")) : QString();
        ui->statusLabel->setText(result.success
                                     ? tr("<b style='color:#1e8449'>Rehearsal passed.</b> Your database was not touched; the real run may follow.")
                                     : tr("<b style='color:#c0392b'>The rehearsal failed.</b> %1<br>Your database was not touched.")
                                           .arg(result.message.toHtmlEscaped()));
        updateButtons();
        return;
    }
    if (!m_ownRun)
        return;
    m_ownRun = false;
    m_succeeded = result.success;
    if (result.success) {
        ui->statusLabel->setText(tr("<b style='color:#1e8449'>Done.</b> %1").arg(result.message.toHtmlEscaped()));
    } else {
        // Pre-flight refusals name no step: resume where this run wanted to start.
        m_failedStep = result.failedStep >= 0 ? result.failedStep : result.firstStep;
        setStepState(m_failedStep, result.cancelled ? StepState::Skipped : StepState::Failed);
        QString text = result.message.toHtmlEscaped();
        for (const QString &p : result.problems)
            text += QStringLiteral("<br>") + p.toHtmlEscaped();
        if (!result.errorTail.isEmpty()) {
            const QStringList lines = result.errorTail.trimmed().split(QLatin1Char('\n'));
            text += QStringLiteral("<br><code>%1</code>")
                        .arg(lines.mid(qMax(0, int(lines.size()) - 3)).join(QLatin1Char('\n')).toHtmlEscaped());
        }
        ui->statusLabel->setText(tr("<b style='color:#c0392b'>%1</b> %2<br>Fix the cause, then resume from step %3. "
                                    "To change the superuser or commit settings first, choose Change Options: the "
                                    "wizard opens again and offers this resume with them editable.")
                                     .arg(result.cancelled ? tr("Stopped.") : tr("Failed."), text)
                                     .arg(m_failedStep + 1));
    }
    updateButtons();
    emit runFinished(result);
}

void ResetWizard::closeEvent(QCloseEvent *event)
{
    if (m_ownRun && m_controller->isRunning()) {
        event->ignore(); // Stop first: closing must not hide a run that is changing the project
        return;
    }
    QDialog::closeEvent(event); // rejects: done() below
}

void ResetWizard::done(int result)
{
    m_controller->cancelFacts(m_factsId); // its schema check is for this wizard only
    QDialog::done(result);
}

void ResetWizard::keyPressEvent(QKeyEvent *event)
{
    // Esc stops the run (as everywhere); it closes the wizard only when nothing runs.
    if (event->key() == Qt::Key_Escape && m_ownRun && m_controller->isRunning()) {
        StopConfirmation::request(m_controller, this);
        return;
    }
    QDialog::keyPressEvent(event);
}
