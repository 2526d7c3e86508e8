#include "runflow.h"

#include "schema/schemacheck.h"

#include "confirmationdialog.h"
#include "operationcontroller.h"
#include "planpreviewdialog.h"

#include "doctor/planexecution.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/migrateoutputadvisor.h"
#include "plan/planrenderer.h"
#include "targets/targets.h"
#include "safety/backupstore.h"
#include "safety/productionguard.h"

#include <QAction>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QWidget>

RunFlow::RunFlow(OperationController *controller, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_controller(controller)
    , m_dialogParent(dialogParent)
{
    connect(m_controller, &OperationController::runningChanged, this, [this](bool running) {
        if (running)
            emit failureBannerCleared(); // the banner about the previous run is out of date
    });
    // Every run the controller makes, also those started without a flow, ends here.
    connect(m_controller, &OperationController::runFinished, this, &RunFlow::onRunFinished);
}

RunFlow::~RunFlow() = default;

PlanPreviewDialog *RunFlow::previewDialog() const { return m_preview; }
ConfirmationDialog *RunFlow::confirmationDialog() const { return m_confirmation; }

Confirmation RunFlow::defaultConfirmation(const QString &title)
{
    Confirmation confirmation;
    confirmation.question = tr("Run “%1”? It changes the database or the project's files.").arg(title);
    confirmation.typedWord = QStringLiteral("APPLY");
    confirmation.undo = tr("A backup is taken first; undo it from the Backups panel.");
    return confirmation;
}

bool RunFlow::start(RunRequest request)
{
    if (m_asking || m_controller->isRunning() || !m_controller->hasProject() || request.plan.steps.isEmpty())
        return false;
    if (request.title.isEmpty())
        request.title = request.plan.title;
    m_request = std::move(request);
    m_asking = true;
    if (!m_request.previewed) {
        preview();
        return true;
    }
    if (m_request.plan.destructive && !m_request.confirmed) {
        confirm();
        return true;
    }
    return guardAndRun();
}

void RunFlow::abandon()
{
    for (QDialog *dialog : std::initializer_list<QDialog *>{m_preview, m_confirmation}) {
        if (dialog)
            dialog->close(); // finished(Rejected): the flow ends there
    }
    if (m_asking)
        finish();
}

bool RunFlow::stillCurrent() const
{
    return m_controller->hasProject() && m_request.plan.projectRoot == m_controller->config().root;
}

void RunFlow::preview()
{
    m_preview = new PlanPreviewDialog(m_dialogParent);
    m_preview->setAttribute(Qt::WA_DeleteOnClose);
    m_preview->setOperation(m_request.title, m_request.plan.title, m_request.plan.destructive);
    m_preview->setPlanText(PlanRenderer::render(m_request.plan), {});
    connect(m_preview, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted || !stillCurrent())
            return finish();
        if (m_request.plan.destructive && !m_request.confirmed)
            return confirm();
        guardAndRun();
    });
    m_preview->open();
}

void RunFlow::confirm()
{
    Confirmation confirmation = m_request.confirmation.question.isEmpty() && m_request.confirmation.typedWord.isEmpty()
                                          ? defaultConfirmation(m_request.title)
                                          : m_request.confirmation;
    // The backup that will be taken, by name: where to find it if the run goes wrong.
    if (!m_request.plan.backupDir.isEmpty())
        confirmation.undo += tr("\nThis run's backup: %1").arg(QFileInfo(m_request.plan.backupDir).fileName());
    const ProjectConfig config = m_controller->config();
    m_confirmation = new ConfirmationDialog(m_request.title, confirmation, QString(), ProductionGuard::reasons(config),
                                            config.db.name, m_dialogParent);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirmation, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted || !stillCurrent())
            return finish();
        m_request.typedDatabaseName = m_confirmation->typedDatabaseName();
        guardAndRun();
    });
    m_confirmation->open();
}

