#include "operationspanel.h"

#include "commitdialog.h"
#include "confirmationdialog.h"
#include "operationcontroller.h"
#include "planpreviewdialog.h"
#include "resetwizard.h"
#include "superuserdialog.h"

#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/migrateoutputadvisor.h"
#include "plan/planrenderer.h"
#include "targets/targets.h"
#include "safety/backupstore.h"
#include "safety/productionguard.h"

#include <QAction>
#include <QLocale>
#include <QCheckBox>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

const QString kResetMigrations = QStringLiteral("reset-migrations");
const QString kCreateSuperuser = QStringLiteral("createsuperuser");
const QString kCommit = QStringLiteral("commit");
const QString kMigrate = QStringLiteral("migrate");

// What a destructive operation without a word of its own asks to type.
const QString kDefaultTypedWord = QStringLiteral("DELETE");

} // namespace

OperationsPanel::OperationsPanel(OperationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("operationsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *groups = new QWidget(scroll);
    m_groupsLayout = new QVBoxLayout(groups);
    m_groupsLayout->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(groups);
    layout->addWidget(scroll, 1);

    m_stopAction = new QAction(QIcon::fromTheme(QStringLiteral("process-stop"), style()->standardIcon(QStyle::SP_BrowserStop)), tr("&Stop"), this);
    m_stopAction->setObjectName(QStringLiteral("stopAction"));
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    // Enabled only while a plan runs, so Esc reaches the search boxes the rest of the time.
    m_stopAction->setShortcutContext(Qt::WindowShortcut);
    m_stopAction->setToolTip(tr("Stop the running operation: its process and everything it started end (Esc)"));
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, m_controller, &OperationController::cancel);

    m_runLabel = new QLabel(this);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    m_runLabel->setWordWrap(true);
    m_runLabel->hide();
    layout->addWidget(m_runLabel);
    auto *runRow = new QHBoxLayout;
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("operationBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(fontMetrics().height());
    m_busy->hide();
    runRow->addWidget(m_busy, 1);
    m_stopButton = new QToolButton(this);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setDefaultAction(m_stopAction);
    m_stopButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    runRow->addWidget(m_stopButton);
    layout->addLayout(runRow);

    buildButtons();

    connect(m_controller, &OperationController::runningChanged, this, &OperationsPanel::onRunningChanged);
    connect(m_controller, &OperationController::stepStarted, this, &OperationsPanel::onStepStarted);
    connect(m_controller, &OperationController::runFinished, this, &OperationsPanel::onRunFinished);
    connect(m_controller, &OperationController::factsRead, this, &OperationsPanel::onFactsRead);
    updateEnabled();
}

OperationsPanel::~OperationsPanel() = default;

PlanPreviewDialog *OperationsPanel::previewDialog() const { return m_preview; }
ConfirmationDialog *OperationsPanel::confirmationDialog() const { return m_confirmation; }
SuperuserDialog *OperationsPanel::superuserDialog() const { return m_superuser; }
CommitDialog *OperationsPanel::commitDialog() const { return m_commit; }
ResetWizard *OperationsPanel::resetWizard() const { return m_wizard; }

void OperationsPanel::buildButtons()
{
    for (const QString &group : OperationCatalog::groups()) {
        const QList<const Operation *> ops = OperationCatalog::inGroup(group);
        if (ops.isEmpty())
            continue;
        auto *box = new QGroupBox(group, this);
        box->setObjectName(QStringLiteral("group_") + group);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setSpacing(2);
        for (const Operation *op : ops) {
            const QString name = op->name;
            auto *action = new QAction(op->destructive ? QIcon::fromTheme(QStringLiteral("dialog-warning"), style()->standardIcon(QStyle::SP_MessageBoxWarning)) : QIcon(),
                                       op->destructive ? tr("%1…").arg(op->title) : op->title, this);
            action->setObjectName(QStringLiteral("op_") + name);
            action->setData(name);
            action->setStatusTip(op->summary);
            connect(action, &QAction::triggered, this, [this, name] { trigger(name); });
            m_actions.insert(name, action);

            auto *button = new QToolButton(box);
            button->setObjectName(QStringLiteral("button_") + name);
            button->setDefaultAction(action);
            button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
            button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
            button->setAccessibleDescription(op->destructive ? tr("Destructive: asks for a typed confirmation")
                                                             : op->summary);
            if (op->destructive) // red text: the button changes or deletes data
                button->setStyleSheet(QStringLiteral("QToolButton { color: #b03a2e; font-weight: 600; }"));
            boxLayout->addWidget(button);
            m_buttons.insert(name, button);
        }
        m_groupsLayout->addWidget(box);
    }
    m_groupsLayout->addStretch(1);
}

QList<QAction *> OperationsPanel::operationActions() const
{
    QList<QAction *> actions;
    for (const Operation &op : OperationCatalog::all()) {
        if (QAction *a = m_actions.value(op.name))
            actions << a;
    }
    return actions;
}

void OperationsPanel::populateMenu(QMenu *menu) const
{
    menu->setToolTipsVisible(true);
    for (const QString &group : OperationCatalog::groups()) {
        const QList<const Operation *> ops = OperationCatalog::inGroup(group);
        if (ops.isEmpty())
            continue;
        menu->addSection(group);
        for (const Operation *op : ops)
            menu->addAction(m_actions.value(op->name));
    }
    menu->addSeparator();
    menu->addAction(m_stopAction);
}

void OperationsPanel::setProject(const ProjectConfig &config)
{
    if (config.root != m_config.root && !m_controller->isRunning()) {
        // Dialogs and plans built for the previous project must not run against this one.
        for (QWidget *dialog : std::initializer_list<QWidget *>{m_preview, m_confirmation, m_superuser, m_commit, m_wizard}) {
            if (dialog)
                dialog->close();
        }
        endRequest();
    }
    m_config = config;
    updateTooltips();
    updateEnabled();
}

void OperationsPanel::updateTooltips()
{
    // Built without facts (those need the database and git): the facts show as "not read yet".
    const OperationOptions options = m_controller->baseOptions();
    for (auto it = m_actions.cbegin(); it != m_actions.cend(); ++it) {
        const Operation *op = OperationCatalog::find(it.key());
        QString tip = m_config.root.isEmpty() ? op->summary : OperationCatalog::tooltip(it.key(), m_config, options);
        if (op->destructive)
            tip = tr("⚠ Destructive: shows what it deletes and asks you to type a confirmation.\n") + tip;
        it.value()->setToolTip(tip);
    }
}

void OperationsPanel::updateEnabled()
{
    const bool running = m_controller->isRunning();
    const bool idle = !running && !m_config.root.isEmpty();
    for (QAction *action : std::as_const(m_actions))
        action->setEnabled(idle);
    m_stopAction->setEnabled(running);
}

void OperationsPanel::onRunningChanged(bool running)
{
    m_busy->setVisible(running);
    m_runLabel->setVisible(running);
    if (running) {
        m_runLabel->setText(tr("Running %1…").arg(m_controller->currentPlan().title));
        emit failureBannerCleared();
    }
    updateEnabled();
}

void OperationsPanel::onStepStarted(int index, const QString &description)
{
    const Plan plan = m_controller->currentPlan();
    m_runLabel->setText(tr("<b>%1</b> — step %2 of %3: %4")
                            .arg(plan.title.toHtmlEscaped())
                            .arg(index + 1)
                            .arg(plan.steps.size())
                            .arg(description.toHtmlEscaped()));
}

// ---------------------------------------------------------------------------------------------
// One operation's dialogs: input → preview → confirmation → run

void OperationsPanel::trigger(const QString &operation, const QHash<QString, QString> &values)
{
    const Operation *op = OperationCatalog::find(operation);
    if (!op || m_config.root.isEmpty() || m_controller->isRunning())
        return;
    if (operation == kResetMigrations)
        return showResetWizard();
    if (m_inRequest) {
        if (m_preview)
            m_preview->raise();
        return;
    }
    m_inRequest = true;
    m_request = Request();
    m_request.name = operation;
    m_request.options = m_controller->baseOptions();
    m_request.options.values = values;

    if (operation == kCreateSuperuser)
        askSuperuser();
    else if (operation == kCommit)
        requestFacts(); // the commit dialog needs git's answer first
    else
        openPreview();
}

void OperationsPanel::showResetWizard()
{
    if (!m_wizard) {
        m_wizard = new ResetWizard(m_controller, window());
        m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_wizard->show();
    m_wizard->raise();
    m_wizard->activateWindow();
}

void OperationsPanel::resumeReset(int fromStep, const QStringList &steps)
{
    if (m_config.root.isEmpty() || m_controller->isRunning())
        return;
    showResetWizard();
    m_wizard->setResumePoint(fromStep, steps);
}

void OperationsPanel::askSuperuser()
{
    m_superuser = new SuperuserDialog(window());
    m_superuser->setAttribute(Qt::WA_DeleteOnClose);
    m_superuser->setUsername(m_request.options.values.value(GuideOption::Username));
    m_superuser->setEmail(m_request.options.values.value(GuideOption::Email));
    connect(m_superuser, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            return endRequest();
        m_request.options.values.insert(GuideOption::Username, m_superuser->username());
        m_request.options.values.insert(GuideOption::Email, m_superuser->email());
        m_request.options.superuserPassword = m_superuser->password();
        openPreview();
    });
    m_superuser->open();
}

void OperationsPanel::askCommit()
{
    m_commit = new CommitDialog(m_request.options.facts.commit, window());
    m_commit->setAttribute(Qt::WA_DeleteOnClose);
    if (m_request.options.values.contains(GuideOption::Message))
        m_commit->setMessage(m_request.options.values.value(GuideOption::Message));
    m_commit->setPush(m_request.options.flag(GuideOption::Push));
    connect(m_commit, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            return endRequest();
        m_request.options.values.insert(GuideOption::Message, m_commit->message());
        m_request.options.values.insert(GuideOption::Push, m_commit->push() ? QStringLiteral("1") : QStringLiteral("0"));
        openPreview();
        rebuildPreview(); // git's answer is already known
    });
    m_commit->open();
}

