#include "statuspage.h"

#include "ui_statuspage.h"

#include "doctor/statusenricher.h"

#include "messagebanner.h"
#include "migrationactions.h"
#include "migrationfilterproxy.h"
#include "migrationstatestyle.h"
#include "migrationtablemodel.h"
#include "projectlabels.h"
#include "statusloadjob.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QStyle>
#include <QTimer>
#include <QUrl>
#include <QtConcurrent>

namespace {

// Above this many rows a keystroke in the search box waits for a pause before filtering.
constexpr int kImmediateSearchRows = 5000;

} // namespace

using ProjectLabels::projectName;
using ProjectLabels::targetLabel;
using ProjectLabels::themedIcon;

StatusPage::StatusPage(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::StatusPage>())
    , m_model(new MigrationTableModel(this))
    , m_proxy(new MigrationFilterProxy(this))
    , m_job(new StatusLoadJob(this))
{
    ui->setupUi(this);
    m_proxy->setSourceModel(m_model);
    createActions();
    createFilters();

    QTableView *table = ui->statusTable;
    table->setModel(m_proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(MigrationTableModel::App, Qt::AscendingOrder);
    // Fixed row heights keep 100,000 rows cheap to lay out.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *header = table->horizontalHeader();
    header->setSectionsMovable(true);
    header->resizeSection(MigrationTableModel::App, 170);
    header->resizeSection(MigrationTableModel::Migration, 300);
    header->resizeSection(MigrationTableModel::State, 120);
    header->resizeSection(MigrationTableModel::AppliedAt, 160);
    table->addAction(m_copyAction);
    table->addAction(m_openFileAction);
    connect(table, &QWidget::customContextMenuRequested, this, &StatusPage::showTableMenu);
    // Shown until a project is opened: says what to do instead of an empty grid.
    ui->pages->setCurrentWidget(ui->welcomePage);

    // The counts and the connection in the window's status bar; the busy bar while a load runs.
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_countsLabel->setTextFormat(Qt::RichText);
    m_countsLabel->setToolTip(tr("Migrations per state in the whole project; the filters do not change these counts"));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // busy indicator: the load reports no progress
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(fontMetrics().height());
    m_busy->setTextVisible(false);
    m_busy->setToolTip(tr("Reading django_migrations and the migration files…"));
    m_busy->hide();
    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_connectionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    connect(m_job, &StatusLoadJob::runningChanged, this, &StatusPage::onLoadingChanged);
    connect(m_job, &StatusLoadJob::finished, this, &StatusPage::onLoadFinished);
    connect(ui->statusTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString key = current.data(MigrationTableModel::KeyRole).toString();
                if (!key.isEmpty())
                    emit currentMigrationChanged(key);
            });
    // A sort or filter of a big table runs on the thread pool: the busy bar says so meanwhile.
    connect(m_proxy, &MigrationFilterProxy::busyChanged, this, [this] { m_busy->setVisible(isLoading() || m_proxy->isBusy()); });
    // A big snapshot is merged once the thread pool planned it: the app list and counts follow it.
    connect(m_model, &MigrationTableModel::merged, this, [this] {
        updateAppFilterItems();
        updateCounts();
    });
    connect(m_proxy, &MigrationFilterProxy::filterChanged, this, &StatusPage::updateCounts);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &StatusPage::updateCounts);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &StatusPage::updateCounts);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &StatusPage::updateCounts);
    updateCounts();
    updateConnectionLabel();
}

StatusPage::~StatusPage() = default;

QTableView *StatusPage::tableView() const { return ui->statusTable; }
MessageBanner *StatusPage::projectBanner() const { return ui->projectBanner; }
MessageBanner *StatusPage::loadBanner() const { return ui->loadBanner; }
MessageBanner *StatusPage::operationBanner() const { return ui->operationBanner; }