bool RunFlow::guardAndRun()
{
    const QString refusal = ProductionGuard::refusal(m_controller->config(), m_request.plan, m_request.typedDatabaseName);
    if (!refusal.isEmpty()) {
        const auto refusedCallback = m_request.refused;
        finish();
        emit message(refusal, MessageLevel::Error);
        emit refused(refusal);
        if (refusedCallback)
            refusedCallback(refusal);
        return false;
    }
    // Only now, after the user said yes: the plan's backup folders may be created.
    QString error;
    if (m_request.createOutputFolders && !PlanExecution::prepareOutputFolders(m_request.plan, &error)) {
        finish();
        emit message(error, MessageLevel::Error);
        return false;
    }
    if (m_request.starting)
        m_request.starting();
    m_asking = false;
    m_running = true;
    if (m_controller->run(m_request.plan, m_request.fromStep))
        return true;
    finish();
    return false;
}

void RunFlow::finish()
{
    m_asking = false;
    m_running = false;
    m_request = RunRequest(); // a superuser password lives no longer than its run
}

void RunFlow::onRunFinished(const RunResult &result)
{
    const auto finished = m_running ? std::exchange(m_request.finished, {}) : std::function<void(const RunResult &)>();
    if (m_running)
        finish();
    offerWayOn(result);
    emit runEnded(result);
    if (finished)
        finished(result);
}

