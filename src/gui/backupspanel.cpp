#include "backupspanel.h"

#include "ui_backupspanel.h"

#include "backupmodel.h"
#include "messagebanner.h"
#include "safety/restoreplans.h"

#include <QCoreApplication>
#include <QFile>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPointer>
#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace {

constexpr int kMaxListedArtifacts = 200; // a files backup can hold thousands: keep the pane light

QString when(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

BackupsPanel::BackupsPanel(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::BackupsPanel>())
    , m_banner(new MessageBanner(this))
    , m_model(new BackupModel(this))
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("backupsPanel"));
    m_banner->setObjectName(QStringLiteral("backupsBanner"));
    m_banner->hide();
    ui->mainLayout->insertWidget(1, m_banner);

    ui->backupsView->setModel(m_model);
    ui->backupsView->setSelectionMode(QAbstractItemView::SingleSelection);
    ui->backupsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    QHeaderView *header = ui->backupsView->header();
    header->setStretchLastSection(true);
    // Sized from the rows on screen: measuring all of 1,000 rows' formatted dates and sizes on
    // every fill stalled the GUI thread longer than the listing it shows.
    header->setResizeContentsPrecision(0);
    for (int c : {BackupModel::TimeColumn, BackupModel::OperationColumn, BackupModel::SizeColumn})
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    // The one-line description wraps: keep room for two lines whatever the splitter wants.
    ui->describeLabel->setMinimumHeight(ui->describeLabel->fontMetrics().lineSpacing() * 2 + 4);
    ui->describeLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    ui->splitter->setStretchFactor(0, 3);
    ui->splitter->setStretchFactor(1, 2);

    connect(ui->reloadButton, &QPushButton::clicked, this, &BackupsPanel::reload);
    connect(ui->restoreButton, &QPushButton::clicked, this, &BackupsPanel::requestRestore);
    connect(ui->undoButton, &QPushButton::clicked, this, &BackupsPanel::requestUndo);
    connect(ui->pruneButton, &QPushButton::clicked, this, &BackupsPanel::requestPrune);
    connect(ui->keepSpin, &QSpinBox::valueChanged, this, &BackupsPanel::updateButtons);
    connect(ui->backupsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BackupsPanel::onSelectionChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &BackupsPanel::onSelectionChanged);
    updateButtons();
}

BackupsPanel::~BackupsPanel() = default;

QTreeView *BackupsPanel::backupsView() const { return ui->backupsView; }
QPushButton *BackupsPanel::restoreButton() const { return ui->restoreButton; }
QPushButton *BackupsPanel::undoButton() const { return ui->undoButton; }
QPushButton *BackupsPanel::pruneButton() const { return ui->pruneButton; }
QSpinBox *BackupsPanel::keepSpin() const { return ui->keepSpin; }
QString BackupsPanel::detailsText() const { return ui->detailsText->toPlainText(); }

void BackupsPanel::setProject(const ProjectConfig &config, const OperationOptions &options)
{
    const bool otherProject = config.root != m_config.root;
    m_config = config;
    m_options = options;
    if (otherProject) {
        // A prune of the other project finishes in the pool; its result is dropped.
        m_pruning = m_reloadAfterPrune = false;
        m_model->setBackups({});
        m_totalSize = 0;
        ui->totalLabel->setText(config.root.isEmpty() ? tr("No project.") : tr("Reading backups…"));
        onSelectionChanged();
    }
    m_banner->dismiss();
    reload();
}

// What a job found in the backups folder (value type: made on the pool, shown on the GUI thread).
struct BackupsPanel::Listing
{
    QList<BackupInfo> backups;
    qint64 totalSize = 0;
    QString folder;
    bool pruned = false;
    QStringList removed;
    QString pruneError;
};

BackupsPanel::Listing BackupsPanel::listFolder(const ProjectConfig &config)
{
    const BackupStore store(config);
    BackupsPanel::Listing listing;
    // listAll(): half-made folders (a backup that failed) take space too and prune removes them.
    listing.backups = store.listAll();
    listing.totalSize = store.totalSize();
    listing.folder = store.folder();
    return listing;
}

void BackupsPanel::reload()
{
    if (m_config.root.isEmpty()) {
        ++m_jobId; // whatever still runs is for a project that is gone
        m_loading = m_pruning = m_reloadAfterPrune = false;
        showListing(Listing());
        return;
    }
    if (m_pruning) {
        m_reloadAfterPrune = true; // the folder is changing under the listing: read it after
        return;
    }
    const ProjectConfig config = m_config;
    startJob([config] { return listFolder(config); });
}