void StatusPage::createActions()
{
    m_historyAction = new QAction(themedIcon(QStringLiteral("view-history"), QStyle::SP_FileDialogContentsView, style()),
                                  tr("&History Mode"), this);
    m_historyAction->setCheckable(true);
    m_historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    m_historyAction->setToolTip(tr("List applied migrations in the order Django applied them, like "
                                   "SELECT app, name, applied FROM django_migrations ORDER BY applied (Ctrl+H)"));
    connect(m_historyAction, &QAction::toggled, this, &StatusPage::setHistoryMode);

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
    connect(m_copyAction, &QAction::triggered, this, &StatusPage::copySelection);

    m_openFileAction = new QAction(tr("Open Migration &File"), this);
    m_openFileAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_openFileAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_openFileAction->setToolTip(tr("Open the selected migration's file in the default editor"));
    connect(m_openFileAction, &QAction::triggered, this, &StatusPage::openSelectedFile);
}

void StatusPage::createFilters()
{
    m_appFilter = new QComboBox(this);
    m_appFilter->setObjectName(QStringLiteral("appFilter"));
    m_appFilter->setToolTip(tr("Show the migrations of one app only"));
    m_appFilter->setAccessibleName(tr("App filter"));
    m_appFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_appFilter->setMinimumContentsLength(14);
    m_appFilter->addItem(tr("All apps"), QString());
    connect(m_appFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setAppFilter(m_appFilter->currentData().toString()); });

    m_stateFilter = new QComboBox(this);
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

    m_search = new QLineEdit(this);
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
    connect(m_searchTimer, &QTimer::timeout, this, &StatusPage::applySearchText);
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (m_model->rowCount() <= kImmediateSearchRows)
            applySearchText();
        else
            m_searchTimer->start();
    });
}

void StatusPage::setBannerActions(QAction *retry, QAction *settings)
{
    m_retryAction = retry;
    m_settingsAction = settings;
}

void StatusPage::setOpenAction(QAction *open)
{
    ui->openButton->setIcon(open->icon());
    ui->openButton->setText(open->text());
    ui->openButton->setToolTip(open->toolTip());
    connect(ui->openButton, &QPushButton::clicked, open, &QAction::trigger);
}

// ---------------------------------------------------------------------------------------------
// Project and loading

void StatusPage::setProject(const ProjectConfig &config, bool otherProject)
{
    if (otherProject) {
        // Rows of another project must never merge into this one's.
        m_job->cancel();
        m_model->clear();
        m_appFilter->setCurrentIndex(0);
        m_lastLoaded = QDateTime();
        m_rawSnapshot = StatusSnapshot();
        m_graph.reset(); // another project's graph says nothing about this one
        m_declaredGraph.reset();
        ++m_enrichJob;   // nor does an enrichment of its rows still running
        dropCopy(QString()); // nor a copy of its rows still being made
        emit snapshotShown(StatusSnapshot(), m_graph);
    }
    m_config = config;
    m_masker.setSecrets({config.db.password});
    ui->operationBanner->dismiss();
    ui->pages->setCurrentWidget(ui->statusTable);
    ui->loadBanner->dismiss();
    updateConnectionLabel();
}

void StatusPage::clearRows()
{
    m_job->cancel();
    m_model->clear();
    updateCounts();
}

bool StatusPage::isLoading() const
{
    return m_job->isRunning();
}

void StatusPage::load()
{
    startLoad(); // supersedes a running load (its result is dropped)
}

void StatusPage::cancelLoad()
{
    m_job->cancel();
}

void StatusPage::reloadAfterRun()
{
    if (m_config.root.isEmpty())
        return;
    if (m_job->isRunning()) {
        m_refreshAfterLoad = true; // the running load may have read the state before the run
        return;
    }
    startLoad();
}

void StatusPage::startLoad()
{
    ++m_loadsStarted; // the busy indicator says it loads; the console gets one line at the end
    m_job->start(m_config);
}

void StatusPage::onLoadingChanged(bool loading)
{
    m_busy->setVisible(loading || m_proxy->isBusy());
    updateCounts();
    emit loadingChanged(loading);
}

