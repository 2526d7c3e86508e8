#include "migrationfilterproxy.h"

#include "migrationtablemodel.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>
#include <numeric>

MigrationFilterProxy::MigrationFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_filter.states = allStates();
}

MigrationFilterProxy::~MigrationFilterProxy() = default;

int MigrationFilterProxy::appColumn()
{
    return MigrationTableModel::App;
}

// ---------------------------------------------------------------------------------------------
// Filters and order

void MigrationFilterProxy::setAppFilter(const QString &app)
{
    if (app == m_filter.app)
        return;
    m_filter.app = app;
    recompute();
    emit filterChanged();
}

void MigrationFilterProxy::setStateFilter(unsigned states)
{
    states &= allStates();
    if (states == m_filter.states)
        return;
    m_filter.states = states;
    recompute();
    emit filterChanged();
}

void MigrationFilterProxy::setSearchText(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_filter.words)
        return;
    m_filter.words = words;
    recompute();
    emit filterChanged();
}

void MigrationFilterProxy::setHistoryMode(bool on)
{
    if (on == m_filter.history)
        return;
    if (on) {
        m_sortBeforeHistory = m_sortColumn;
        m_orderBeforeHistory = m_sortOrder;
        m_sortColumn = MigrationTableModel::AppliedAt;
        m_sortOrder = Qt::AscendingOrder;
    } else {
        m_sortColumn = m_sortBeforeHistory;
        m_sortOrder = m_orderBeforeHistory;
    }
    m_filter.history = on;
    recompute();
    emit filterChanged();
}

void MigrationFilterProxy::sort(int column, Qt::SortOrder order)
{
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    // The other direction of the order shown is its reverse (every order is total): no sort.
    const bool reverse = column == m_sortColumn && !m_dirty;
    m_sortColumn = column;
    m_sortOrder = order;
    if (!reverse) {
        recompute();
        return;
    }
    ++m_latestJob;
    showRows(std::vector<int>(m_rows.rbegin(), m_rows.rend()));
}

bool MigrationFilterProxy::keepsSourceOrder() const
{
    return m_sortColumn < 0 || m_sortColumn == MigrationTableModel::App;
}

const MigrationRow &MigrationFilterProxy::sourceRow(int row) const
{
    return m_table->rowAt(row);
}

bool MigrationFilterProxy::before(int a, int b) const
{
    if (m_sortOrder == Qt::DescendingOrder)
        std::swap(a, b);
    if (keepsSourceOrder())
        return a < b;
    return MigrationTableOrder::less(sourceRow(a), a, sourceRow(b), b, m_sortColumn);
}

// ---------------------------------------------------------------------------------------------
// Computing the rows shown, here or on the thread pool

void MigrationFilterProxy::recompute()
{
    if (!m_table)
        return;
    const int n = m_table->rowCount();
    if (n > m_synchronousRows) {
        queueRecompute();
        return;
    }
    ++m_latestJob; // a result still on its way is older than this
    m_dirty = false;
    setBusy(false);
    showRows(MigrationTableOrder::shownRows(n, [this](int i) -> const MigrationRow & { return sourceRow(i); },
                                            m_sortColumn, m_sortOrder, m_filter));
}

// Queued: during a merge of the model its row list is incomplete; the job starts after it.
void MigrationFilterProxy::queueRecompute()
{
    ++m_latestJob;
    m_dirty = true;
    setBusy(true);
    if (m_queued)
        return;
    m_queued = true;
    QMetaObject::invokeMethod(this, [this] { startRecompute(); }, Qt::QueuedConnection);
}

void MigrationFilterProxy::startRecompute()
{
    m_queued = false;
    if (!m_dirty || !m_table)
        return;
    if (m_table->rowCount() <= m_synchronousRows) {
        recompute();
        return;
    }
    const quint64 job = ++m_latestJob;
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<std::vector<int>>(this);
    // The watcher is our child: destroyed with us, its worker's result is discarded.
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job, generation] {
        watcher->deleteLater();
        if (job != m_latestJob)
            return; // another sort or filter was asked for since
        if (generation != m_generation) {
            queueRecompute(); // the rows changed under it
            return;
        }
        m_dirty = false;
        setBusy(false);
        showRows(watcher->result());
    });
    // The worker reads its own (implicitly shared) copy of the rows: the model may merge the
    // next snapshot meanwhile, which only makes this result stale.
    watcher->setFuture(QtConcurrent::run(
        [rows = m_table->rows(), column = m_sortColumn, order = m_sortOrder, filter = m_filter] {
            return MigrationTableOrder::shownRows(int(rows.size()),
                                                  [&rows](int i) -> const MigrationRow & { return rows.at(i); },
                                                  column, order, filter);
        }));
}

