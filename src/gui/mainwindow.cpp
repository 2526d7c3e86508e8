#include "mainwindow.h"

#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "doctor/statusenricher.h"
#include "ops/planrenderer.h"
#include "safety/productionguard.h"
#include "safety/projectlockholder.h"
#include "safety/runjournal.h"

#include "backupspanel.h"
#include "confirmationdialog.h"
#include "consolewidget.h"
#include "doctorpanel.h"
#include "graphpanel.h"
#include "migrationgraphview.h"
#include "planpreviewdialog.h"
#include "messagebanner.h"
#include "migrationfilterproxy.h"
#include "migrationstatestyle.h"
#include "migrationtablemodel.h"
#include "operationcontroller.h"
#include "operationspanel.h"
#include "projectsettingsdialog.h"
#include "statusloadjob.h"

#include "project/projectloader.h"
#include "project/projectsettingsstore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace {

const auto kGeometryKey = QStringLiteral("mainWindow/geometry");
const auto kStateKey = QStringLiteral("mainWindow/state");
const auto kHeaderKey = QStringLiteral("mainWindow/tableHeader");
const auto kLastFolderKey = QStringLiteral("mainWindow/lastFolder");
// Above this many rows a keystroke in the search box waits for a pause before filtering.
constexpr int kImmediateSearchRows = 5000;

QIcon themedIcon(const QString &name, QStyle::StandardPixmap fallback, const QStyle *style)
{
    return QIcon::fromTheme(name, style->standardIcon(fallback));
}

QString targetLabel(TargetKind kind)
{
    return kind == TargetKind::Compose ? MainWindow::tr("Compose") : MainWindow::tr("Local");
}

QString projectName(const ProjectConfig &config)
{
    const QString folder = QFileInfo(config.root).fileName();
    return folder.isEmpty() ? config.root : folder;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_job(new StatusLoadJob(this))
    , m_model(new MigrationTableModel(this))
    , m_proxy(new MigrationFilterProxy(this))
    , m_operations(new OperationController(this))
    , m_opsPanel(new OperationsPanel(m_operations, this))
    , m_lock(new ProjectLockHolder(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("MigrationDesk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/migrationdesk.svg")));
    setAcceptDrops(true);
    m_proxy->setSourceModel(m_model);

    createActions();
    createMenus();
    createToolBar();
    createCentralArea();
    createConsoleDock();
    createOperationsDock();
    createPanelDocks();
    createStatusBar();

    connect(m_job, &StatusLoadJob::runningChanged, this, &MainWindow::onLoadingChanged);
    connect(m_job, &StatusLoadJob::finished, this, &MainWindow::onLoadFinished);
    connect(m_proxy, &MigrationFilterProxy::filterChanged, this, &MainWindow::updateCounts);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCounts);

    restoreWindowState();
    updateCounts();
    updateConnectionLabel();
}

MainWindow::~MainWindow() = default;

// ---------------------------------------------------------------------------------------------
// Construction

