#include "mainwindow.h"

#include "branchpicker.h"

#include "doctor/migrationdoctor.h"

#include "backupspanel.h"
#include "consolewidget.h"
#include "docklayout.h"
#include "doctorpanel.h"
#include "graphpanel.h"
#include "mainactions.h"
#include "messagebanner.h"
#include "migrationgraphview.h"
#include "operationcontroller.h"
#include "operationspanel.h"
#include "projectlabels.h"
#include "projectsession.h"
#include "projectsettingsdialog.h"
#include "runflow.h"
#include "runsummary.h"
#include "statuspage.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUrl>

namespace {

const auto kGeometryKey = QStringLiteral("mainWindow/geometry");
const auto kStateKey = QStringLiteral("mainWindow/state");
const auto kHeaderKey = QStringLiteral("mainWindow/tableHeader");
const auto kLastFolderKey = QStringLiteral("mainWindow/lastFolder");

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new ProjectSession(this))
    , m_operations(new OperationController(this))
    , m_flow(new RunFlow(m_operations, this))
    , m_opsPanel(new OperationsPanel(m_flow, this))
    , m_page(new StatusPage(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("MigrationDesk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/migrationdesk.svg")));
    setAcceptDrops(true);

    m_actions = new MainActions(this, m_page, m_opsPanel);
    setCentralWidget(m_page);
    m_docks = new DockLayout(this, m_actions->viewMenu(), m_opsPanel);
    // Long counts and connection texts are clipped rather than holding the window wide.
    m_page->countsLabel()->setMinimumWidth(60);
    m_page->connectionLabel()->setMinimumWidth(60);
    statusBar()->addWidget(m_page->countsLabel(), 1);
    statusBar()->addPermanentWidget(m_page->busyIndicator());
    statusBar()->addPermanentWidget(m_page->connectionLabel());
    m_branchPicker = new BranchPicker(this);
    statusBar()->addPermanentWidget(m_branchPicker);
    // A branch chosen here is the switch-branch operation, previewed like any other.
    connect(m_branchPicker, &BranchPicker::switchRequested, this, [this](const QString &branch) {
        m_opsPanel->trigger(QStringLiteral("switch-branch"), {{QStringLiteral("to"), branch}});
    });
    m_page->setOpenAction(m_actions->open());
    m_page->setBannerActions(m_actions->bannerRetry(), m_actions->bannerSettings());

    connectActions();
    connectSession();
    connectRuns();
    connectPanels();
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

bool MainWindow::hasProject() const { return m_session->hasProject(); }
ProjectConfig MainWindow::config() const { return m_session->config(); }
bool MainWindow::isLoading() const { return m_page->isLoading(); }
int MainWindow::loadsStarted() const { return m_page->loadsStarted(); }
QTableView *MainWindow::tableView() const { return m_page->tableView(); }
MigrationTableModel *MainWindow::model() const { return m_page->model(); }
MigrationFilterProxy *MainWindow::proxy() const { return m_page->proxy(); }
MessageBanner *MainWindow::projectBanner() const { return m_page->projectBanner(); }
MessageBanner *MainWindow::loadBanner() const { return m_page->loadBanner(); }
MessageBanner *MainWindow::operationBanner() const { return m_page->operationBanner(); }
ConsoleWidget *MainWindow::console() const { return m_docks->console(); }
QLabel *MainWindow::countsLabel() const { return m_page->countsLabel(); }
QLineEdit *MainWindow::searchEdit() const { return m_page->searchEdit(); }
QAction *MainWindow::refreshAction() const { return m_actions->refresh(); }
QAction *MainWindow::historyAction() const { return m_page->historyAction(); }
QDockWidget *MainWindow::operationsDock() const { return m_docks->operationsDock(); }
DoctorPanel *MainWindow::doctorPanel() const { return m_docks->doctor(); }
BackupsPanel *MainWindow::backupsPanel() const { return m_docks->backups(); }
GraphPanel *MainWindow::graphPanel() const { return m_docks->graph(); }

// ---------------------------------------------------------------------------------------------
// Wiring