void MigrationFilterProxy::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

// ---------------------------------------------------------------------------------------------
// Moving between lists of rows shown

// Built when first read after a change: a removal in the source changes the rows twice (before
// and after the source removes them) and each rebuild is a pass over every source row.
const std::vector<int> &MigrationFilterProxy::place() const
{
    if (m_placeStale) {
        m_place.assign(size_t(m_table ? m_table->rowCount() : 0), -1);
        for (size_t p = 0; p < m_rows.size(); ++p)
            m_place[size_t(m_rows[p])] = int(p);
        m_placeStale = false;
    }
    return m_place;
}

void MigrationFilterProxy::showRows(std::vector<int> target)
{
    // The rows that go.
    std::vector<char> wanted(place().size(), 0);
    for (const int s : target)
        wanted[size_t(s)] = 1;
    std::vector<int> going;
    for (size_t p = 0; p < m_rows.size(); ++p) {
        if (!wanted[size_t(m_rows[p])])
            going.push_back(int(p));
    }
    removeShown(std::move(going));

    // The rows that come: where they belong when the rows staying keep their order (a filter
    // change), else after the others until the layout change below puts them in place.
    size_t coming = 0;
    int runs = 0;
    bool inRun = false, keptInOrder = true;
    int lastPlace = -1;
    for (const int s : target) {
        const int p = place()[size_t(s)];
        if (p < 0) {
            ++coming;
            runs += inRun ? 0 : 1;
            inRun = true;
        } else {
            inRun = false;
            keptInOrder = keptInOrder && p > lastPlace;
            lastPlace = p;
        }
    }
    if (coming > 0 && keptInOrder && runs <= DirectRuns) {
        // In target order: before each run the rows shown are already target's first ones.
        for (size_t i = 0; i < target.size();) {
            if (place()[size_t(target[i])] >= 0) {
                ++i;
                continue;
            }
            size_t end = i;
            while (end < target.size() && place()[size_t(target[end])] < 0)
                ++end;
            beginInsertRows(QModelIndex(), int(i), int(end) - 1);
            m_rows.insert(m_rows.begin() + qsizetype(i), target.begin() + qsizetype(i), target.begin() + qsizetype(end));
            m_placeStale = true;
            endInsertRows();
            i = end;
        }
    } else if (coming > 0) {
        const int at = int(m_rows.size());
        beginInsertRows(QModelIndex(), at, at + int(coming) - 1);
        for (const int s : target) {
            if (place()[size_t(s)] < 0)
                m_rows.push_back(s);
        }
        m_placeStale = true;
        endInsertRows();
    }

    if (m_rows != target)
        layoutTo(std::move(target));
}

// One layout change whatever moves: the persistent indexes (selection, current row) follow
// their source rows in one pass.
void MigrationFilterProxy::layoutTo(std::vector<int> rows)
{
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    std::vector<int> sources(size_t(from.size()), -1);
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int row = from.at(i).row();
        if (row >= 0 && size_t(row) < m_rows.size())
            sources[size_t(i)] = m_rows[size_t(row)];
    }
    m_rows = std::move(rows);
    m_placeStale = true;
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i) {
        const int s = sources[size_t(i)];
        const int p = s >= 0 ? place()[size_t(s)] : -1;
        to << (p >= 0 ? createIndex(p, from.at(i).column()) : QModelIndex());
    }
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void MigrationFilterProxy::removeShown(std::vector<int> rows)
{
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> runs;
    for (const int p : rows) {
        if (!runs.empty() && runs.back().second == p - 1)
            runs.back().second = p;
        else
            runs.emplace_back(p, p);
    }
    if (int(runs.size()) <= DirectRuns) {
        for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
            beginRemoveRows(QModelIndex(), run->first, run->second);
            m_rows.erase(m_rows.begin() + run->first, m_rows.begin() + run->second + 1);
            m_placeStale = true;
            endRemoveRows();
        }
        return;
    }
    // Scattered: each removal would shift the whole list; the rows that go move behind those
    // that stay (one layout change), then go as one run.
    std::vector<char> going(m_rows.size(), 0);
    for (const int p : rows)
        going[size_t(p)] = 1;
    std::vector<int> order;
    order.reserve(m_rows.size());
    for (size_t p = 0; p < m_rows.size(); ++p) {
        if (!going[p])
            order.push_back(m_rows[p]);
    }
    const int kept = int(order.size());
    for (size_t p = 0; p < m_rows.size(); ++p) {
        if (going[p])
            order.push_back(m_rows[p]);
    }
    layoutTo(std::move(order));
    beginRemoveRows(QModelIndex(), kept, int(m_rows.size()) - 1);
    m_rows.resize(size_t(kept));
    m_placeStale = true;
    endRemoveRows();
}