void BackupsPanel::startJob(const std::function<Listing()> &work)
{
    const quint64 id = ++m_jobId;
    m_loading = true;
    updateButtons();
    // The watcher is not the panel's child: the panel may go while the job runs. The result is
    // delivered to a QPointer and dropped when the panel is gone or a newer job started.
    auto *watcher = new QFutureWatcher<Listing>(QCoreApplication::instance());
    const QPointer<BackupsPanel> panel(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, panel, id] {
        watcher->deleteLater();
        if (!panel || id != panel->m_jobId)
            return;
        panel->m_loading = false;
        panel->m_pruning = false;
        panel->showListing(watcher->result());
        if (std::exchange(panel->m_reloadAfterPrune, false))
            panel->reload();
    });
    watcher->setFuture(QtConcurrent::run(work));
}

void BackupsPanel::showListing(const Listing &listing)
{
    const QString selected = selectedBackup().id;
    m_model->setBackups(listing.backups);
    m_totalSize = listing.totalSize;
    if (m_config.root.isEmpty()) {
        ui->totalLabel->setText(tr("No project."));
        ui->totalLabel->setToolTip(QString());
    } else {
        const int incomplete = int(std::count_if(m_model->backups().cbegin(), m_model->backups().cend(),
                                                 [](const BackupInfo &b) { return !b.complete; }));
        QString total = tr("%n backup(s), %1 in total", nullptr, m_model->rowCount()).arg(BackupModel::formatSize(m_totalSize));
        if (incomplete > 0)
            total += tr(" (%n incomplete)", nullptr, incomplete);
        ui->totalLabel->setText(total);
        ui->totalLabel->setToolTip(listing.folder);
    }
    if (!selectBackup(selected) && m_model->rowCount() > 0)
        ui->backupsView->setCurrentIndex(m_model->index(0, 0));
    onSelectionChanged();
    if (listing.pruned) {
        if (!listing.pruneError.isEmpty())
            m_banner->showMessage(MessageLevel::Error, tr("Pruning stopped: %1").arg(listing.pruneError));
        else
            m_banner->showMessage(MessageLevel::Info, tr("Removed %n old backup(s).", nullptr, int(listing.removed.size())));
    }
    emit loaded();
    if (listing.pruned && listing.pruneError.isEmpty())
        emit pruned(listing.removed);
}

BackupInfo BackupsPanel::selectedBackup() const
{
    const QModelIndex current = ui->backupsView->currentIndex();
    const BackupInfo *b = current.isValid() ? m_model->backup(current.row()) : nullptr;
    return b ? *b : BackupInfo();
}

bool BackupsPanel::selectBackup(const QString &id)
{
    const int row = m_model->rowOfId(id);
    if (row < 0)
        return false;
    ui->backupsView->setCurrentIndex(m_model->index(row, 0));
    return true;
}

QString BackupsPanel::describe(const BackupInfo &b)
{
    if (b.isNull())
        return QString();
    if (!b.complete)
        return tr("Backup %1 is incomplete (no manifest): it cannot be restored.").arg(b.id);
    const QString back = b.restoredText();
    if (back.isEmpty())
        return tr("Backup %1 holds nothing to restore.").arg(b.id);
    const QString at = QLocale().toString(b.time.toLocalTime(), QStringLiteral("HH:mm"));
    // What comes back, counted, as of when; then how.
    QStringList how;
    if (b.hasDatabase)
        how << tr("pg_restore --clean of its dump in one transaction");
    else if (b.hasHistory)
        how << tr("the django_migrations rows replaced by the snapshot");
    if (!b.files.isEmpty())
        how << tr("the files copied back, checksums verified");
    return tr("Puts back %1 as of %2 (%3). What it overwrites is backed up first; then %4.")
        .arg(back, at, BackupModel::label(b), how.join(tr(", and ")));
}

// Restore and Undo list what comes back, counted, not SQL: "28 rows of django_migrations as of
// 09:39", "12 migration files".
Confirmation BackupsPanel::confirmationFor(const BackupInfo &b, const QString &verb)
{
    Confirmation c;
    if (b.isNull())
        return c;
    const QString at = QLocale().toString(b.time.toLocalTime(), QStringLiteral("HH:mm"));
    c.question = tr("%1: put the project back as it was at %2 (%3)?").arg(verb, at, BackupModel::label(b));
    if (b.hasDatabase)
        c.items << tr("database %1 as of %2 (every table, dump verified when it was taken)").arg(b.databaseName, at);
    if (b.hasHistory)
        c.items << (b.historyRows >= 0 ? tr("%1 rows of django_migrations as of %2").arg(b.historyRows).arg(at)
                                       : tr("the rows of django_migrations as of %1").arg(at));
    if (!b.files.isEmpty())
        c.items << tr("%1 migration files, checksums verified").arg(b.files.size());
    c.typedWord = QStringLiteral("RESTORE");
    c.undo = tr("What it overwrites is backed up first: the Backups panel can put that back too.");
    return c;
}