void MainWindow::connectActions()
{
    connect(m_actions->open(), &QAction::triggered, this, &MainWindow::chooseProject);
    connect(m_actions->bannerOpen(), &QAction::triggered, this, &MainWindow::chooseProject);
    connect(m_actions->settings(), &QAction::triggered, this, &MainWindow::openProjectSettings);
    connect(m_actions->bannerSettings(), &QAction::triggered, this, &MainWindow::openProjectSettings);
    connect(m_actions->refresh(), &QAction::triggered, this, &MainWindow::refresh);
    connect(m_actions->bannerRetry(), &QAction::triggered, this, &MainWindow::refresh);
    connect(m_actions, &MainActions::recentProjectChosen, this, &MainWindow::openProject);
}

void MainWindow::connectSession()
{
    ConsoleWidget *console = m_docks->console();
    connect(m_session, &ProjectSession::message, console, &ConsoleWidget::appendMessage);
    connect(m_session, &ProjectSession::detecting, this, [this](const QString &dir) {
        statusBar()->showMessage(tr("Reading %1 (docker compose config)…").arg(QDir::toNativeSeparators(dir)));
    });
    connect(m_session, &ProjectSession::detectionFinished, this, [this](const QString &root) {
        statusBar()->clearMessage();
        emit projectOpened(root);
    });
    connect(m_session, &ProjectSession::projectChanged, this, [this, console](const ProjectConfig &config, bool other) {
        m_masker.setSecrets({config.db.password});
        console->setSecrets({config.db.password});
        m_page->setProject(config, other);
        setWindowTitle(tr("%1 — MigrationDesk").arg(ProjectLabels::projectName(config)));
        m_actions->settings()->setEnabled(true);
        console->appendHeader(tr("Project %1").arg(QDir::toNativeSeparators(config.root)));
    });
    connect(m_session, &ProjectSession::cannotOpen, this, [this](const QStringList &errors) {
        projectBanner()->showMessage(MessageLevel::Error,
                                     m_masker.apply(tr("This folder cannot be opened as a Django project: %1")
                                                        .arg(errors.join(QStringLiteral("\n")))),
                                     {m_actions->bannerSettings(), m_actions->bannerOpen()});
        m_page->clearRows();
        m_actions->refresh()->setEnabled(true); // F5 re-reads the folder once it was fixed
        setPanelsProject(ProjectConfig());
    });
    connect(m_session, &ProjectSession::opened, this, &MainWindow::setPanelsProject);
    connect(m_session, &ProjectSession::unfinishedRuns, this, &MainWindow::showUnfinishedRuns);
    connect(m_session, &ProjectSession::warningsChanged, this, [this](const QStringList &warnings) {
        if (!warnings.isEmpty())
            projectBanner()->showMessage(MessageLevel::Warning, m_masker.apply(warnings.join(QStringLiteral("\n"))),
                                         {m_actions->bannerSettings()});
        else
            projectBanner()->dismiss();
    });
    connect(m_session, &ProjectSession::ready, this, [this] {
        m_actions->updateRecentMenu();
        m_page->load();
    });
    connect(m_session, &ProjectSession::lockLost, this, [this](const QString &message) {
        // Two windows changing one database at once is how histories get inconsistent: this
        // window may look, not act.
        m_operations->setProject(ProjectConfig()); // no project: the controller runs nothing
        m_opsPanel->setProject(ProjectConfig());
        m_docks->doctor()->setPlanRunning(true);
        m_docks->backups()->setPlanRunning(true);
        operationBanner()->showMessage(MessageLevel::Error,
                                       m_masker.apply(tr("%1\nThe status table still works; operations are off in "
                                                         "this window. Close the other MigrationDesk, then reopen "
                                                         "the project.").arg(message)));
    });
}