void MigrationFilterProxy::insertShown(int sourceRow)
{
    const auto at = std::upper_bound(m_rows.begin(), m_rows.end(), sourceRow,
                                     [this](int a, int b) { return before(a, b); });
    const int p = int(at - m_rows.begin());
    beginInsertRows(QModelIndex(), p, p);
    m_rows.insert(at, sourceRow);
    m_placeStale = true;
    endInsertRows();
}

// ---------------------------------------------------------------------------------------------
// The source's changes

void MigrationFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    beginResetModel();
    for (const QMetaObject::Connection &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    QAbstractProxyModel::setSourceModel(model);
    m_table = qobject_cast<const MigrationTableModel *>(model);
    ++m_generation;
    ++m_latestJob;
    m_dirty = false;
    m_rows.clear();
    if (m_table) {
        m_sourceConnections = {
            connect(model, &QAbstractItemModel::rowsInserted, this,
                    [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); }),
            connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                    [this](const QModelIndex &, int first, int last) { onRowsAboutToBeRemoved(first, last); }),
            connect(model, &QAbstractItemModel::rowsRemoved, this,
                    [this](const QModelIndex &, int first, int last) { onRowsRemoved(first, last); }),
            connect(model, &QAbstractItemModel::dataChanged, this, &MigrationFilterProxy::onDataChanged),
            connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &MigrationFilterProxy::onSourceAboutToBeReset),
            connect(model, &QAbstractItemModel::modelReset, this, &MigrationFilterProxy::onSourceReset),
            // The table never reorders itself; should a model do it, start over.
            connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this, &MigrationFilterProxy::onSourceAboutToBeReset),
            connect(model, &QAbstractItemModel::layoutChanged, this, &MigrationFilterProxy::onSourceReset),
            connect(model, &QObject::destroyed, this, [this] {
                m_table = nullptr;
                m_rows.clear();
                m_place.clear();
                m_placeStale = false;
            }),
        };
        orderEveryRow();
    }
    m_placeStale = true;
    endResetModel();
    setBusy(false);
}

void MigrationFilterProxy::onRowsInserted(int first, int last)
{
    const int count = last - first + 1;
    for (int &s : m_rows) {
        if (s >= first)
            s += count;
    }
    m_placeStale = true;
    ++m_generation;
    if (m_dirty) {
        queueRecompute(); // shown with the order on its way, computed again with these rows
        return;
    }
    if (keepsSourceOrder() && (m_filter.acceptsAll() || count <= m_synchronousRows)) {
        // One run, where the source put it (or its mirror image when descending). A filter over
        // many rows is applied by recompute() below, on the thread pool.
        std::vector<int> coming;
        if (m_filter.acceptsAll()) {
            coming.resize(size_t(count));
            std::iota(coming.begin(), coming.end(), first);
        } else {
            for (int r = first; r <= last; ++r) {
                if (m_filter.accepts(sourceRow(r)))
                    coming.push_back(r);
            }
        }
        if (coming.empty())
            return;
        auto at = m_rows.begin();
        if (m_sortOrder == Qt::AscendingOrder) {
            at = std::lower_bound(m_rows.begin(), m_rows.end(), first);
        } else {
            std::reverse(coming.begin(), coming.end());
            at = std::lower_bound(m_rows.begin(), m_rows.end(), last, std::greater<int>());
        }
        const int p = int(at - m_rows.begin());
        beginInsertRows(QModelIndex(), p, p + int(coming.size()) - 1);
        m_rows.insert(at, coming.begin(), coming.end());
        m_placeStale = true;
        endInsertRows();
        return;
    }
    if (count > DirectRows) {
        recompute(); // shown once the order with them is known
        return;
    }
    for (int r = first; r <= last; ++r) {
        if (m_filter.accepts(sourceRow(r)))
            insertShown(r);
    }
}

void MigrationFilterProxy::onRowsAboutToBeRemoved(int first, int last)
{
    std::vector<int> going;
    for (int r = first; r <= last; ++r) {
        if (place()[size_t(r)] >= 0)
            going.push_back(place()[size_t(r)]);
    }
    removeShown(std::move(going));
}