void OperationsPanel::openPreview()
{
    const Operation *op = OperationCatalog::find(m_request.name);
    m_preview = new PlanPreviewDialog(window());
    m_preview->setAttribute(Qt::WA_DeleteOnClose);
    m_preview->setOperation(op->title, op->summary, op->destructive);
    // The preview's controls are the operation's own options (those its dialogs do not ask).
    for (const OperationOption &option : op->options) {
        if (option.label.isEmpty())
            continue;
        if (option.kind == OperationOption::Kind::Switch) {
            m_preview->addFlag(option.key, option.label, option.help, m_request.options.flag(option.key));
        } else if (option.kind == OperationOption::Kind::AppList) {
            const QStringList preset = m_request.options.values.value(option.key).split(QLatin1Char(','), Qt::SkipEmptyParts);
            m_preview->addChoiceList(option.key, option.label, option.help, GuideFactsReader::projectApps(m_config), preset);
        }
    }
    connect(m_preview, &PlanPreviewDialog::optionsChanged, this, [this] {
        const QHash<QString, QString> values = m_preview->values();
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            m_request.options.values.insert(it.key(), it.value());
        requestFacts(); // the facts may depend on the choice (rows of every app or the project's)
    });
    connect(m_preview, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            return endRequest();
        confirmOrRun();
    });
    m_preview->open();
    if (!m_request.factsKnown)
        requestFacts();
}

