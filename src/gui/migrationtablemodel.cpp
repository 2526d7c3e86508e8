#include "migrationtablemodel.h"

#include "migrationstatestyle.h"
#include "provenancetext.h"

#include <QFutureWatcher>
#include <QGuiApplication>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace {

// Rows are kept in (app, name) order, the order mergeSteps() walks both lists in. django_migrations
// has no unique constraint, so equal keys can repeat; the record id keeps their order stable.
bool keyLess(const MigrationRow &a, const MigrationRow &b)
{
    if (const int c = a.app.compare(b.app); c != 0)
        return c < 0;
    return a.name.compare(b.name) < 0;
}

bool rowLess(const MigrationRow &a, const MigrationRow &b)
{
    if (keyLess(a, b))
        return true;
    if (keyLess(b, a))
        return false;
    return a.recordId < b.recordId;
}

bool sameContent(const MigrationRow &a, const MigrationRow &b)
{
    return a.state == b.state && a.applied == b.applied && a.recordId == b.recordId
        && a.file == b.file && a.dependencies == b.dependencies && a.outOfOrder == b.outOfOrder;
}

QString appliedText(const QDateTime &applied)
{
    return applied.isValid() ? applied.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                             : QString();
}

} // namespace

MigrationTableModel::MigrationTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int MigrationTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    if (m_done < 0)
        return int(m_rows.size());
    return int(m_done + (m_pending.size() - m_pendingPos));
}

int MigrationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const MigrationRow &MigrationTableModel::rowAt(int row) const
{
    if (m_done < 0 || row < m_done)
        return m_rows.at(row);
    return m_pending.at(m_pendingPos + (row - m_done));
}

QVariant MigrationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();

    const MigrationRow &row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::DecorationRole:
        if (index.column() == State)
            return MigrationStateStyle::icon(row.state, QGuiApplication::palette());
        break;
    case Qt::ForegroundRole:
        if (index.column() == State)
            return MigrationStateStyle::color(row.state, QGuiApplication::palette());
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(row.key().toHtmlEscaped(),
                                                          MigrationStateStyle::description(row.state).toHtmlEscaped());
        if (row.applied.isValid())
            tip += QStringLiteral("<br>") + tr("Applied at %1 (UTC %2)")
                                                .arg(appliedText(row.applied),
                                                     row.applied.toUTC().toString(Qt::ISODateWithMs));
        tip += QStringLiteral("<br>")
            + (row.file.isEmpty() ? tr("No migration file on disk.")
                                  : tr("File: %1").arg(row.file.toHtmlEscaped()));
        if (!row.dependencies.isEmpty())
            tip += QStringLiteral("<br>") + tr("Depends on %1").arg(row.dependencies.join(QStringLiteral(", ")).toHtmlEscaped());
        if (row.outOfOrder)
            tip += QStringLiteral("<br>") + tr("<i>Applied out of order: before one of its dependencies was applied.</i>");
        if (!m_snapshot.provenance.isEmpty()) {
            const auto git = m_snapshot.provenance.constFind(row.key());
            if (git != m_snapshot.provenance.cend())
                tip += ProvenanceText::html(*git, !row.file.isEmpty());
            else if (m_snapshot.gitRepository && row.state == MigrationState::Orphan)
                tip += ProvenanceText::html(MigrationProvenance(), false);
        }
        return tip;
    }
    case StateRole:
        return int(row.state);
    case AppliedRole:
        return row.applied;
    case KeyRole:
        return row.key();
    case RecordIdRole:
        return row.recordId;
    case AppRole:
        return row.app;
    case NameRole:
        return row.name;
    case FileRole:
        return row.file;
    }
    return QVariant();
}

QString MigrationTableModel::displayText(const MigrationRow &row, int column)
{
    switch (column) {
    case App:
        return row.app;
    case Migration:
        return row.name;
    case State:
        return row.outOfOrder ? tr("%1 · out of order").arg(MigrationStateStyle::label(row.state))
                              : MigrationStateStyle::label(row.state);
    case AppliedAt:
        return appliedText(row.applied);
    case File:
        return row.file;
    case Dependencies:
        return row.dependencies.join(QStringLiteral(", "));
    }
    return QString();
}

QString MigrationTableModel::tabSeparated(const QList<MigrationRow> &rows, const std::vector<int> &order)
{
    QString text;
    text.reserve(qsizetype(order.size()) * 96); // a typical row's length: one allocation, not a few dozen
    for (const int r : order) {
        const MigrationRow &row = rows.at(r);
        for (int column = 0; column < ColumnCount; ++column) {
            if (column > 0)
                text += QLatin1Char('\t');
            text += displayText(row, column);
        }
        text += QLatin1Char('\n');
    }
    text.squeeze(); // the clipboard keeps it: not the spare of the estimate
    return text;
}