void StatusPage::onLoadFinished(const StatusResult &result)
{
    if (!result.ok()) {
        // What was read before it failed helps to see where it failed; after a success the
        // steps are one line (below).
        for (const QString &event : result.events)
            emit message(event, MessageLevel::Info);
        const QString error = m_masker.apply(result.error);
        emit message(error, MessageLevel::Error);
        QString text = error;
        if (m_lastLoaded.isValid())
            text += QLatin1Char('\n')
                + tr("The table still shows the state read at %1.").arg(m_lastLoaded.toString(QStringLiteral("HH:mm:ss")));
        ui->loadBanner->showMessage(MessageLevel::Error, text, {m_retryAction, m_settingsAction});
    } else {
        m_rawSnapshot = result.snapshot;
        m_declaredGraph = std::make_shared<const MigrationGraph>(result.declaredGraph);
        showSnapshot(result.snapshot);
        m_lastLoaded = QDateTime::currentDateTime();
        updateAppFilterItems();
        updateCounts();
        if (result.snapshot.historyTableMissing) {
            const QString text = tr("No migration history yet — the database %1 has no django_migrations table, so "
                                    "every file is Pending. Running migrate creates it.")
                                     .arg(m_config.db.name);
            emit message(text, MessageLevel::Warning);
            ui->loadBanner->showMessage(MessageLevel::Info, text, {m_retryAction});
        } else {
            ui->loadBanner->dismiss();
        }
        emit message(tr("Status: %1 migrations (%2) · %3 rows in django_migrations · %4 files · read in %5 ms")
                         .arg(result.snapshot.rows.size())
                         .arg(MigrationStateStyle::countsText(result.counts))
                         .arg(result.snapshot.recordCount)
                         .arg(result.snapshot.fileCount)
                         .arg(result.elapsedMs),
                     MessageLevel::Info);
        updateConnectionLabel();
    }
    emit statusLoaded(result.ok());
    if (m_refreshAfterLoad) {
        m_refreshAfterLoad = false;
        startLoad();
    }
}

void StatusPage::setGraph(const MigrationGraph &graph)
{
    m_graph = std::make_shared<const MigrationGraph>(graph);
    showSnapshot(m_rawSnapshot);
    updateCounts();
}

namespace {

// What Django's graph adds to a snapshot (Inconsistent, Dependencies).
StatusSnapshot enriched(StatusSnapshot snapshot, const MigrationGraph &graph)
{
    const StatusGraphInfo info = StatusEnricher::enrich(&snapshot, graph);
    for (MigrationRow &row : snapshot.rows)
        row.dependencies = info.dependencies.value(row.key());
    return snapshot;
}

} // namespace