void MigrationFilterProxy::onRowsRemoved(int first, int last)
{
    const int count = last - first + 1;
    for (int &s : m_rows) {
        if (s > last)
            s -= count;
    }
    m_placeStale = true;
    ++m_generation;
    if (m_dirty)
        queueRecompute();
}

void MigrationFilterProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                         const QList<int> &roles)
{
    if (!topLeft.isValid() || !bottomRight.isValid())
        return;
    const int first = topLeft.row(), last = bottomRight.row();
    ++m_generation;
    int lo = INT_MAX, hi = -1;
    for (int r = first; r <= last; ++r) {
        if (const int p = place()[size_t(r)]; p >= 0) {
            lo = std::min(lo, p);
            hi = std::max(hi, p);
        }
    }
    if (hi >= 0)
        emit dataChanged(index(lo, 0), index(hi, columnCount() - 1), roles);
    if (m_dirty) {
        queueRecompute();
        return;
    }
    if (last - first + 1 > DirectRows) {
        recompute();
        return;
    }

    // The changed rows may now fail or pass the filter, or belong elsewhere in the order.
    std::vector<int> going, coming, staying;
    for (int r = first; r <= last; ++r) {
        const bool accepted = m_filter.accepts(sourceRow(r));
        const int p = place()[size_t(r)];
        if (p >= 0 && !accepted)
            going.push_back(p);
        else if (p < 0 && accepted)
            coming.push_back(r);
        else if (p >= 0)
            staying.push_back(r);
    }
    removeShown(std::move(going));
    if (!keepsSourceOrder()) {
        // If each changed row is in order with its neighbours the list is sorted; if one is
        // not, every changed row is placed again among the others, in one layout change.
        const auto inPlace = [this](int r) {
            const size_t p = size_t(place()[size_t(r)]);
            return (p == 0 || before(m_rows[p - 1], r)) && (p + 1 == m_rows.size() || before(r, m_rows[p + 1]));
        };
        if (!std::all_of(staying.begin(), staying.end(), inPlace)) {
            std::vector<char> moving(place().size(), 0);
            for (const int r : staying)
                moving[size_t(r)] = 1;
            std::vector<int> rows;
            rows.reserve(m_rows.size());
            for (const int s : m_rows) {
                if (!moving[size_t(s)])
                    rows.push_back(s);
            }
            for (const int r : staying)
                rows.insert(std::upper_bound(rows.begin(), rows.end(), r, [this](int a, int b) { return before(a, b); }), r);
            layoutTo(std::move(rows));
        }
    }
    for (const int r : coming)
        insertShown(r);
}

void MigrationFilterProxy::onSourceAboutToBeReset()
{
    beginResetModel();
}

// Here and now, on this thread: for a reset, whose rows nothing shows yet.
void MigrationFilterProxy::orderEveryRow()
{
    m_rows = MigrationTableOrder::shownRows(m_table->rowCount(),
                                            [this](int i) -> const MigrationRow & { return sourceRow(i); },
                                            m_sortColumn, m_sortOrder, m_filter);
    m_placeStale = true;
}

void MigrationFilterProxy::onSourceReset()
{
    ++m_generation;
    ++m_latestJob;
    m_dirty = false;
    orderEveryRow();
    endResetModel();
    setBusy(false);
}

// ---------------------------------------------------------------------------------------------
// QAbstractProxyModel

QModelIndex MigrationFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    // No virtual call here: a full selection asks for an index of every row per column painted.
    if (parent.isValid() || row < 0 || size_t(row) >= m_rows.size() || column < 0
        || column >= (m_table ? int(MigrationTableModel::ColumnCount) : 0))
        return QModelIndex();
    return createIndex(row, column);
}

QModelIndex MigrationFilterProxy::parent(const QModelIndex &) const
{
    return QModelIndex();
}

int MigrationFilterProxy::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MigrationFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : int(MigrationTableModel::ColumnCount);
}

bool MigrationFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_rows.empty();
}

Qt::ItemFlags MigrationFilterProxy::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren; // as QAbstractTableModel's
}

QModelIndex MigrationFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_table || !proxyIndex.isValid() || size_t(proxyIndex.row()) >= m_rows.size())
        return QModelIndex();
    return m_table->index(m_rows[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex MigrationFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!m_table || !sourceIndex.isValid() || size_t(sourceIndex.row()) >= place().size())
        return QModelIndex();
    const int p = place()[size_t(sourceIndex.row())];
    return p >= 0 ? createIndex(p, sourceIndex.column()) : QModelIndex();
}