QVariant MigrationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case App:
            return tr("App");
        case Migration:
            return tr("Migration");
        case State:
            return tr("State");
        case AppliedAt:
            return tr("Applied at");
        case File:
            return tr("File");
        case Dependencies:
            return tr("Dependencies");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case App:
            return tr("Django app label (django_migrations.app)");
        case Migration:
            return tr("Migration name (django_migrations.name, the file name without .py)");
        case State:
            return tr("Database row and file on disk, reconciled");
        case AppliedAt:
            return tr("When Django recorded the migration as applied, in local time");
        case File:
            return tr("Migration file, relative to the project folder");
        case Dependencies:
            return tr("What the migration file declares it depends on (read at load; Django's own graph once the Doctor ran)");
        }
    }
    return QVariant();
}

QModelIndex MigrationTableModel::indexForKey(const QString &app, const QString &name, int column) const
{
    MigrationRow probe;
    probe.app = app;
    probe.name = name;
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), probe, keyLess);
    if (it == m_rows.cend() || keyLess(probe, *it))
        return QModelIndex();
    return index(int(it - m_rows.cbegin()), column);
}

// A merge of at most this many rows (old and new) runs at once; a bigger one is planned on the
// thread pool (the comparisons of a million rows take a few hundred milliseconds) and applied
// when the plan arrives: its signals are then a few runs, each O(1) here.
int MigrationTableModel::synchronousRows() const
{
    return m_synchronousRows;
}

void MigrationTableModel::setSnapshot(const StatusSnapshot &snapshot)
{
    const quint64 job = ++m_mergeJob; // a plan still on its way is older than this
    if (snapshot.rows.size() + rowCount() <= m_synchronousRows || snapshot.rows.isEmpty()) {
        m_merging = false;
        QList<MigrationRow> incoming = snapshot.rows;
        if (!std::is_sorted(incoming.cbegin(), incoming.cend(), rowLess))
            std::stable_sort(incoming.begin(), incoming.end(), rowLess);
        const std::vector<MergeStep> steps = mergeSteps(m_rows, incoming);
        Summary summary = summarize(incoming);
        applyMerge(snapshot, std::move(incoming), steps, std::move(summary));
        return;
    }
    m_merging = true;
    const quint64 generation = m_generation;
    struct Plan
    {
        QList<MigrationRow> rows;
        std::vector<MergeStep> steps;
        Summary summary;
    };
    auto *watcher = new QFutureWatcher<Plan>(this);
    // Our child: destroyed with us, its worker's plan is discarded.
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job, generation, snapshot] {
        watcher->deleteLater();
        if (job != m_mergeJob)
            return; // another snapshot, or clear(), came since
        if (generation != m_generation) {
            setSnapshot(snapshot); // planned against rows that are gone
            return;
        }
        m_merging = false;
        Plan plan = watcher->result();
        applyMerge(snapshot, std::move(plan.rows), plan.steps, std::move(plan.summary));
    });
    watcher->setFuture(QtConcurrent::run([old = m_rows, incoming = snapshot.rows]() mutable {
        if (!std::is_sorted(incoming.cbegin(), incoming.cend(), rowLess))
            std::stable_sort(incoming.begin(), incoming.end(), rowLess);
        Plan plan;
        plan.steps = mergeSteps(old, incoming);
        plan.summary = summarize(incoming);
        plan.rows = std::move(incoming);
        return plan;
    }));
}

void MigrationTableModel::clear()
{
    ++m_mergeJob;
    m_merging = false;
    m_snapshot = StatusSnapshot();
    m_summary = Summary();
    if (m_rows.isEmpty())
        return;
    // rowCount() - 1: hotspot's ProcessModel::clear() passes rowCount() and removes one too many.
    beginRemoveRows(QModelIndex(), 0, int(m_rows.size()) - 1);
    QList<MigrationRow> old = std::move(m_rows);
    m_rows = QList<MigrationRow>();
    ++m_generation;
    endRemoveRows();
    releaseLater(std::move(old));
    emit merged();
}

