#include "operationspanel.h"

#include "schema/rehearsal.h"

#include "commitdialog.h"
#include "confirmationdialog.h"
#include "operationcontroller.h"
#include "planpreviewdialog.h"
#include "resetwizard.h"
#include "runflow.h"
#include "stopconfirmation.h"
#include "superuserdialog.h"

#include "operations/fakeinitialadvice.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "plan/planrenderer.h"
#include "safety/runjournal.h"

#include <QAction>
#include <QCheckBox>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QTime>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

const QString kResetMigrations = QStringLiteral("reset-migrations");
const QString kCreateSuperuser = QStringLiteral("createsuperuser");
const QString kCommit = QStringLiteral("commit");
const QString kMigrate = QStringLiteral("migrate");

// The guide's everyday steps get a key; the one-step destructive ones (clear history, delete
// files, reset database) do not: they are not a keystroke away, even behind a confirmation.
QKeySequence shortcutFor(const QString &operation)
{
    static const QHash<QString, QKeySequence> keys{
        {QStringLiteral("showmigrations"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
        {QStringLiteral("check"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K)},
        {QStringLiteral("makemigrations"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)},
        {QStringLiteral("migrate"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)},
        {QStringLiteral("createsuperuser"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U)},
        {QStringLiteral("commit"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)},
        {QStringLiteral("backup"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B)},
        {QStringLiteral("reset-migrations"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)},
    };
    return keys.value(operation);
}

// "  (Ctrl+Shift+M)" for a tooltip's first line, empty without a key.
QString shortcutSuffix(const QAction *action)
{
    return action->shortcut().isEmpty() ? QString()
                                        : QStringLiteral("  (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
}

// What a destructive operation without a word of its own asks to type.
const QString kDefaultTypedWord = QStringLiteral("DELETE");

} // namespace

OperationsPanel::OperationsPanel(RunFlow *flow, QWidget *parent)
    : QWidget(parent)
    , m_flow(flow)
    , m_controller(flow->controller())
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
    m_stopAction->setToolTip(tr("Stop the running operation: its process and everything it started end (Esc). "
                                  "While a step changes the project, asks first."));
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, this, [this] { StopConfirmation::request(m_controller, this); });

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
    connect(m_controller, &OperationController::factsRead, this, &OperationsPanel::onFactsRead);
    connect(m_controller, &OperationController::runFinished, this, &OperationsPanel::onRunFinished);
    updateEnabled();
}

OperationsPanel::~OperationsPanel() = default;

PlanPreviewDialog *OperationsPanel::previewDialog() const { return m_preview; }
ConfirmationDialog *OperationsPanel::confirmationDialog() const { return m_flow->confirmationDialog(); }
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
            action->setShortcut(shortcutFor(name));
            action->setShortcutContext(Qt::WindowShortcut); // through the Operations menu, also while the panel is a hidden tab
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
        for (QWidget *dialog : std::initializer_list<QWidget *>{m_preview, m_superuser, m_commit, m_wizard}) {
            if (dialog)
                dialog->close();
        }
        endRequest();
        m_flow->abandon(); // a confirmation still open for the previous project
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
        QString tip = (m_config.root.isEmpty() ? op->summary : OperationCatalog::tooltip(it.key(), m_config, options));
        tip = op->title + shortcutSuffix(it.value()) + QLatin1Char('\n') + tip;
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
    if (running)
        m_runLabel->setText(tr("Running %1…").arg(m_controller->currentPlan().title));
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
    if (!op || m_config.root.isEmpty() || m_controller->isRunning() || m_flow->isAsking())
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
        m_wizard = new ResetWizard(m_flow, window());
        m_wizard->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_wizard, &ResetWizard::optionsChangeRequested, this, &OperationsPanel::reopenResetWizard);
        // Reopened after a run that did not finish: it offers to resume that run.
        for (const JournalEntry &entry : Journal::unfinished(m_config)) {
            if (entry.planId == kResetMigrations && entry.resumeFrom() < entry.steps.size()) {
                m_wizard->setResumePoint(entry.resumeFrom(), entry.steps);
                break;
            }
        }
    }
    m_wizard->show();
    m_wizard->raise();
    m_wizard->activateWindow();
}

// The wizard's run failed and the user wants other options: a new wizard reads the journal and
// offers the resume with them editable, where the old one stood, starting from the old one's
// choices and with what was typed in it.
void OperationsPanel::reopenResetWizard()
{
    ResetWizard *old = m_wizard;
    if (!old || m_controller->isRunning())
        return;
    m_wizard = nullptr;
    const QRect geometry = old->geometry();
    const QString confirm = old->confirmText();
    const QString database = old->databaseNameText();
    const OperationOptions choices = old->options();
    old->close(); // deletes it (WA_DeleteOnClose)
    showResetWizard();
    m_wizard->setGeometry(geometry);
    m_wizard->takeChoices(choices); // to be changed: that is why it opened
    m_wizard->carryTypedWords(confirm, database);
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
        } else if (option.kind == OperationOption::Kind::Value) {
            m_preview->addText(option.key, option.label, option.help, m_request.options.values.value(option.key));
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
        if (result == PlanPreviewDialog::RehearseResult)
            return rehearse();
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
    m_controller->cancelFacts(m_request.factsId); // options changed: the former answer is not wanted
    m_request.factsKnown = false;
    if (m_preview)
        m_preview->setBusy(true, tr("Reading what this operation needs…"));
    // migrate for every app: whether tables exist that its initial migrations would create.
    const bool wholeMigrate = m_request.name == kMigrate && m_request.options.values.value(GuideOption::App).isEmpty();
    m_request.factsId = m_controller->readFacts(m_request.name, m_request.options,
                                                wholeMigrate ? Facts(Fact::Tables) : Facts());
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
    offerFakeInitial();
}