void MainWindow::createActions()
{
    m_openAction = new QAction(themedIcon(QStringLiteral("document-open"), QStyle::SP_DirOpenIcon, style()),
                               tr("&Open Project…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a project folder (the one with docker-compose.yml) — %1")
                                 .arg(m_openAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseProject);

    m_settingsAction = new QAction(themedIcon(QStringLiteral("configure"), QStyle::SP_FileDialogDetailedView, style()),
                                   tr("Project &Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setToolTip(tr("See what was detected for this project and change it"));
    m_settingsAction->setEnabled(false);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openProjectSettings);

    m_quitAction = new QAction(themedIcon(QStringLiteral("application-exit"), QStyle::SP_DialogCloseButton, style()),
                               tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setToolTip(tr("Quit MigrationDesk"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_refreshAction = new QAction(themedIcon(QStringLiteral("view-refresh"), QStyle::SP_BrowserReload, style()),
                                  tr("&Refresh"), this);
    m_refreshAction->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_refreshAction->setToolTip(tr("Read django_migrations and the migration files again (F5)"));
    m_refreshAction->setEnabled(false);
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    m_historyAction = new QAction(themedIcon(QStringLiteral("view-history"), QStyle::SP_FileDialogContentsView, style()),
                                  tr("&History Mode"), this);
    m_historyAction->setCheckable(true);
    m_historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    m_historyAction->setToolTip(tr("List applied migrations in the order Django applied them, like "
                                   "SELECT app, name, applied FROM django_migrations ORDER BY applied (Ctrl+H)"));
    connect(m_historyAction, &QAction::toggled, this, &MainWindow::setHistoryMode);

    m_focusSearchAction = new QAction(tr("&Find Migration"), this);
    // Ctrl+F is the console's find bar; two owners would make it ambiguous for both.
    m_focusSearchAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_L), QKeySequence(Qt::CTRL | Qt::Key_K)});
    m_focusSearchAction->setToolTip(tr("Jump to the search box (Ctrl+L, Ctrl+K)"));
    connect(m_focusSearchAction, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });

    m_resetFiltersAction = new QAction(tr("Show &All Migrations"), this);
    m_resetFiltersAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_resetFiltersAction->setToolTip(tr("Clear the app, state and search filters and leave history mode"));
    connect(m_resetFiltersAction, &QAction::triggered, this, [this] {
        m_appFilter->setCurrentIndex(0);
        m_stateFilter->setCurrentIndex(0);
        m_search->clear();
        applySearchText();
        m_historyAction->setChecked(false);
    });

    m_copyAction = new QAction(themedIcon(QStringLiteral("edit-copy"), QStyle::SP_FileDialogListView, style()),
                               tr("&Copy Rows"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyAction->setToolTip(tr("Copy the selected rows as tab-separated text"));
    connect(m_copyAction, &QAction::triggered, this, &MainWindow::copySelection);

    m_openFileAction = new QAction(tr("Open Migration &File"), this);
    m_openFileAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_openFileAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_openFileAction->setToolTip(tr("Open the selected migration's file in the default editor"));
    connect(m_openFileAction, &QAction::triggered, this, &MainWindow::openSelectedFile);

    m_aboutAction = new QAction(tr("&About MigrationDesk"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About MigrationDesk"),
                           tr("<b>MigrationDesk</b> %1<br>Shows and repairs the Django migration state of "
                              "docker compose projects with PostgreSQL.")
                               .arg(QStringLiteral(MIGRATIONDESK_VERSION)));
    });

    m_bannerSettingsAction = new QAction(tr("Open Settings…"), this);
    m_bannerSettingsAction->setToolTip(tr("Check the detected compose file, backend folder and database settings"));
    connect(m_bannerSettingsAction, &QAction::triggered, this, &MainWindow::openProjectSettings);
    m_bannerRetryAction = new QAction(tr("Retry"), this);
    m_bannerRetryAction->setToolTip(tr("Try to load the status again"));
    connect(m_bannerRetryAction, &QAction::triggered, this, &MainWindow::refresh);
    m_bannerOpenAction = new QAction(tr("Open Another Project…"), this);
    m_bannerOpenAction->setToolTip(tr("Choose a different project folder"));
    connect(m_bannerOpenAction, &QAction::triggered, this, &MainWindow::chooseProject);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Recent &Projects"));
    m_recentMenu->setToolTipsVisible(true);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::populateRecentMenu);
    populateRecentMenu(); // so the menu is enabled only when there is something in it
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copyAction);
    edit->addAction(m_openFileAction);
    edit->addSeparator();
    edit->addAction(m_focusSearchAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setToolTipsVisible(true);
    view->addAction(m_refreshAction);
    view->addAction(m_historyAction);
    view->addAction(m_resetFiltersAction);
    view->addSeparator();
    // The console's toggle action is added in createConsoleDock().
    view->setObjectName(QStringLiteral("viewMenu"));

    QMenu *operations = menuBar()->addMenu(tr("&Operations"));
    operations->setObjectName(QStringLiteral("operationsMenu"));
    m_opsPanel->populateMenu(operations);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAction);
    bar->addAction(m_refreshAction);
    bar->addAction(m_historyAction);
    bar->addAction(m_opsPanel->stopAction());
    bar->addSeparator();

    m_appFilter = new QComboBox(bar);
    m_appFilter->setObjectName(QStringLiteral("appFilter"));
    m_appFilter->setToolTip(tr("Show the migrations of one app only"));
    m_appFilter->setAccessibleName(tr("App filter"));
    m_appFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_appFilter->setMinimumContentsLength(14);
    m_appFilter->addItem(tr("All apps"), QString());
    connect(m_appFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setAppFilter(m_appFilter->currentData().toString()); });
    bar->addWidget(m_appFilter);

    m_stateFilter = new QComboBox(bar);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->setToolTip(tr("Show migrations in one state only"));
    m_stateFilter->setAccessibleName(tr("State filter"));
    m_stateFilter->addItem(tr("All states"), MigrationFilterProxy::allStates());
    m_stateFilter->addItem(themedIcon(QStringLiteral("dialog-warning"), QStyle::SP_MessageBoxWarning, style()),
                           tr("Needs attention"),
                           MigrationFilterProxy::stateBit(MigrationState::Pending)
                               | MigrationFilterProxy::stateBit(MigrationState::Orphan)
                               | MigrationFilterProxy::stateBit(MigrationState::Inconsistent));
    m_stateFilter->setItemData(1, tr("Pending, Orphan and Inconsistent migrations"), Qt::ToolTipRole);
    for (int i = 0; i < int(MigrationState::StateCount); ++i) {
        const auto state = MigrationState(i);
        m_stateFilter->addItem(MigrationStateStyle::icon(state, palette()), MigrationStateStyle::label(state),
                               MigrationFilterProxy::stateBit(state));
        m_stateFilter->setItemData(m_stateFilter->count() - 1, MigrationStateStyle::description(state),
                                   Qt::ToolTipRole);
    }
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setStateFilter(m_stateFilter->currentData().toUInt()); });
    bar->addWidget(m_stateFilter);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Filter migrations…"));
    m_search->setToolTip(tr("Filter by app, migration name or file; every word must match (Ctrl+L). "
                            "Esc clears, Enter or Down goes to the table."));
    m_search->setAccessibleName(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_search->setMaximumWidth(360);
    m_search->installEventFilter(this);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(150);
    connect(m_searchTimer, &QTimer::timeout, this, &MainWindow::applySearchText);
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (m_model->rowCount() <= kImmediateSearchRows)
            applySearchText();
        else
            m_searchTimer->start();
    });
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_search);
    addAction(m_focusSearchAction);
}