// Freeing a million rows (four strings each) takes longer than a frame: when this is the last
// reference, the thread pool frees them.
void MigrationTableModel::releaseLater(QList<MigrationRow> rows)
{
    if (rows.size() < 10000) // not worth a thread hop
        return;
    QThreadPool::globalInstance()->start([rows = std::move(rows)]() mutable { rows = QList<MigrationRow>(); });
}

MigrationTableModel::Summary MigrationTableModel::summarize(const QList<MigrationRow> &rows)
{
    Summary summary;
    for (const MigrationRow &row : rows) {
        ++summary.counts[int(row.state)];
        // Rows are in app order: a new app starts a run.
        if (summary.apps.isEmpty() || summary.apps.constLast() != row.app)
            summary.apps << row.app;
    }
    std::sort(summary.apps.begin(), summary.apps.end()); // QStringList's order, as the filter lists them
    return summary;
}

// Walks old and new rows in key order, as runs: rows gone, rows new, rows kept unchanged, rows
// kept with new content. Pure: it runs on the thread pool for a big table.
std::vector<MigrationTableModel::MergeStep> MigrationTableModel::mergeSteps(const QList<MigrationRow> &old,
                                                                           const QList<MigrationRow> &incoming)
{
    std::vector<MergeStep> steps;
    const auto add = [&steps](MergeStep::Kind kind, int count) {
        if (count <= 0)
            return;
        if (!steps.empty() && steps.back().kind == kind && (kind == MergeStep::Keep || kind == MergeStep::Change))
            steps.back().count += count;
        else
            steps.push_back({kind, count});
    };
    const int oldCount = int(old.size()), newCount = int(incoming.size());
    int o = 0, in = 0;
    while (in < newCount || o < oldCount) {
        if (o < oldCount && (in == newCount || keyLess(old.at(o), incoming.at(in)))) {
            int end = o; // a run of old rows that are gone
            while (end < oldCount && (in == newCount || keyLess(old.at(end), incoming.at(in))))
                ++end;
            steps.push_back({MergeStep::Remove, end - o});
            o = end;
        } else if (o == oldCount || keyLess(incoming.at(in), old.at(o))) {
            int end = in; // a run of new rows
            while (end < newCount && (o == oldCount || keyLess(incoming.at(end), old.at(o))))
                ++end;
            steps.push_back({MergeStep::Insert, end - in});
            in = end;
        } else {
            // Rows present before and now: one dataChanged per changed run.
            while (in < newCount && o < oldCount && !keyLess(incoming.at(in), old.at(o))
                   && !keyLess(old.at(o), incoming.at(in))) {
                add(sameContent(old.at(o), incoming.at(in)) ? MergeStep::Keep : MergeStep::Change, 1);
                ++o;
                ++in;
            }
        }
    }
    return steps;
}

// While the steps are applied, rows [0, m_done) are the new list's and the old rows not yet
// visited follow from m_pending[m_pendingPos] on: the model is consistent between every signal
// and no row is copied.
void MigrationTableModel::applyMerge(const StatusSnapshot &snapshot, QList<MigrationRow> incoming,
                                     const std::vector<MergeStep> &steps, Summary summary)
{
    m_summary = std::move(summary);
    m_snapshot = snapshot;
    m_snapshot.rows = QList<MigrationRow>();
    if (m_rows.isEmpty() && !incoming.isEmpty()) {
        beginInsertRows(QModelIndex(), 0, int(incoming.size()) - 1);
        m_rows = std::move(incoming);
        ++m_generation;
        endInsertRows();
    } else if (!steps.empty()) {
        m_pending = std::move(m_rows);
        m_pendingPos = 0;
        m_rows = std::move(incoming);
        m_done = 0;
        ++m_generation;
        for (const MergeStep &step : steps) {
            const int n = step.count;
            switch (step.kind) {
            case MergeStep::Remove:
                beginRemoveRows(QModelIndex(), m_done, m_done + n - 1);
                m_pendingPos += n;
                endRemoveRows();
                break;
            case MergeStep::Insert:
                beginInsertRows(QModelIndex(), m_done, m_done + n - 1);
                m_done += n;
                endInsertRows();
                break;
            case MergeStep::Keep:
                m_done += n;
                m_pendingPos += n;
                break;
            case MergeStep::Change:
                m_done += n;
                m_pendingPos += n;
                emit dataChanged(index(m_done - n, 0), index(m_done - 1, ColumnCount - 1));
                break;
            }
        }
        m_done = -1;
        m_pendingPos = 0;
        releaseLater(std::exchange(m_pending, QList<MigrationRow>()));
    }
    m_snapshot.rows = m_rows; // implicitly shared, no copy
    emit merged();
}