// The console listens to the runs; the banner shows what the RunFlow refused or offers.
void MainWindow::connectRuns()
{
    ConsoleWidget *console = m_docks->console();
    connect(m_operations, &OperationController::secretsInUse, console, &ConsoleWidget::setSecrets);
    connect(m_operations, &OperationController::message, console, &ConsoleWidget::appendMessage);
    connect(m_operations, &OperationController::commandStarted, console, &ConsoleWidget::appendHeader);
    connect(m_operations, &OperationController::output, console, &ConsoleWidget::appendProcessOutput);
    connect(m_operations, &OperationController::outputEnded, console, &ConsoleWidget::flushProcessOutput);
    connect(m_operations, &OperationController::runningChanged, this, &MainWindow::onOperationRunning);

    connect(m_flow, &RunFlow::message, console, &ConsoleWidget::appendMessage);
    connect(m_flow, &RunFlow::refused, this, [this](const QString &refusal) {
        operationBanner()->showMessage(MessageLevel::Error, m_masker.apply(refusal));
    });
    connect(m_flow, &RunFlow::failureBanner, this,
            [this](MessageLevel level, const QString &text, const QList<QAction *> &actions) {
                operationBanner()->showMessage(level, m_masker.apply(text), actions);
            });
    connect(m_flow, &RunFlow::failureBannerCleared, operationBanner(), &MessageBanner::dismiss);
    connect(m_flow, &RunFlow::operationRequested, m_opsPanel, &OperationsPanel::trigger);
    connect(m_page, &StatusPage::operationRequested, m_opsPanel, &OperationsPanel::trigger);
    connect(m_flow, &RunFlow::doctorRequested, this, &MainWindow::doctorRequested);
    connect(m_flow, &RunFlow::restoreRequested, this, [this](const QString &id) {
        DockLayout::raise(m_docks->backupsDock());
        m_docks->backups()->restoreBackup(id);
    });
    connect(m_flow, &RunFlow::runEnded, this, &MainWindow::refreshAfterRun);

    // Results in sight: the output of a run that starts is shown, however far up the console
    // was scrolled, and the run ends with one line of what it changed (console and status bar).
    connect(m_operations, &OperationController::runStarted, this, [this, console] {
        if (!m_docks->consoleDock()->isVisible() || m_docks->consoleDock()->visibleRegion().isEmpty())
            DockLayout::raise(m_docks->consoleDock());
        console->revealEnd();
    });
    auto *summary = new RunSummary(m_operations, m_page, this);
    connect(summary, &RunSummary::summaryReady, this,
            [this, console](const QString &line, const QString &shortLine, MessageLevel level) {
                console->appendMessage(line, level);
                statusBar()->showMessage(shortLine, 15000);
            });
}

void MainWindow::connectPanels()
{
    ConsoleWidget *console = m_docks->console();
    DoctorPanel *doctor = m_docks->doctor();
    BackupsPanel *backups = m_docks->backups();
    connect(m_page, &StatusPage::message, console, &ConsoleWidget::appendMessage);
    connect(m_page, &StatusPage::statusLoaded, this, &MainWindow::statusLoaded);
    connect(m_page, &StatusPage::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_page, &StatusPage::loadingChanged, this,
            [this](bool loading) { m_actions->refresh()->setEnabled(!loading && hasProject()); });
    connect(m_page, &StatusPage::snapshotShown, m_docks, &DockLayout::setGraphData);
    connect(m_docks->graph()->view(), &MigrationGraphView::migrationActivated, m_page, &StatusPage::selectMigration);
    // A click on a node selects its row; a row selected in the table selects its node.
    MigrationGraphView *graphView = m_docks->graph()->view();
    connect(graphView, &MigrationGraphView::migrationSelected, m_page, &StatusPage::selectMigration);
    connect(m_page, &StatusPage::currentMigrationChanged, graphView, [graphView](const QString &key) {
        if (graphView->selectedMigration() != key)
            graphView->selectMigration(key);
    });
    // The node menu's per-migration operations and its file: the same paths as the table's menu.
    connect(graphView, &MigrationGraphView::operationRequested, m_opsPanel, &OperationsPanel::trigger);
    connect(graphView, &MigrationGraphView::openFileRequested, m_page, &StatusPage::openMigrationFile);

    connect(doctor, &DoctorPanel::runPlanRequested, this, [this, doctor](const Plan &plan, const QString &title) {
        runPanelPlan(plan, title, [doctor] { doctor->diagnose(); }); // verify the fix with Django
    });
    connect(doctor, &DoctorPanel::diagnosed, this, [this](const Diagnosis &diagnosis) {
        if (diagnosis.inputs.graphAvailable)
            m_page->setGraph(diagnosis.inputs.graph);
    });
    connect(this, &MainWindow::doctorRequested, this, [this, doctor] {
        DockLayout::raise(m_docks->doctorDock());
        doctor->diagnose();
    });
    connect(backups, &BackupsPanel::runPlanRequested, this, [this, backups](const Plan &plan, const QString &title) {
        runPanelPlan(plan, title, [backups] { backups->reload(); }, backups->requestedConfirmation());
    });
    connect(backups, &BackupsPanel::pruneRequested, this, [this, backups](int keep, const QString &question) {
        if (QMessageBox::question(this, tr("Prune backups"), question) == QMessageBox::Yes)
            backups->prune(keep);
    });
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) {
        // First start: most of the screen, the table needs the width.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(std::max(1180, available.width() * 9 / 10), std::max(760, available.height() * 9 / 10));
        if (screen())
            move(available.center() - rect().center());
    }
    m_dockStateRestored = restoreState(settings.value(kStateKey).toByteArray());
    tableView()->horizontalHeader()->restoreState(settings.value(kHeaderKey).toByteArray());
}