void OperationsPanel::requestFacts()
{
    m_request.factsKnown = false;
    if (m_preview)
        m_preview->setBusy(true, tr("Reading what this operation needs…"));
    m_request.factsId = m_controller->readFacts(m_request.name, m_request.options);
}

void OperationsPanel::onFactsRead(quint64 id, const GuideFacts &facts)
{
    if (!m_inRequest || id != m_request.factsId)
        return;
    m_request.options.facts = facts;
    m_request.factsKnown = true;
    if (m_request.name == kCommit && !m_commit && !m_preview)
        return askCommit();
    rebuildPreview();
}

void OperationsPanel::rebuildPreview()
{
    if (!m_preview)
        return;
    m_request.plan = OperationCatalog::build(m_request.name, m_config, m_request.options);
    const QStringList blockers = OperationCatalog::blockers(m_request.name, m_config, m_request.options);
    m_preview->setPlanText(PlanRenderer::render(m_request.plan), blockers);
    m_preview->setBusy(false);
    // The tooltip now carries the facts too (row counts, files).
    if (QAction *action = m_actions.value(m_request.name))
        action->setToolTip(OperationCatalog::find(m_request.name)->summary + QStringLiteral("\n\n")
                           + PlanRenderer::render(m_request.plan));
}

void OperationsPanel::confirmOrRun()
{
    if (!m_request.plan.destructive)
        return runRequest();
    const Confirmation confirmation = OperationCatalog::confirmation(m_request.name, m_config, m_request.options);
    const QString word = confirmation.typedWord.isEmpty() ? kDefaultTypedWord : confirmation.typedWord;
    m_confirmation = new ConfirmationDialog(m_request.plan.title, confirmation, word,
                                            ProductionGuard::reasons(m_config), m_config.db.name, window());
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirmation, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted)
            return endRequest();
        const QString refusal = ProductionGuard::refusal(m_config, m_request.plan, m_confirmation->typedDatabaseName());
        if (!refusal.isEmpty()) {
            emit failureBanner(MessageLevel::Error, refusal, {});
            return endRequest();
        }
        runRequest();
    });
    m_confirmation->open();
}