// The snapshot with what Django's graph adds, when known. Enriching copies every row and looks
// each one up: for a table the model would merge off the GUI thread, it is done there too
// (about 0.3 s at a million rows); the latest request wins.
void StatusPage::showSnapshot(const StatusSnapshot &loaded)
{
    const quint64 job = ++m_enrichJob;
    if (!m_graph) {
        applySnapshot(loaded);
        return;
    }
    if (loaded.rows.size() <= m_model->synchronousRows()) {
        applySnapshot(enriched(loaded, *m_graph));
        return;
    }
    auto *watcher = new QFutureWatcher<StatusSnapshot>(this);
    connect(watcher, &QFutureWatcher<StatusSnapshot>::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        if (job == m_enrichJob)
            applySnapshot(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([loaded, graph = m_graph] { return enriched(loaded, *graph); }));
}

void StatusPage::applySnapshot(const StatusSnapshot &snapshot)
{
    m_model->setSnapshot(snapshot);
    emit snapshotShown(snapshot, m_graph ? m_graph : m_declaredGraph); // shares the strings with the model's rows
}

void StatusPage::selectMigration(const QString &key)
{
    const QModelIndex source = m_model->indexForKey(key.section(QLatin1Char('.'), 0, 0), key.section(QLatin1Char('.'), 1));
    const QModelIndex shown = m_proxy->mapFromSource(source);
    if (shown.isValid()) {
        ui->statusTable->setCurrentIndex(shown);
        ui->statusTable->scrollTo(shown);
    }
}

// ---------------------------------------------------------------------------------------------
// Filters, counts, labels

void StatusPage::updateAppFilterItems()
{
    QStringList apps = m_model->summary().apps;
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

void StatusPage::updateCounts()
{
    const auto counts = m_model->summary().counts;
    QString html = MigrationStateStyle::countsHtml(counts, palette());
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (m_config.root.isEmpty())
        html = tr("No project open");
    else if (!m_lastLoaded.isValid())
        html = isLoading() ? tr("Loading…") : tr("Status not loaded");
    else if (shown != total)
        html += QStringLiteral(" &nbsp;—&nbsp; ") + tr("showing %1 of %2").arg(shown).arg(total);
    m_countsLabel->setText(html);
    m_countsLabel->setAccessibleName(MigrationStateStyle::countsText(counts));
}

void StatusPage::updateConnectionLabel()
{
    if (m_config.root.isEmpty()) {
        m_connectionLabel->clear();
        m_connectionLabel->setToolTip(QString());
        return;
    }
    // user@host:port/name — the password is never part of it.
    const DbSettings &db = m_config.db;
    QString text = tr("%1  ·  %2@%3:%4/%5  ·  %6")
                       .arg(projectName(m_config), db.user, db.host)
                       .arg(db.port)
                       .arg(db.name, targetLabel(m_config));
    if (m_lastLoaded.isValid())
        text += QStringLiteral("  ·  ") + tr("read %1").arg(m_lastLoaded.toString(QStringLiteral("HH:mm:ss")));
    m_connectionLabel->setText(text);
    m_connectionLabel->setToolTip(tr("Project: %1\nCompose file: %2\nBackend: %3\nDatabase: %4@%5:%6/%7\nTarget: %8")
                                      .arg(QDir::toNativeSeparators(m_config.root),
                                           m_config.composeFile.isEmpty() ? tr("none") : QDir::toNativeSeparators(m_config.composeFile),
                                           QDir::toNativeSeparators(m_config.backendDir), db.user, db.host)
                                      .arg(db.port)
                                      .arg(db.name, targetLabel(m_config)));
}

void StatusPage::applySearchText()
{
    m_searchTimer->stop();
    m_proxy->setSearchText(m_search->text());
}

void StatusPage::setHistoryMode(bool on)
{
    m_proxy->setHistoryMode(on);
    // Keep the header's arrow in step with the order the proxy now uses.
    const QSignalBlocker blocker(ui->statusTable->horizontalHeader());
    ui->statusTable->horizontalHeader()->setSortIndicator(m_proxy->sortColumn(), m_proxy->sortOrder());
}

// ---------------------------------------------------------------------------------------------
// Table actions and events

void StatusPage::copySelection()
{
    const QItemSelectionModel *selection = ui->statusTable->selectionModel();
    if (!selection || !selection->hasSelection())
        return;
    // Rows from the selection's ranges, not selectedRows(): that one makes an index per row and
    // column, seconds for a whole table of a million rows.
    std::vector<int> shown;
    for (const QItemSelectionRange &range : selection->selection()) {
        for (int r = range.top(); r <= range.bottom(); ++r)
            shown.push_back(r);
    }
    if (!std::is_sorted(shown.cbegin(), shown.cend()))
        std::sort(shown.begin(), shown.end()); // moved header sections: one range per column
    shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
    if (shown.empty()) // hasSelection() counts ranges that selection() drops
        return;
    std::vector<int> rows;
    rows.reserve(shown.size());
    for (const int r : shown)
        rows.push_back(m_proxy->sourceRowOf(r));
    const int count = int(rows.size());
    dropCopy(QString()); // this copy is newer than one still being made
    if (count <= m_synchronousCopyRows) {
        finishCopy(MigrationTableModel::tabSeparated(m_model->rows(), rows), count);
        return;
    }
    const quint64 job = m_copyJob;
    m_copyPending = true;
    emit statusMessage(tr("Copying %n row(s)…", nullptr, count), 0);
    // Whatever reaches the clipboard meanwhile (text copied elsewhere) is newer than this copy.
    m_copyWatch = connect(QApplication::clipboard(), &QClipboard::dataChanged, this, [this] {
        dropCopy(tr("Copy Rows dropped: something else was copied meanwhile"));
    });
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, job, count] {
        watcher->deleteLater();
        if (job == m_copyJob && m_copyPending)
            finishCopy(watcher->result(), count);
    });
    // The model's rows are shared, not copied: a refresh meanwhile replaces them, this copy keeps
    // the rows that were selected.
    watcher->setFuture(QtConcurrent::run([all = m_model->rows(), rows = std::move(rows)] {
        return MigrationTableModel::tabSeparated(all, rows);
    }));
}