// ---------------------------------------------------------------------------------------------
// Projects

void MainWindow::chooseProject()
{
    QSettings settings;
    const QString start = hasProject() ? QFileInfo(config().root).absolutePath()
                                       : settings.value(kLastFolderKey, QDir::homePath()).toString();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), start);
    if (dir.isEmpty())
        return;
    settings.setValue(kLastFolderKey, QFileInfo(dir).absolutePath());
    openProject(dir);
}

void MainWindow::openProject(const QString &dir)
{
    m_session->openFolder(dir);
}

void MainWindow::openConfig(const ProjectConfig &config, const QStringList &warnings)
{
    m_session->openConfig(config, warnings);
}

void MainWindow::openProjectSettings()
{
    if (!hasProject())
        return;
    ProjectSettingsDialog dialog(m_session->detected(), m_session->savedOverrides(), this);
    if (dialog.exec() == QDialog::Accepted)
        m_session->saveSettings(dialog.overrides());
}

void MainWindow::setPanelsProject(const ProjectConfig &config)
{
    m_operations->setProject(config);
    m_opsPanel->setProject(config);
    // The config carries its compose variant: the panels' plans use it.
    m_docks->doctor()->setProject(config, DoctorOptions());
    m_docks->backups()->setProject(config, OperationOptions());
    m_branchPicker->setProjectRoot(config.root);
}

void MainWindow::refresh()
{
    if (!hasProject() || isLoading())
        return; // one load at a time: F5 during a load changes nothing
    if (projectBanner()->isVisible() && projectBanner()->level() == MessageLevel::Error)
        return m_session->reopen(); // the folder may have been fixed since
    m_page->load();
}

// After a crash or kill mid-run, say what was done and what was not before anything else runs.
void MainWindow::showUnfinishedRuns(const QList<JournalEntry> &entries)
{
    QStringList lines;
    for (const JournalEntry &entry : entries)
        lines << ProjectSession::unfinishedRunText(entry);
    // The actions live until the next unfinished runs are shown, not as long as the banner.
    delete m_journalActions;
    m_journalActions = new QObject(this);
    auto *forget = new QAction(tr("Forget"), m_journalActions);
    forget->setToolTip(tr("Stop reminding me of these runs (their backups stay in the Backups panel)"));
    const QString root = config().root;
    connect(forget, &QAction::triggered, this, [this, entries, root] {
        ProjectSession::forgetRuns(root, entries);
        operationBanner()->dismiss();
    });
    QList<QAction *> actions;
    // The automated reset resumes where its journal says it stopped (newest run first).
    for (const JournalEntry &entry : entries) {
        if (entry.planId != QLatin1String("reset-migrations") || entry.resumeFrom() >= entry.steps.size())
            continue;
        auto *resume = new QAction(tr("Resume…"), m_journalActions);
        resume->setObjectName(QStringLiteral("resumeResetAction"));
        resume->setToolTip(tr("Open the automated reset at step %1 (%2); the steps before it are not repeated")
                               .arg(entry.resumeFrom() + 1)
                               .arg(entry.steps.at(entry.resumeFrom())));
        const int fromStep = entry.resumeFrom();
        const QStringList steps = entry.steps;
        connect(resume, &QAction::triggered, this, [this, fromStep, steps] {
            operationBanner()->dismiss();
            m_opsPanel->resumeReset(fromStep, steps);
        });
        actions << resume;
        break;
    }
    actions << forget;
    operationBanner()->showMessage(MessageLevel::Warning,
                                   m_masker.apply(lines.join(QLatin1Char('\n'))
                                                  + tr("\nResume the automated reset from its wizard, or undo "
                                                       "the change from the Backups panel.")),
                                   actions);
}