QString BackupsPanel::describeUndo() const
{
    if (m_config.root.isEmpty())
        return QString();
    const BackupInfo last = BackupStore::nextUndoOf(m_model->backups());
    return last.isNull() ? QString() : describe(last);
}

QStringList BackupsPanel::pruneCandidates(int keep, qint64 *bytes) const
{
    // Mirrors BackupStore::prune: the newest `keep` complete backups stay, the rest goes.
    QStringList ids;
    qint64 total = 0;
    int kept = 0;
    for (const BackupInfo &b : m_model->backups()) {
        if (b.complete && kept < keep) {
            ++kept;
            continue;
        }
        ids << b.id;
        total += b.size;
    }
    if (bytes)
        *bytes = total;
    return ids;
}

bool BackupsPanel::prune(int keep)
{
    if (m_config.root.isEmpty() || m_planRunning || m_pruning)
        return false;
    const ProjectConfig config = m_config;
    m_pruning = true;
    startJob([config, keep] {
        QString error;
        const QStringList removed = BackupStore(config).prune(keep, &error);
        Listing listing = listFolder(config);
        listing.pruned = true;
        listing.removed = removed;
        listing.pruneError = error;
        return listing;
    });
    return true;
}

void BackupsPanel::setPlanRunning(bool running)
{
    m_planRunning = running;
    updateButtons();
}

void BackupsPanel::onSelectionChanged()
{
    const BackupInfo b = selectedBackup();
    if (b.isNull()) {
        ui->detailsText->setHtml(m_model->rowCount() == 0
                                     ? tr("<p>No backups yet. MigrationDesk takes one before every destructive "
                                          "step; <i>Run ▸ Backup</i> takes one by hand.</p>")
                                     : QString());
        ui->describeLabel->clear();
    } else {
        ui->detailsText->setHtml(detailsHtml(b));
        ui->describeLabel->setText(describe(b));
    }
    updateButtons();
}