void StatusPage::finishCopy(const QString &text, int rows)
{
    dropCopy(QString()); // our own setText below is not news
    QApplication::clipboard()->setText(text);
    emit statusMessage(tr("Copied %n row(s)", nullptr, rows), 3000);
}

// A copy still being made on the thread pool is dropped: its text never reaches the clipboard,
// and why replaces "Copying…" in the status bar (empty: it is only cleared).
void StatusPage::dropCopy(const QString &why)
{
    if (!m_copyPending)
        return;
    m_copyPending = false;
    ++m_copyJob;
    disconnect(m_copyWatch);
    emit statusMessage(why, 3000);
}

void StatusPage::openSelectedFile()
{
    openFile(ui->statusTable->currentIndex().data(MigrationTableModel::FileRole).toString());
}

void StatusPage::openMigrationFile(const QString &key)
{
    const QModelIndex source = m_model->indexForKey(key.section(QLatin1Char('.'), 0, 0), key.section(QLatin1Char('.'), 1));
    openFile(source.data(MigrationTableModel::FileRole).toString());
}

void StatusPage::openFile(const QString &file)
{
    if (file.isEmpty()) {
        emit statusMessage(tr("This migration has no file on disk"), 3000);
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(m_config.root).filePath(file)));
}

void StatusPage::showTableMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(m_copyAction);
    const QModelIndex index = ui->statusTable->indexAt(pos);
    QAction *open = menu.addAction(m_openFileAction->text());
    open->setEnabled(!index.data(MigrationTableModel::FileRole).toString().isEmpty());
    connect(open, &QAction::triggered, this, &StatusPage::openSelectedFile);
    if (index.isValid()) {
        const QString app = index.data(MigrationTableModel::AppRole).toString();
        QAction *onlyApp = menu.addAction(tr("Show Only App “%1”").arg(app));
        connect(onlyApp, &QAction::triggered, this,
                [this, app] { m_appFilter->setCurrentIndex(qMax(0, m_appFilter->findData(app))); });
        // Per-migration control: each is the operation with its options, previewed as every run.
        const QString name = index.data(MigrationTableModel::NameRole).toString();
        if (!index.data(MigrationTableModel::FileRole).toString().isEmpty()) {
            menu.addSeparator();
            for (const MigrationActions::Request &r : MigrationActions::requests(app, name)) {
                QAction *a = menu.addAction(r.text);
                connect(a, &QAction::triggered, this, [this, r] { emit operationRequested(r.operation, r.values); });
            }
        }
    }
    menu.exec(ui->statusTable->viewport()->mapToGlobal(pos));
}

bool StatusPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::ShortcutOverride
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept(); // Esc here clears the search; it does not stop a running plan
        return true;
    }
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        QTableView *table = ui->statusTable;
        if (key->key() == Qt::Key_Escape) {
            m_search->clear();
            applySearchText();
            table->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            applySearchText();
            table->setFocus(Qt::TabFocusReason);
            if (!table->currentIndex().isValid() && m_proxy->rowCount() > 0)
                table->setCurrentIndex(m_proxy->index(0, 0));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StatusPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        // State colours are picked per palette lightness; repaint them for the new theme.
        updateCounts();
        for (int i = 0; i < int(MigrationState::StateCount); ++i)
            m_stateFilter->setItemIcon(i + 2, MigrationStateStyle::icon(MigrationState(i), palette()));
        ui->statusTable->viewport()->update();
    }
}