// ---------------------------------------------------------------------------------------------
// Runs

void MainWindow::runPanelPlan(const Plan &plan, const QString &title, const std::function<void()> &after,
                              const Confirmation &confirmation)
{
    if (!hasProject())
        return;
    RunRequest request;
    request.plan = plan;
    request.title = title;
    request.createOutputFolders = true;
    request.confirmation = confirmation;
    request.finished = [after](const RunResult &) { after(); };
    m_flow->start(std::move(request));
}

void MainWindow::onOperationRunning(bool running)
{
    // A project switched mid-run would get the rest of another project's plan.
    m_session->setRunningPlan(running ? m_operations->currentPlan().title : QString());
    m_actions->open()->setEnabled(!running);
    m_actions->settings()->setEnabled(!running && hasProject());
    m_actions->updateRecentMenu(running);
    m_docks->doctor()->setPlanRunning(running);
    m_docks->backups()->setPlanRunning(running);
    m_branchPicker->setPlanRunning(running);
    if (!running && m_closeAfterRun)
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::refreshAfterRun(const RunResult &result)
{
    m_docks->backups()->reload(); // a destructive run leaves a new backup behind
    if (result.success && result.planId == QLatin1String("history"))
        historyAction()->setChecked(true); // the table shows the same rows in the same order
    m_page->reloadAfterRun();
}

void MainWindow::quitWithoutAsking()
{
    if (m_operations->isRunning()) {
        m_closeAfterRun = true; // onOperationRunning closes once the group is gone
        m_operations->cancel();
        return;
    }
    close();
}

// ---------------------------------------------------------------------------------------------
// Events

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_dockStateRestored || m_dockSized)
        return;
    m_dockSized = true;
    // First start: the console gets a third of the height (output of a migrate is long); from
    // then on the height the user gave it comes back with the saved dock state.
    QTimer::singleShot(0, this, [this] {
        resizeDocks({m_docks->consoleDock()}, {std::max(200, height() / 3)}, Qt::Vertical);
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_operations->isRunning()) {
        if (!m_closeAfterRun) {
            QMessageBox box(QMessageBox::Warning, tr("Quit MigrationDesk"),
                            tr("%1 is still running. Stop it and quit?").arg(m_operations->currentPlan().title),
                            QMessageBox::NoButton, this);
            box.setObjectName(QStringLiteral("quitWhileRunningBox"));
            box.setInformativeText(tr("The running step and every process it started are ended. Steps that "
                                      "already finished stay done; a reset can be resumed later."));
            QPushButton *stop = box.addButton(tr("Stop and Quit"), QMessageBox::DestructiveRole);
            box.setDefaultButton(box.addButton(tr("Keep Running"), QMessageBox::RejectRole));
            box.exec();
            if (box.clickedButton() != stop) {
                event->ignore();
                return;
            }
        }
        if (m_operations->isRunning()) { // it may have ended while the question was open
            m_closeAfterRun = true;
            m_operations->cancel();
            event->ignore(); // closes itself when the run has ended (onOperationRunning)
            return;
        }
    }
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kHeaderKey, tableView()->horizontalHeader()->saveState());
    m_page->cancelLoad();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile() && QFileInfo(urls.first().toLocalFile()).isDir())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        openProject(urls.first().toLocalFile());
    }
}