void MainWindow::createCentralArea()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_projectBanner = new MessageBanner(central);
    m_projectBanner->setObjectName(QStringLiteral("projectBanner"));
    m_loadBanner = new MessageBanner(central);
    m_loadBanner->setObjectName(QStringLiteral("loadBanner"));
    m_operationBanner = new MessageBanner(central);
    m_operationBanner->setObjectName(QStringLiteral("operationBanner"));
    layout->addWidget(m_projectBanner);
    layout->addWidget(m_loadBanner);
    layout->addWidget(m_operationBanner);

    m_stack = new QStackedWidget(central);
    layout->addWidget(m_stack, 1);

    // Shown until a project is opened: says what to do instead of an empty grid.
    m_welcome = new QWidget(m_stack);
    auto *welcomeLayout = new QVBoxLayout(m_welcome);
    welcomeLayout->addStretch(1);
    auto *title = new QLabel(tr("<h2>No project open</h2>"
                                "<p>Open the folder that holds your <code>docker-compose.yml</code> and "
                                "<code>.env</code>;<br>MigrationDesk finds <code>manage.py</code>, reads "
                                "<code>django_migrations</code> and compares it with the files on disk.</p>"),
                             m_welcome);
    title->setAlignment(Qt::AlignCenter);
    title->setTextFormat(Qt::RichText);
    welcomeLayout->addWidget(title);
    auto *openButton = new QPushButton(m_openAction->icon(), m_openAction->text(), m_welcome);
    openButton->setToolTip(m_openAction->toolTip());
    connect(openButton, &QPushButton::clicked, m_openAction, &QAction::trigger);
    welcomeLayout->addWidget(openButton, 0, Qt::AlignHCenter);
    welcomeLayout->addStretch(2);
    m_stack->addWidget(m_welcome);

    m_table = new QTableView(m_stack);
    m_table->setObjectName(QStringLiteral("statusTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(MigrationTableModel::App, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle); // keeps both the app folder and the file name
    m_table->setShowGrid(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAccessibleName(tr("Migrations"));
    m_table->verticalHeader()->hide();
    // Fixed row heights keep 100,000 rows cheap to lay out.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->resizeSection(MigrationTableModel::App, 170);
    header->resizeSection(MigrationTableModel::Migration, 300);
    header->resizeSection(MigrationTableModel::State, 120);
    header->resizeSection(MigrationTableModel::AppliedAt, 160);
    m_table->addAction(m_copyAction);
    m_table->addAction(m_openFileAction);
    connect(m_table, &QWidget::customContextMenuRequested, this, &MainWindow::showTableMenu);
    m_stack->addWidget(m_table);
    m_stack->setCurrentWidget(m_welcome);

    setCentralWidget(central);
}

void MainWindow::createConsoleDock()
{
    m_consoleDock = new QDockWidget(tr("Console"), this);
    m_consoleDock->setObjectName(QStringLiteral("consoleDock"));
    m_consoleDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea);
    m_console = new ConsoleWidget(m_consoleDock);
    m_console->setToolTip(QString()); // the console's own widgets carry their tooltips
    m_consoleDock->setWidget(m_console);
    addDockWidget(Qt::BottomDockWidgetArea, m_consoleDock);
    resizeDocks({m_consoleDock}, {170}, Qt::Vertical);

    QAction *toggle = m_consoleDock->toggleViewAction();
    toggle->setText(tr("Show &Console"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    toggle->setToolTip(tr("Show or hide the console, where MigrationDesk reports what it did (Ctrl+J)"));
    if (QMenu *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu")))
        view->addAction(toggle);
    addAction(toggle);
}

void MainWindow::createOperationsDock()
{
    m_opsDock = new QDockWidget(tr("Operations"), this);
    m_opsDock->setObjectName(QStringLiteral("operationsDock"));
    m_opsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    m_opsDock->setWidget(m_opsPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_opsDock);
    resizeDocks({m_opsDock}, {260}, Qt::Horizontal);
    QAction *toggle = m_opsDock->toggleViewAction();
    toggle->setText(tr("Show &Operations"));
    toggle->setToolTip(tr("Show or hide the operations panel: every step of the Migration Reset Guide as a button"));
    if (QMenu *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu")))
        view->addAction(toggle);

    m_operations->setConsole(m_console);
    connect(m_operations, &OperationController::runningChanged, this, &MainWindow::onOperationRunning);
    connect(m_lock, &ProjectLockHolder::acquired, this,
            [this](ProjectLock::Result result, const QString &message) { onLockAnswer(int(result), message); });
    connect(m_opsPanel, &OperationsPanel::refreshRequested, this, &MainWindow::refreshAfterRun);
    connect(m_opsPanel, &OperationsPanel::doctorRequested, this, &MainWindow::doctorRequested);
    connect(m_opsPanel, &OperationsPanel::failureBanner, this,
            [this](MessageLevel level, const QString &text, const QList<QAction *> &actions) {
                m_operationBanner->showMessage(level, m_masker.apply(text), actions);
            });
    connect(m_opsPanel, &OperationsPanel::failureBannerCleared, m_operationBanner, &MessageBanner::dismiss);
    connect(m_opsPanel, &OperationsPanel::restoreRequested, this, [this](const QString &id) {
        if (m_backups) {
            m_backupsDock->show();
            m_backupsDock->raise();
            m_backups->restoreBackup(id);
        }
    });
}

void MainWindow::createStatusBar()
{
    m_countsLabel = new QLabel(statusBar());
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_countsLabel->setTextFormat(Qt::RichText);
    m_countsLabel->setToolTip(tr("Migrations per state in the whole project; the filters do not change these counts"));
    statusBar()->addWidget(m_countsLabel, 1);

    m_busy = new QProgressBar(statusBar());
    m_busy->setRange(0, 0); // busy indicator: the load reports no progress
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(fontMetrics().height());
    m_busy->setTextVisible(false);
    m_busy->setToolTip(tr("Reading django_migrations and the migration files…"));
    m_busy->hide();
    statusBar()->addPermanentWidget(m_busy);

    m_connectionLabel = new QLabel(statusBar());
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_connectionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_connectionLabel);
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
    restoreState(settings.value(kStateKey).toByteArray());
    m_table->horizontalHeader()->restoreState(settings.value(kHeaderKey).toByteArray());
}

// ---------------------------------------------------------------------------------------------
// Opening projects

void MainWindow::chooseProject()
{
    QSettings settings;
    const QString start = hasProject() ? QFileInfo(m_config.root).absolutePath()
                                       : settings.value(kLastFolderKey, QDir::homePath()).toString();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), start);
    if (dir.isEmpty())
        return;
    settings.setValue(kLastFolderKey, QFileInfo(dir).absolutePath());
    openProject(dir);
}

void MainWindow::openProject(const QString &dir)
{
    // Detection asks the compose CLI (`config`): never on the GUI thread. The latest open wins.
    const quint64 job = ++m_openJob;
    statusBar()->showMessage(tr("Reading %1 (docker compose config)…").arg(QDir::toNativeSeparators(dir)));
    struct Opened
    {
        ProjectLoadResult detected;
        ProjectConfig config;
    };
    auto *watcher = new QFutureWatcher<Opened>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job, dir] {
        watcher->deleteLater();
        if (job != m_openJob)
            return;
        statusBar()->clearMessage();
        const Opened opened = watcher->result();
        ProjectConfig config = opened.config;
        if (config.root.isEmpty())
            config.root = QFileInfo(dir).absoluteFilePath();
        // A saved backend folder fixes "no manage.py found" in the detected one.
        QStringList errors = opened.detected.errors;
        if (QFileInfo::exists(config.managePy()))
            errors.removeIf([](const QString &e) { return e.contains(QLatin1String("No manage.py")); });
        m_configFromCaller = false;
        applyProject(config, opened.detected.config, errors, opened.detected.warnings);
        emit projectOpened(config.root);
    });
    watcher->setFuture(QtConcurrent::run([dir] {
        const ProjectOverrides saved = ProjectSettingsStore::load(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
        Opened opened;
        opened.detected = ProjectDetector::detect(dir, saved.composeFile);
        opened.config = opened.detected.config;
        saved.applyTo(opened.config);
        return opened;
    }));
}

void MainWindow::openConfig(const ProjectConfig &config, const QStringList &warnings)
{
    ++m_openJob; // a detection still running for an earlier openProject() must not replace this

    m_configFromCaller = true;
    applyProject(config, config, {}, warnings);
}

void MainWindow::applyProject(const ProjectConfig &config, const ProjectConfig &detected,
                              const QStringList &errors, const QStringList &warnings)
{
    if (m_operations->isRunning()) {
        // The running plan holds this project's lock and secrets: switching now would release
        // the one and unmask the other.
        report(MessageLevel::Warning, tr("%1 is running: stop it or let it finish before opening another project.")
                                          .arg(m_operations->currentPlan().title));
        return;
    }
    const bool sameProject = QDir::cleanPath(config.root) == QDir::cleanPath(m_config.root);
    if (!sameProject) {
        // Rows of another project must never merge into this one's.
        m_job->cancel();
        m_model->clear();
        m_appFilter->setCurrentIndex(0);
        m_lastLoaded = QDateTime();
        m_rawSnapshot = StatusSnapshot();
        m_shownSnapshot = StatusSnapshot();
        m_graphData.reset();
        m_declaredGraph.reset();
        m_graphStale = true;
        updateGraph();
    }
    m_detected = detected;
    m_config = config;
    m_masker.setSecrets({config.db.password});
    m_console->setSecrets({config.db.password});
    m_operationBanner->dismiss();

    setWindowTitle(tr("%1 — MigrationDesk").arg(projectName(config)));
    m_settingsAction->setEnabled(true);
    m_stack->setCurrentWidget(m_table);
    m_loadBanner->dismiss();
    updateConnectionLabel();

    m_console->appendHeader(tr("Project %1").arg(QDir::toNativeSeparators(config.root)));
    if (!errors.isEmpty()) {
        for (const QString &error : errors)
            report(MessageLevel::Error, error);
        m_projectBanner->showMessage(MessageLevel::Error,
                                     m_masker.apply(tr("This folder cannot be opened as a Django project: %1")
                                                        .arg(errors.join(QStringLiteral("\n")))),
                                     {m_bannerSettingsAction, m_bannerOpenAction});
        m_job->cancel();
        m_model->clear();
        m_refreshAction->setEnabled(true); // F5 re-reads the folder once it was fixed
        m_operations->setProject(ProjectConfig());
        m_opsPanel->setProject(ProjectConfig());
        m_doctor->setProject(ProjectConfig());
        m_backups->setProject(ProjectConfig());
        m_lock->release();
        updateCounts();
        return;
    }
    m_operations->setProject(config);
    m_opsPanel->setProject(config);
    if (!sameProject) {
        m_graphData.reset(); // another project's graph says nothing about this one
        m_declaredGraph.reset();
    }
    DoctorOptions doctorOptions;
    doctorOptions.composeVariant = m_operations->baseOptions().composeVariant;
    m_doctor->setProject(config, doctorOptions);
    m_backups->setProject(config, m_operations->baseOptions());
    // Operations stay usable while the lock is asked for; a refusal disables them.
    m_lock->acquire(config);
    reportUnfinishedRuns();

    for (const QString &warning : warnings)
        report(MessageLevel::Warning, warning);
    if (!warnings.isEmpty())
        m_projectBanner->showMessage(MessageLevel::Warning, m_masker.apply(warnings.join(QStringLiteral("\n"))),
                                     {m_bannerSettingsAction});
    else
        m_projectBanner->dismiss();

    if (!m_configFromCaller)
        ProjectSettingsStore::addRecentProject(config.root);
    m_recentMenu->setEnabled(!ProjectSettingsStore::recentProjects().isEmpty());
    report(MessageLevel::Info, tr("Backend %1, database %2, target %3")
                                   .arg(QDir::toNativeSeparators(config.backendDir),
                                        QStringLiteral("%1@%2:%3/%4")
                                            .arg(config.db.user, config.db.host)
                                            .arg(config.db.port)
                                            .arg(config.db.name),
                                        targetLabel(config.target)));
    startLoad();
}

void MainWindow::openProjectSettings()
{
    if (!hasProject())
        return;
    ProjectOverrides saved;
    if (!m_configFromCaller)
        saved = ProjectSettingsStore::load(m_config.root);
    // For a caller-made config there is nothing saved yet: what is shown is what is used.
    ProjectSettingsDialog dialog(m_detected, saved, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ProjectOverrides overrides = dialog.overrides();
    ProjectSettingsStore::save(m_config.root, overrides);
    report(MessageLevel::Info, tr("Project settings saved"));
    if (m_configFromCaller) {
        ProjectConfig config = m_detected;
        overrides.applyTo(config);
        applyProject(config, m_detected, {}, {});
    } else {
        openProject(m_config.root);
    }
}

void MainWindow::populateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = ProjectSettingsStore::recentProjects();
    int number = 1;
    for (const QString &dir : recent) {
        const QString text = number < 10 ? QStringLiteral("&%1 %2").arg(number).arg(QDir::toNativeSeparators(dir))
                                         : QDir::toNativeSeparators(dir);
        QAction *action = m_recentMenu->addAction(text);
        action->setToolTip(QFileInfo(dir).isDir() ? dir : tr("%1 (folder not found)").arg(dir));
        connect(action, &QAction::triggered, this, [this, dir] { openProject(dir); });
        ++number;
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("&Clear Recent Projects"));
        connect(clear, &QAction::triggered, this, [] {
            for (const QString &dir : ProjectSettingsStore::recentProjects())
                ProjectSettingsStore::removeRecentProject(dir);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

// ---------------------------------------------------------------------------------------------
// Loading

bool MainWindow::isLoading() const
{
    return m_job->isRunning();
}

void MainWindow::refresh()
{
    if (!hasProject() || m_job->isRunning())
        return; // one load at a time: F5 during a load changes nothing
    if (m_projectBanner->isVisible() && m_projectBanner->level() == MessageLevel::Error)
        return openProject(m_config.root); // the folder may have been fixed since
    startLoad();
}

void MainWindow::startLoad()
{
    ++m_loadsStarted;
    report(MessageLevel::Info, tr("Loading migration status…"));
    m_job->start(m_config);
}

void MainWindow::onLoadingChanged(bool loading)
{
    m_busy->setVisible(loading);
    m_refreshAction->setEnabled(!loading && hasProject());
    updateCounts();
}

void MainWindow::onLoadFinished(const StatusResult &result)
{
    for (const QString &event : result.events)
        report(MessageLevel::Info, event);

    if (!result.ok()) {
        const QString error = m_masker.apply(result.error);
        report(MessageLevel::Error, error);
        QString text = error;
        if (m_lastLoaded.isValid())
            text += QLatin1Char('\n')
                + tr("The table still shows the state read at %1.").arg(m_lastLoaded.toString(QStringLiteral("HH:mm:ss")));
        m_loadBanner->showMessage(MessageLevel::Error, text, {m_bannerRetryAction, m_bannerSettingsAction});
        emit statusLoaded(false);
        if (m_refreshAfterLoad) {
            m_refreshAfterLoad = false;
            startLoad();
        }
        return;
    }

    m_rawSnapshot = result.snapshot;
    m_declaredGraph = std::make_shared<const MigrationGraph>(result.declaredGraph);
    showSnapshot(withGraph(result.snapshot));
    m_lastLoaded = QDateTime::currentDateTime();
    updateAppFilterItems();
    updateCounts();

    if (result.snapshot.historyTableMissing) {
        const QString text = tr("No migration history yet — the database %1 has no django_migrations table, so "
                                "every file is Pending. Running migrate creates it.")
                                 .arg(m_config.db.name);
        report(MessageLevel::Warning, text);
        m_loadBanner->showMessage(MessageLevel::Info, text, {m_bannerRetryAction});
    } else {
        m_loadBanner->dismiss();
    }
    report(MessageLevel::Info, tr("Loaded %1 migrations in %2 ms: %3")
                                   .arg(result.snapshot.rows.size())
                                   .arg(result.elapsedMs)
                                   .arg(MigrationStateStyle::countsText(result.snapshot.counts())));
    updateConnectionLabel();
    emit statusLoaded(true);
    if (m_refreshAfterLoad) {
        m_refreshAfterLoad = false;
        startLoad();
    }
}

// ---------------------------------------------------------------------------------------------
// Filters, counts, status bar

void MainWindow::updateAppFilterItems()
{
    QStringList apps;
    for (const MigrationRow &row : m_model->snapshot().rows) {
        if (apps.isEmpty() || apps.constLast() != row.app)
            apps << row.app;
    }
    apps.removeDuplicates();
    std::sort(apps.begin(), apps.end());
    // The chosen app stays in the list even when it has no rows now: a filter is never lost.
    const QString current = m_appFilter->currentData().toString();
    if (!current.isEmpty() && !apps.contains(current)) {
        apps << current;
        std::sort(apps.begin(), apps.end());
    }
    QStringList existing;
    for (int i = 1; i < m_appFilter->count(); ++i)
        existing << m_appFilter->itemData(i).toString();
    if (existing == apps)
        return;
    const QSignalBlocker blocker(m_appFilter);
    while (m_appFilter->count() > 1)
        m_appFilter->removeItem(1);
    const QStringList projectApps = m_model->snapshot().projectApps;
    for (const QString &app : apps) {
        m_appFilter->addItem(app, app);
        m_appFilter->setItemData(m_appFilter->count() - 1,
                                 projectApps.contains(app) ? tr("App of this project")
                                                           : tr("App outside the project (Django or a package)"),
                                 Qt::ToolTipRole);
    }
    m_appFilter->setCurrentIndex(qMax(0, m_appFilter->findData(current)));
}

void MainWindow::updateCounts()
{
    const auto counts = m_model->snapshot().counts();
    QString html = MigrationStateStyle::countsHtml(counts, palette());
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (!hasProject())
        html = tr("No project open");
    else if (!m_lastLoaded.isValid())
        html = isLoading() ? tr("Loading…") : tr("Status not loaded");
    else if (shown != total)
        html += QStringLiteral(" &nbsp;—&nbsp; ") + tr("showing %1 of %2").arg(shown).arg(total);
    m_countsLabel->setText(html);
    m_countsLabel->setAccessibleName(MigrationStateStyle::countsText(counts));
}

void MainWindow::updateConnectionLabel()
{
    if (!hasProject()) {
        m_connectionLabel->clear();
        m_connectionLabel->setToolTip(QString());
        return;
    }
    // user@host:port/name — the password is never part of it.
    const DbSettings &db = m_config.db;
    const QString target = targetLabel(m_config.target);
    QString text = tr("%1  ·  %2@%3:%4/%5  ·  %6")
                       .arg(projectName(m_config), db.user, db.host)
                       .arg(db.port)
                       .arg(db.name, target);
    if (m_lastLoaded.isValid())
        text += QStringLiteral("  ·  ") + tr("read %1").arg(m_lastLoaded.toString(QStringLiteral("HH:mm:ss")));
    m_connectionLabel->setText(text);
    m_connectionLabel->setToolTip(tr("Project: %1\nCompose file: %2\nBackend: %3\nDatabase: %4@%5:%6/%7\nTarget: %8")
                                      .arg(QDir::toNativeSeparators(m_config.root),
                                           m_config.composeFile.isEmpty() ? tr("none") : QDir::toNativeSeparators(m_config.composeFile),
                                           QDir::toNativeSeparators(m_config.backendDir), db.user, db.host)
                                      .arg(db.port)
                                      .arg(db.name, targetLabel(m_config.target)));
}

void MainWindow::applySearchText()
{
    m_searchTimer->stop();
    m_proxy->setSearchText(m_search->text());
}

void MainWindow::setHistoryMode(bool on)
{
    m_proxy->setHistoryMode(on);
    // Keep the header's arrow in step with the order the proxy now uses.
    const QSignalBlocker blocker(m_table->horizontalHeader());
    m_table->horizontalHeader()->setSortIndicator(m_proxy->sortColumn(), m_proxy->sortOrder());
}

// ---------------------------------------------------------------------------------------------
// Table actions

void MainWindow::copySelection()
{
    QModelIndexList rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    for (const QModelIndex &index : rows) {
        QStringList cells;
        for (int column = 0; column < MigrationTableModel::ColumnCount; ++column)
            cells << m_proxy->index(index.row(), column).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    statusBar()->showMessage(tr("Copied %n row(s)", nullptr, int(rows.size())), 3000);
}

void MainWindow::openSelectedFile()
{
    const QModelIndex current = m_table->currentIndex();
    const QString file = current.data(MigrationTableModel::FileRole).toString();
    if (file.isEmpty()) {
        statusBar()->showMessage(tr("This migration has no file on disk"), 3000);
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(m_config.root).filePath(file)));
}

void MainWindow::showTableMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(m_copyAction);
    const QModelIndex index = m_table->indexAt(pos);
    QAction *open = menu.addAction(m_openFileAction->text());
    open->setEnabled(!index.data(MigrationTableModel::FileRole).toString().isEmpty());
    connect(open, &QAction::triggered, this, &MainWindow::openSelectedFile);
    if (index.isValid()) {
        const QString app = index.data(MigrationTableModel::AppRole).toString();
        QAction *onlyApp = menu.addAction(tr("Show Only App “%1”").arg(app));
        connect(onlyApp, &QAction::triggered, this,
                [this, app] { m_appFilter->setCurrentIndex(qMax(0, m_appFilter->findData(app))); });
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void MainWindow::report(MessageLevel level, const QString &text)
{
    m_console->appendMessage(m_masker.apply(text), level);
}

// ---------------------------------------------------------------------------------------------
// Events

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::ShortcutOverride
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept(); // Esc here clears the search; it does not stop a running plan
        return true;
    }
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            m_search->clear();
            applySearchText();
            m_table->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            applySearchText();
            m_table->setFocus(Qt::TabFocusReason);
            if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
                m_table->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        // State colours are picked per palette lightness; repaint them for the new theme.
        updateCounts();
        for (int i = 0; i < int(MigrationState::StateCount); ++i)
            m_stateFilter->setItemIcon(i + 2, MigrationStateStyle::icon(MigrationState(i), palette()));
        m_table->viewport()->update();
    }
}

void MainWindow::onOperationRunning(bool running)
{
    // A project switched mid-run would get the rest of another project's plan.
    m_openAction->setEnabled(!running);
    m_settingsAction->setEnabled(!running && hasProject());
    m_recentMenu->setEnabled(!running && !ProjectSettingsStore::recentProjects().isEmpty());
    if (!running && m_closeAfterRun)
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::refreshAfterRun(const RunResult &result)
{
    m_backups->reload(); // a destructive run leaves a new backup behind
    if (result.success && result.planId == QLatin1String("history"))
        m_historyAction->setChecked(true); // the table shows the same rows in the same order
    if (!hasProject())
        return;
    if (m_job->isRunning()) {
        m_refreshAfterLoad = true; // the running load may have read the state before the run
        return;
    }
    startLoad();
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
    settings.setValue(kHeaderKey, m_table->horizontalHeader()->saveState());
    m_job->cancel();
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

void MainWindow::onLockAnswer(int result, const QString &message)
{
    switch (ProjectLock::Result(result)) {
    case ProjectLock::Result::Acquired:
        return;
    case ProjectLock::Result::AcquiredFileOnly:
        report(MessageLevel::Warning, message);
        return;
    case ProjectLock::Result::Refused:
    case ProjectLock::Result::Failed:
        break;
    }
    // Two windows changing one database at once is how histories get inconsistent: this
    // window may look, not act.
    report(MessageLevel::Error, message);
    m_operations->setProject(ProjectConfig()); // no project: the controller runs nothing
    m_opsPanel->setProject(ProjectConfig());
    m_doctor->setPlanRunning(true);
    m_backups->setPlanRunning(true);
    m_operationBanner->showMessage(MessageLevel::Error,
                                   m_masker.apply(tr("%1\nThe status table still works; operations are off in "
                                                     "this window. Close the other MigrationDesk, then reopen "
                                                     "the project.").arg(message)));
}

// After a crash or kill mid-run, say what was done and what was not before anything else runs.
void MainWindow::reportUnfinishedRuns()
{
    const QList<JournalEntry> entries = Journal::unfinished(m_config);
    if (entries.isEmpty())
        return;
    QStringList lines;
    for (const JournalEntry &entry : entries) {
        const QString line = tr("“%1” did not finish: %2").arg(entry.title, entry.summary());
        report(MessageLevel::Warning, line);
        lines << line;
    }
    // The actions live until the next project is applied, not as long as the banner.
    delete m_journalActions;
    m_journalActions = new QObject(this);
    auto *forget = new QAction(tr("Forget"), m_journalActions);
    forget->setToolTip(tr("Stop reminding me of these runs (their backups stay in the Backups panel)"));
    const QString root = m_config.root;
    connect(forget, &QAction::triggered, this, [this, entries, root] {
        for (const JournalEntry &entry : entries)
            Journal::discard(root, entry.planId);
        m_operationBanner->dismiss();
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
            m_operationBanner->dismiss();
            m_opsPanel->resumeReset(fromStep, steps);
        });
        actions << resume;
        break;
    }
    actions << forget;
    m_operationBanner->showMessage(MessageLevel::Warning,
                                   m_masker.apply(lines.join(QLatin1Char('\n'))
                                                  + tr("\nResume the automated reset from its wizard, or undo "
                                                       "the change from the Backups panel.")),
                                   actions);
}

// ---------------------------------------------------------------------------------------------
// Doctor, Backups, Graph

void MainWindow::createPanelDocks()
{
    m_doctor = new DoctorPanel(this);
    m_backups = new BackupsPanel(this);
    m_graph = new GraphPanel(this);
    auto dock = [this](QDockWidget *&slot, const QString &title, const QString &name, QWidget *panel,
                       Qt::DockWidgetArea area, const QString &toolTip) {
        slot = new QDockWidget(title, this);
        slot->setObjectName(name);
        slot->setWidget(panel);
        addDockWidget(area, slot);
        QAction *toggle = slot->toggleViewAction();
        toggle->setToolTip(toolTip);
        if (QMenu *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu")))
            view->addAction(toggle);
    };
    dock(m_doctorDock, tr("Doctor"), QStringLiteral("doctorDock"), m_doctor, Qt::RightDockWidgetArea,
         tr("Find every inconsistency in the migration state and fix it with a previewed, minimal change"));
    dock(m_backupsDock, tr("Backups"), QStringLiteral("backupsDock"), m_backups, Qt::RightDockWidgetArea,
         tr("Backups taken before every destructive step: restore one or undo the last change"));
    dock(m_graphDock, tr("Graph"), QStringLiteral("graphDock"), m_graph, Qt::BottomDockWidgetArea,
         tr("Django's dependency graph and the applied timeline"));
    tabifyDockWidget(m_opsDock, m_doctorDock);
    tabifyDockWidget(m_doctorDock, m_backupsDock);
    tabifyDockWidget(m_consoleDock, m_graphDock);
    connect(m_graphDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            QTimer::singleShot(0, this, &MainWindow::updateGraph); // after the tab switch painted
    });
    m_opsDock->raise();
    m_consoleDock->raise();
    resizeDocks({m_opsDock}, {290}, Qt::Horizontal); // the table gets the width
    resizeDocks({m_consoleDock}, {200}, Qt::Vertical);
    m_doctorDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_backupsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));

    connect(m_doctor, &DoctorPanel::runPlanRequested, this, [this](const Plan &plan, const QString &title) {
        runPanelPlan(plan, title, [this] { m_doctor->diagnose(); }); // verify the fix with Django
    });
    connect(m_doctor, &DoctorPanel::diagnosed, this, &MainWindow::onDiagnosed);
    connect(this, &MainWindow::doctorRequested, this, [this] {
        m_doctorDock->show();
        m_doctorDock->raise();
        m_doctor->diagnose();
    });
    connect(m_backups, &BackupsPanel::runPlanRequested, this, [this](const Plan &plan, const QString &title) {
        runPanelPlan(plan, title, [this] { m_backups->reload(); });
    });
    connect(m_backups, &BackupsPanel::pruneRequested, this, [this](int keep, const QString &question) {
        if (QMessageBox::question(this, tr("Prune backups"), question) == QMessageBox::Yes)
            m_backups->prune(keep);
    });
    connect(m_operations, &OperationController::runningChanged, this, [this](bool running) {
        m_doctor->setPlanRunning(running);
        m_backups->setPlanRunning(running);
    });
    connect(m_operations, &OperationController::runFinished, this, [this] {
        if (const std::function<void()> after = std::exchange(m_afterPanelRun, {}))
            after();
    });
    // A click on a node selects its row; a row selected in the table selects its node.
    connect(m_graph->view(), &MigrationGraphView::migrationSelected, this, [this](const QString &key) {
        const QModelIndex shown = m_proxy->mapFromSource(
            m_model->indexForKey(key.section(QLatin1Char('.'), 0, 0), key.section(QLatin1Char('.'), 1)));
        if (shown.isValid() && m_table->currentIndex().row() != shown.row()) {
            m_table->setCurrentIndex(shown);
            m_table->scrollTo(shown);
        }
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        const QString key = current.data(MigrationTableModel::KeyRole).toString();
        if (!key.isEmpty() && m_graph->view()->selectedMigration() != key)
            m_graph->view()->selectMigration(key);
    });
    connect(m_graph->view(), &MigrationGraphView::migrationActivated, this, [this](const QString &key) {
        const QModelIndex source = m_model->indexForKey(key.section(QLatin1Char('.'), 0, 0),
                                                        key.section(QLatin1Char('.'), 1));
        const QModelIndex shown = m_proxy->mapFromSource(source);
        if (shown.isValid()) {
            m_table->setCurrentIndex(shown);
            m_table->scrollTo(shown);
        }
    });
}

void MainWindow::runPanelPlan(const Plan &plan, const QString &title, const std::function<void()> &after)
{
    if (m_operations->isRunning() || !hasProject())
        return;
    PlanPreviewDialog preview(this);
    preview.setOperation(title, plan.title, plan.destructive);
    preview.setPlanText(PlanRenderer::render(plan), {});
    if (preview.exec() != QDialog::Accepted || !m_operations->hasProject() || plan.projectRoot != m_config.root)
        return;
    if (plan.destructive) {
        Confirmation confirmation;
        confirmation.question = tr("Run “%1”? It changes the database or the project's files.").arg(title);
        confirmation.typedWord = QStringLiteral("APPLY");
        confirmation.undo = tr("A backup is taken first; undo it from the Backups panel.");
        ConfirmationDialog confirm(title, confirmation, QString(), ProductionGuard::reasons(m_config),
                                   m_config.db.name, this);
        if (confirm.exec() != QDialog::Accepted || !m_operations->hasProject())
            return;
        const QString refusal = ProductionGuard::refusal(m_config, plan, confirm.typedDatabaseName());
        if (!refusal.isEmpty()) {
            report(MessageLevel::Error, refusal);
            m_operationBanner->showMessage(MessageLevel::Error, m_masker.apply(refusal));
            return;
        }
    }
    // Only now, after the user said yes: the plan's backup folders may be created.
    QString error;
    if (!PlanExecution::prepareOutputFolders(plan, &error)) {
        report(MessageLevel::Error, error);
        return;
    }
    m_afterPanelRun = after;
    if (!m_operations->run(plan))
        m_afterPanelRun = {};
}

void MainWindow::onDiagnosed(const Diagnosis &diagnosis)
{
    if (!diagnosis.inputs.graphAvailable)
        return;
    m_graphData = std::make_shared<const MigrationGraph>(diagnosis.inputs.graph);
    showSnapshot(withGraph(m_rawSnapshot));
    updateCounts();
}

StatusSnapshot MainWindow::withGraph(StatusSnapshot snapshot) const
{
    if (!m_graphData)
        return snapshot;
    const StatusGraphInfo info = StatusEnricher::enrich(&snapshot, *m_graphData);
    for (MigrationRow &row : snapshot.rows)
        row.dependencies = info.dependencies.value(row.key());
    return snapshot;
}

void MainWindow::showSnapshot(const StatusSnapshot &snapshot)
{
    m_model->setSnapshot(snapshot);
    m_shownSnapshot = snapshot; // shares the strings with the model's rows
    m_graphStale = true;
    updateGraph();
}

// Laying out thousands of nodes is wasted while the Graph tab is hidden: do it when it shows.
void MainWindow::updateGraph()
{
    if (!m_graphStale || !m_graphDock->isVisible() || m_graphDock->visibleRegion().isEmpty())
        return;
    m_graphStale = false;
    // Django's graph once the doctor read it; until then the one the files declare.
    m_graph->setData(m_graphData ? *m_graphData : m_declaredGraph ? *m_declaredGraph : MigrationGraph(), m_shownSnapshot);
}