void OperationsPanel::runRequest()
{
    const Plan plan = m_request.plan;
    endRequest();
    m_controller->run(plan);
}

void OperationsPanel::endRequest()
{
    m_inRequest = false;
    // The superuser password lives no longer than the request.
    m_request = Request();
}

// ---------------------------------------------------------------------------------------------
// After a run

void OperationsPanel::onRunFinished(const RunResult &result)
{
    delete m_bannerActions;
    m_bannerActions = new QObject(this);
    if (!result.success && !result.cancelled) {
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
            context.projectApps = GuideFactsReader::projectApps(m_config);
            context.fakeInitialUsed = result.failedCommand.contains(QLatin1String("--fake-initial"));
            MigrateOutputAdvisor::phraseFor(*Targets::forProject(m_config), &context);
            const QList<MigrateHint> hints = MigrateOutputAdvisor::advise(m_controller->lastStepOutput(), context);
            for (const MigrateHint &hint : hints) {
                text += QStringLiteral("\n%1: %2").arg(hint.title, hint.detail);
                switch (hint.action) {
                case MigrateHint::Action::RerunWithFakeInitial: {
                    QAction *a = bannerAction(tr("Re-run with --fake-initial"), hint.command);
                    a->setObjectName(QStringLiteral("hintFakeInitial"));
                    const QString op = hint.operation.isEmpty() ? kMigrate : hint.operation;
                    QHash<QString, QString> values = hint.values;
                    values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
                    connect(a, &QAction::triggered, this, [this, op, values] { trigger(op, values); });
                    actions << a;
                    break;
                }
                case MigrateHint::Action::OpenDoctor: {
                    QAction *a = bannerAction(tr("Open Doctor"), tr("Find and repair the inconsistent history"));
                    a->setObjectName(QStringLiteral("hintDoctor"));
                    connect(a, &QAction::triggered, this, &OperationsPanel::doctorRequested);
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
                    connect(a, &QAction::triggered, this, [this, name, values] { trigger(name, values); });
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
        // A service the plan needs is stopped (its pre-flight said so): offer to start it.
        static const QRegularExpression stopped(QStringLiteral("The (\\S+) service is not running"));
        QStringList stoppedServices;
        for (const QString &problem : result.problems) {
            const QRegularExpressionMatch m = stopped.match(problem);
            if (m.hasMatch() && !stoppedServices.contains(m.captured(1)))
                stoppedServices << m.captured(1);
        }
        const QList<ProcessStep> startSteps = Targets::forProject(m_config)->startServices(stoppedServices);
        if (!startSteps.isEmpty()) {
            Plan start;
            start.id = QStringLiteral("start-services");
            start.title = tr("Start %1").arg(stoppedServices.join(QStringLiteral(", ")));
            start.projectRoot = m_config.root;
            for (const ProcessStep &step : startSteps)
                start.steps << step;
            QAction *a = bannerAction(start.title, PlanRenderer::render(start).section(QLatin1Char('\n'), -2).trimmed());
            a->setObjectName(QStringLiteral("startServices"));
            connect(a, &QAction::triggered, this, [this, start] {
                if (!m_controller->isRunning())
                    m_controller->run(start);
            });
            actions << a;
        }
        // Past its backup, the way back comes first: the backup this very run took.
        const Plan failed = m_controller->currentPlan();
        const BackupInfo backup = failed.backupDir.isEmpty() ? BackupInfo() : BackupStore::read(failed.backupDir);
        if (failed.destructive && backup.complete) {
            const QString at = QLocale().toString(backup.time.toLocalTime(), QStringLiteral("HH:mm"));
            QAction *a = bannerAction(tr("Restore the backup of %1").arg(at),
                                      tr("%1 — as it was before this run").arg(backup.contents()));
            a->setObjectName(QStringLiteral("restoreRunBackup"));
            const QString id = backup.id;
            connect(a, &QAction::triggered, this, [this, id] { emit restoreRequested(id); });
            actions.prepend(a);
            text += tr("\nThe backup of %1 (%2) holds everything as it was before this run.").arg(at, backup.contents());
        }
        emit failureBanner(MessageLevel::Error, text, actions);
    }
    updateEnabled();
    emit refreshRequested(result);
}

QAction *OperationsPanel::bannerAction(const QString &text, const QString &toolTip)
{
    auto *action = new QAction(text, m_bannerActions);
    action->setToolTip(toolTip);
    return action;
}