// After a failure: what the output says to do next, as buttons of the failure banner.
void RunFlow::offerWayOn(const RunResult &result)
{
    delete m_bannerActions;
    m_bannerActions = new QObject(this);
    if (result.success)
        return;
    const Plan failed = m_controller->currentPlan();
    const BackupInfo backup = failed.backupDir.isEmpty() ? BackupInfo() : BackupStore::read(failed.backupDir);
    const bool backupTaken = failed.destructive && backup.complete;
    if (result.cancelled) {
        // Stopped before its backup was complete, nothing was changed yet: nothing to offer.
        if (!backupTaken)
            return;
        const QString at = QLocale().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm"));
        QString text = tr("%1 was stopped at step %2 of %3, after its backup: the project may be half changed.")
                           .arg(result.title)
                           .arg(result.failedStep >= 0 ? result.failedStep + 1 : int(result.steps.size()))
                           .arg(failed.steps.size());
        text += tr("\nThe backup of %1 (%2) holds everything as it was before this run.").arg(at, backup.contents());
        emit failureBanner(MessageLevel::Warning, text, {restoreAction(backup)});
        return;
    }
    const ProjectConfig config = m_controller->config();
    QString text = result.message;
    if (!result.problems.isEmpty())
        text += QLatin1Char('\n') + result.problems.join(QLatin1Char('\n'));
    if (!result.errorTail.isEmpty()) {
        const QStringList lines = result.errorTail.trimmed().split(QLatin1Char('\n'));
        text += QLatin1Char('\n') + lines.mid(qMax(0, int(lines.size()) - 3)).join(QLatin1Char('\n'));
    }
    QList<QAction *> actions;
    if (result.failedCommand.contains(QLatin1String("manage.py migrate"))) {
        MigrateAdviceContext context;
        context.projectApps = GuideFactsReader::projectApps(config);
        context.fakeInitialUsed = result.failedCommand.contains(QLatin1String("--fake-initial"));
        MigrateOutputAdvisor::phraseFor(*Targets::forProject(config), &context);
        const QList<MigrateHint> hints = MigrateOutputAdvisor::advise(m_controller->lastStepOutput(), context);
        for (const MigrateHint &hint : hints) {
            text += QStringLiteral("\n%1: %2").arg(hint.title, hint.detail);
            switch (hint.action) {
            case MigrateHint::Action::RerunWithFakeInitial: {
                QAction *a = bannerAction(tr("Re-run with --fake-initial"), hint.command);
                a->setObjectName(QStringLiteral("hintFakeInitial"));
                const QString op = hint.operation.isEmpty() ? QStringLiteral("migrate") : hint.operation;
                QHash<QString, QString> values = hint.values;
                values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
                connect(a, &QAction::triggered, this, [this, op, values] { emit operationRequested(op, values); });
                actions << a;
                break;
            }
            case MigrateHint::Action::OpenDoctor: {
                QAction *a = bannerAction(tr("Open Doctor"), tr("Find and repair the inconsistent history"));
                a->setObjectName(QStringLiteral("hintDoctor"));
                connect(a, &QAction::triggered, this, &RunFlow::doctorRequested);
                actions << a;
                break;
            }
            case MigrateHint::Action::RunOperation: {
                const Operation *op = OperationCatalog::find(hint.operation);
                if (!op)
                    break;
                QAction *a = bannerAction(tr("Run %1…").arg(op->title), hint.command);
                const QString name = hint.operation;
                const QHash<QString, QString> values = hint.values;
                connect(a, &QAction::triggered, this, [this, name, values] { emit operationRequested(name, values); });
                actions << a;
                break;
            }
            case MigrateHint::Action::None:
                break;
            }
            if (!hint.command.isEmpty())
                text += QStringLiteral("\n  → %1").arg(hint.command);
        }
    }
    // The schema check refused a fake: offer the alignment it computed, previewed.
    bool regenerated = false;
    if (result.failedStep >= 0 && result.failedStep < failed.steps.size()
        && SchemaCheck::isGuardStep(failed.steps.at(result.failedStep), &regenerated)
        && result.message.contains(QLatin1String("align-schema"))) {
        QAction *a = bannerAction(tr("Align tables…"), tr("Preview the SQL that makes the tables what the migrations create"));
        a->setObjectName(QStringLiteral("alignSchema"));
        QHash<QString, QString> values;
        if (regenerated)
            values.insert(GuideOption::Regenerated, QStringLiteral("1"));
        connect(a, &QAction::triggered, this, [this, values] { emit operationRequested(QStringLiteral("align-schema"), values); });
        actions << a;
    }
    // A service the plan needs is stopped (its pre-flight said so): offer to start it.
    static const QRegularExpression stopped(QStringLiteral("The (\\S+) service is not running"));
    QStringList stoppedServices;
    for (const QString &problem : result.problems) {
        const QRegularExpressionMatch m = stopped.match(problem);
        if (m.hasMatch() && !stoppedServices.contains(m.captured(1)))
            stoppedServices << m.captured(1);
    }
    const QList<ProcessStep> startSteps = Targets::forProject(config)->startServices(stoppedServices);
    if (!startSteps.isEmpty()) {
        RunRequest start;
        start.plan.id = QStringLiteral("start-services");
        start.plan.title = tr("Start %1").arg(stoppedServices.join(QStringLiteral(", ")));
        start.plan.projectRoot = config.root;
        for (const ProcessStep &step : startSteps)
            start.plan.steps << step;
        start.previewed = start.confirmed = true; // the button's tooltip is its preview; nothing is lost
        QAction *a = bannerAction(start.plan.title, PlanRenderer::render(start.plan).section(QLatin1Char('\n'), -2).trimmed());
        a->setObjectName(QStringLiteral("startServices"));
        connect(a, &QAction::triggered, this, [this, start] { this->start(start); });
        actions << a;
    }
    // Past its backup, the way back comes first: the backup this very run took.
    if (backupTaken) {
        const QString at = QLocale().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm"));
        actions.prepend(restoreAction(backup));
        text += tr("\nThe backup of %1 (%2) holds everything as it was before this run.").arg(at, backup.contents());
    }
    emit failureBanner(MessageLevel::Error, text, actions);
}

// "Restore the backup of 09:39": opens the restore's preview (nothing runs without it).
QAction *RunFlow::restoreAction(const BackupInfo &backup)
{
    const QString at = QLocale().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm"));
    QAction *a = bannerAction(tr("Restore the backup of %1").arg(at),
                              tr("%1 — as it was before this run").arg(backup.contents()));
    a->setObjectName(QStringLiteral("restoreRunBackup"));
    const QString id = backup.id;
    connect(a, &QAction::triggered, this, [this, id] { emit restoreRequested(id); });
    return a;
}

QAction *RunFlow::bannerAction(const QString &text, const QString &toolTip)
{
    auto *action = new QAction(text, m_bannerActions);
    action->setToolTip(toolTip);
    return action;
}