// Apply migrations sees existing tables coming: an app without a row in django_migrations whose
// tables exist would fail with "relation already exists"; --fake-initial records those initial
// migrations instead. Chosen once for the user, who may untick it.
void OperationsPanel::offerFakeInitial()
{
    if (m_request.fakeInitialOffered || !m_preview || !FakeInitialAdvice::applies(m_request.name, m_request.options))
        return;
    m_request.fakeInitialOffered = true;
    const GuideFacts &facts = m_request.options.facts;
    const FakeInitialAdvice::NamedTables named = FakeInitialAdvice::namedTables(facts);
    QStringList tables = named.shown;
    if (named.more > 0)
        tables << tr("and %n more", nullptr, named.more);
    m_preview->suggestFlag(GuideOption::FakeInitial, true,
                           tr("--fake-initial is chosen for you: %n table(s) already exist for apps with no "
                              "migration recorded (%1), so their initial migrations would fail with “relation "
                              "already exists”. With it, Django records those initial migrations instead of "
                              "creating the tables again.",
                              nullptr, int(facts.unmigratedAppTables.size()))
                               .arg(tables.join(QStringLiteral(", "))));
}

void OperationsPanel::rebuildPreview()
{
    if (!m_preview)
        return;
    m_request.plan = OperationCatalog::build(m_request.name, m_config, m_request.options);
    const QStringList blockers = OperationCatalog::blockers(m_request.name, m_config, m_request.options);
    m_preview->setPlanText(PlanRenderer::render(m_request.plan), blockers);
    m_preview->setRehearsal(Rehearsal::applies(m_request.plan), m_rehearsed.value(rehearsalKey()));
    m_preview->setBusy(false);
    // The tooltip now carries the facts too (row counts, files).
    if (QAction *action = m_actions.value(m_request.name))
        action->setToolTip(OperationCatalog::find(m_request.name)->title + shortcutSuffix(action) + QLatin1Char('\n')
                           + OperationCatalog::find(m_request.name)->summary + QStringLiteral("\n\n")
                           + PlanRenderer::render(m_request.plan));
}

void OperationsPanel::confirmOrRun()
{
    RunRequest request;
    request.plan = m_request.plan;
    request.previewed = true; // the preview above, with the operation's choices
    if (request.plan.destructive) {
        request.confirmation = OperationCatalog::confirmation(m_request.name, m_config, m_request.options);
        if (request.confirmation.typedWord.isEmpty())
            request.confirmation.typedWord = kDefaultTypedWord;
    }
    endRequest();
    m_flow->start(std::move(request));
}

void OperationsPanel::rehearse()
{
    RunRequest request;
    request.plan = Rehearsal::plan(m_config, m_request.plan);
    request.previewed = true; // the real plan's preview; the rehearsal touches nothing of the user's
    m_rehearsing = rehearsalKey();
    const QString name = m_request.name;
    const QHash<QString, QString> values = m_request.options.values;
    endRequest();
    m_flow->start(std::move(request));
    m_pendingAfterRehearsal = {name, values};
}

// The operation and its choices: a rehearsal counts for the same plan (its backup folder's name
// differs each time, so not the preview text).
QString OperationsPanel::rehearsalKey() const
{
    QStringList parts{m_request.name};
    for (auto it = m_request.options.values.cbegin(); it != m_request.options.values.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    std::sort(parts.begin() + 1, parts.end());
    return parts.join(QLatin1Char('\n'));
}

void OperationsPanel::onRunFinished(const RunResult &result)
{
    if (!result.planId.startsWith(QLatin1String("rehearse-")) || m_rehearsing.isEmpty())
        return;
    if (result.success)
        m_rehearsed.insert(m_rehearsing, QTime::currentTime().toString(QStringLiteral("HH:mm")));
    m_rehearsing.clear();
    // Back to the same preview: now Run says whether the rehearsal passed.
    const auto [name, values] = m_pendingAfterRehearsal;
    m_pendingAfterRehearsal = {};
    if (result.success && !name.isEmpty()) {
        // After the run has fully ended (the controller still counts as running in this signal).
        QTimer::singleShot(0, this, [this, name = name, values = values] { trigger(name, values); });
    }
}

void OperationsPanel::endRequest()
{
    m_controller->cancelFacts(m_request.factsId); // a preview closed while its schema check ran
    m_inRequest = false;
    // The superuser password lives no longer than the request (and the run's plan).
    m_request = Request();
}