QString BackupsPanel::detailsHtml(const BackupInfo &b) const
{
    QString html = QStringLiteral("<p><b>%1</b><br>%2</p>").arg(b.id.toHtmlEscaped(), b.dir.toHtmlEscaped());
    QFile file(b.dir + QStringLiteral("/manifest.json"));
    if (!file.open(QIODevice::ReadOnly))
        return html + tr("<p style='color:#c0392b'>No manifest: this backup did not finish and cannot be restored.</p>");
    const QJsonObject m = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject db = m.value(QStringLiteral("database")).toObject();
    auto row = [](const QString &key, const QString &value) {
        return QStringLiteral("<tr><td><b>%1</b>&nbsp;</td><td>%2</td></tr>").arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    };
    html += QStringLiteral("<table>");
    html += row(tr("Time"), when(b.time));
    html += row(tr("Taken before"), b.operation);
    html += row(tr("Project"), m.value(QStringLiteral("project")).toString());
    html += row(tr("Target"), m.value(QStringLiteral("target")).toString());
    // Connection facts only; the manifest never holds the password.
    html += row(tr("Database"), QStringLiteral("%1 (%2@%3:%4, service %5)")
                                    .arg(db.value(QStringLiteral("name")).toString(),
                                         db.value(QStringLiteral("user")).toString(),
                                         db.value(QStringLiteral("host")).toString(),
                                         QString::number(db.value(QStringLiteral("port")).toInt()),
                                         db.value(QStringLiteral("service")).toString()));
    html += row(tr("Covers"), BackupModel::coverage(b));
    html += row(tr("Size"), BackupModel::formatSize(b.size));
    html += QStringLiteral("</table>");

    if (!b.files.isEmpty()) {
        html += tr("<p style='margin-bottom:0'><b>Project files</b></p><ul style='margin-top:2px'>");
        for (const QString &f : b.files.mid(0, kMaxListedArtifacts))
            html += QStringLiteral("<li><code>%1</code></li>").arg(f.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    const QJsonArray artifacts = m.value(QStringLiteral("artifacts")).toArray();
    html += tr("<p style='margin-bottom:0'><b>Checksums (SHA-256)</b></p>");
    html += QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    int shown = 0;
    for (const QJsonValue &v : artifacts) {
        if (++shown > kMaxListedArtifacts) {
            html += tr("<tr><td colspan='3'>… and %1 more</td></tr>").arg(artifacts.size() - kMaxListedArtifacts);
            break;
        }
        const QJsonObject a = v.toObject();
        html += QStringLiteral("<tr><td><code>%1</code>&nbsp;</td><td align='right'>%2&nbsp;</td><td><code>%3</code></td></tr>")
                    .arg(a.value(QStringLiteral("path")).toString().toHtmlEscaped(),
                         BackupModel::formatSize(qint64(a.value(QStringLiteral("size")).toDouble())),
                         a.value(QStringLiteral("sha256")).toString().toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}

void BackupsPanel::requestRestore()
{
    const BackupInfo b = selectedBackup();
    if (b.isNull() || m_planRunning)
        return;
    QString error;
    const Plan plan = RestorePlans::restore(m_config, m_options, b, &error);
    if (plan.id.isEmpty()) {
        m_banner->showMessage(MessageLevel::Error, tr("Cannot restore %1: %2").arg(b.id, error));
        return;
    }
    m_requestedConfirmation = confirmationFor(b, tr("Restore"));
    emit runPlanRequested(plan, tr("Restore backup of %1 (%2)").arg(when(b.time), BackupModel::label(b)));
}

void BackupsPanel::restoreBackup(const QString &id)
{
    if (m_config.root.isEmpty() || m_planRunning)
        return;
    const BackupInfo b = BackupStore(m_config).find(id);
    QString error;
    const Plan plan = b.isNull() ? Plan() : RestorePlans::restore(m_config, m_options, b, &error);
    if (plan.id.isEmpty()) {
        m_banner->showMessage(MessageLevel::Error, tr("Cannot restore %1: %2").arg(id, b.isNull() ? tr("no such backup") : error));
        return;
    }
    emit runPlanRequested(plan, tr("Restore backup of %1 (%2)").arg(when(b.time), b.operation));
}

void BackupsPanel::requestUndo()
{
    if (m_config.root.isEmpty() || m_planRunning)
        return;
    QString error;
    const Plan plan = RestorePlans::undoLast(m_config, m_options, m_model->backups(), &error);
    if (plan.id.isEmpty()) {
        m_banner->showMessage(MessageLevel::Warning, tr("Nothing to undo: %1").arg(error));
        return;
    }
    m_requestedConfirmation = confirmationFor(BackupStore::nextUndoOf(m_model->backups()), tr("Undo"));
    emit runPlanRequested(plan, tr("Undo last change"));
}

void BackupsPanel::requestPrune()
{
    const int keep = ui->keepSpin->value();
    qint64 bytes = 0;
    const QStringList ids = pruneCandidates(keep, &bytes);
    if (ids.isEmpty())
        return;
    emit pruneRequested(keep, tr("Delete %n old backup(s) and free %1, keeping the newest %2?", nullptr, int(ids.size()))
                                  .arg(BackupModel::formatSize(bytes))
                                  .arg(keep));
}

void BackupsPanel::updateButtons()
{
    const bool idle = !m_planRunning && !m_config.root.isEmpty();
    const BackupInfo b = selectedBackup();
    ui->restoreButton->setEnabled(idle && !b.isNull() && b.complete);
    ui->restoreButton->setToolTip(describe(b));
    // A stack: the last change not undone yet, then the one before it.
    const BackupInfo next = BackupStore::nextUndoOf(m_model->backups());
    ui->undoButton->setEnabled(idle && !next.isNull());
    ui->undoButton->setToolTip(next.isNull() ? tr("Nothing left to undo")
                                             : tr("Undo %1: %2").arg(BackupModel::label(next), describe(next)));
    qint64 bytes = 0;
    const QStringList ids = pruneCandidates(ui->keepSpin->value(), &bytes);
    ui->pruneButton->setEnabled(idle && !m_loading && !ids.isEmpty());
    ui->pruneButton->setText(ids.isEmpty() ? tr("&Prune…") : tr("&Prune… (%1)").arg(BackupModel::formatSize(bytes)));
    ui->pruneButton->setToolTip(tr("Delete all but the newest %1 backups; %2 of %3 would be freed")
                                    .arg(ui->keepSpin->value())
                                    .arg(BackupModel::formatSize(bytes), BackupModel::formatSize(m_totalSize)));
}
