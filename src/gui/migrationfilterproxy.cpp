#include "migrationfilterproxy.h"

#include "migrationtablemodel.h"

#include <QDateTime>

#include <algorithm>
#include <climits>
#include <numeric>

MigrationFilterProxy::MigrationFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(false); // app labels and module names are ASCII identifiers
}

void MigrationFilterProxy::setAppFilter(const QString &app)
{
    if (app == m_app)
        return;
    m_app = app;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setStateFilter(unsigned states)
{
    states &= allStates();
    if (states == m_states)
        return;
    m_states = states;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setSearchText(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_search)
        return;
    m_search = words;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setHistoryMode(bool on)
{
    if (on == m_history)
        return;
    if (on) {
        m_sortBeforeHistory = sortColumn();
        m_orderBeforeHistory = sortOrder();
    }
    m_history = on;
    invalidateFilter();
    if (on)
        sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    else
        sort(m_sortBeforeHistory, m_orderBeforeHistory);
    emit filterChanged();
}

// Connected before QSortFilterProxyModel connects its own: the ranks are dropped before it
// sorts changed rows in.
void MigrationFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    for (const QMetaObject::Connection &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    m_rankColumn = -1;
    m_table = qobject_cast<const MigrationTableModel *>(model); // once: lessThan runs a million times
    if (model) {
        const auto drop = [this] { dropRanks(0); };
        m_sourceConnections = {
            connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this,
                    [this](const QModelIndex &, int first, int last) { dropRanks(last - first + 1); }),
            connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this, drop),
            connect(model, &QAbstractItemModel::dataChanged, this, drop),
            connect(model, &QAbstractItemModel::modelAboutToBeReset, this, drop),
            connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this, drop),
            connect(model, &QObject::destroyed, this, [this] { m_table = nullptr; }),
        };
    }
    QSortFilterProxyModel::setSourceModel(model);
}

void MigrationFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    const bool sourceOrder = column == MigrationTableModel::App && order == Qt::AscendingOrder && m_table;
    if (!sourceOrder && m_table && m_rankColumn != column)
        rebuildRanks(column); // the other direction of the same column reads the same ranks
    QSortFilterProxyModel::sort(sourceOrder ? -1 : column, order);
}

bool MigrationFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const MigrationTableModel *model = m_table;
    if (!model || sourceParent.isValid())
        return false;
    const MigrationRow &row = model->rowAt(sourceRow);

    if (m_history && !row.applied.isValid())
        return false;
    if (!(m_states & stateBit(row.state)))
        return false;
    if (!m_app.isEmpty() && row.app != m_app)
        return false;
    for (const QString &word : m_search) {
        // The key is checked so that "flows.0002" finds flows' 0002_… migration.
        if (!row.app.contains(word, Qt::CaseInsensitive) && !row.name.contains(word, Qt::CaseInsensitive)
            && !row.file.contains(word, Qt::CaseInsensitive)
            && !row.key().contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool MigrationFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_table)
        return QSortFilterProxyModel::lessThan(left, right);
    const int column = left.column();
    if (column == MigrationTableModel::App)
        return left.row() < right.row();
    if (m_rankOnNextCompare)
        rebuildRanks(column);
    if (m_rankColumn == column)
        return m_rank[size_t(left.row())] < m_rank[size_t(right.row())];
    return rowLess(left.row(), right.row(), column);
}


// The order of each column, on source rows. A row's number is its place in the model's (app,
// name, record id) order, so it is the App order and breaks every tie.
bool MigrationFilterProxy::rowLess(int left, int right, int column) const
{
    const MigrationRow &a = m_table->rowAt(left);
    const MigrationRow &b = m_table->rowAt(right);
    int c = 0;
    switch (column) {
    case MigrationTableModel::AppliedAt:
        // By time, not by text; rows without a time sort first (ascending), record id breaks
        // ties (Django applies several migrations within one millisecond).
        if (a.applied != b.applied) {
            if (!a.applied.isValid() || !b.applied.isValid())
                return !a.applied.isValid();
            return a.applied < b.applied;
        }
        if (a.recordId != b.recordId)
            return a.recordId < b.recordId;
        break;
    case MigrationTableModel::State:
        if (a.state != b.state)
            return int(a.state) < int(b.state);
        break;
    case MigrationTableModel::Migration:
        c = a.name.compare(b.name, Qt::CaseInsensitive);
        if (c == 0)
            c = a.app.compare(b.app, Qt::CaseInsensitive);
        break;
    case MigrationTableModel::File:
        c = a.file.compare(b.file, Qt::CaseInsensitive);
        break;
    case MigrationTableModel::Dependencies:
        c = a.dependencies.join(QStringLiteral(", ")).compare(b.dependencies.join(QStringLiteral(", ")), Qt::CaseInsensitive);
        break;
    default:
        break;
    }
    return c != 0 ? c < 0 : left < right;
}

namespace {

// Eight case-folded characters of a text from `from` on as an integer that orders as
// QString::compare(Qt::CaseInsensitive) does: one byte each, zeros past the end, and after a
// character beyond Latin-1 only zeros. *more: the eight were all plain and the text goes on, so
// equal keys can be told apart by the next eight.
quint64 chunkKey(QStringView text, qsizetype from, bool *more)
{
    quint64 key = 0;
    *more = text.size() > from + 8;
    for (qsizetype i = from; i < from + 8; ++i) {
        char16_t c = i < text.size() ? text[i].unicode() : 0;
        c = c < 0x80 ? (c >= u'A' && c <= u'Z' ? c + 32 : c) : QChar::toCaseFolded(c);
        key = (key << 8) | std::min<char16_t>(c, 0xff);
        if (c >= 0xff) {
            key <<= 8 * (from + 7 - i);
            *more = false;
            break;
        }
    }
    return key;
}

// QString::compare(Qt::CaseInsensitive) of two texts that agree on their first `from`
// characters, with ASCII folded inline: Qt folds every character through its tables.
int compareCaseInsensitive(QStringView a, QStringView b, qsizetype from)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = from; i < n; ++i) {
        char16_t x = a[i].unicode(), y = b[i].unicode();
        if (x >= 0x80 || y >= 0x80)
            return QtPrivate::compareStrings(a.sliced(i), b.sliced(i), Qt::CaseInsensitive);
        x = x >= u'A' && x <= u'Z' ? x + 32 : x;
        y = y >= u'A' && y <= u'Z' ? y + 32 : y;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

struct TextOrder
{
    const std::vector<QStringView> &texts;
    const std::vector<QStringView> *thenBy;
    struct Item
    {
        quint64 key;
        bool more;
        int row;
    };

    // Sorts items[begin, end), whose texts agree on their first `from` characters: by eight
    // characters as one integer, then each run of equal integers by the next eight (a most
    // significant digit first radix sort), whole texts only where a run cannot go on.
    void sort(std::vector<Item> &items, size_t begin, size_t end, qsizetype from) const
    {
        for (size_t i = begin; i < end; ++i)
            items[i].key = chunkKey(texts[size_t(items[i].row)], from, &items[i].more);
        std::sort(items.begin() + qsizetype(begin), items.begin() + qsizetype(end),
                  [](const Item &a, const Item &b) { return a.key != b.key ? a.key < b.key : a.row < b.row; });
        for (size_t run = begin; run < end;) {
            size_t runEnd = run + 1;
            bool more = items[run].more;
            for (; runEnd < end && items[runEnd].key == items[run].key; ++runEnd)
                more = more && items[runEnd].more;
            if (runEnd - run > 1) {
                if (more)
                    sort(items, run, runEnd, from + 8);
                else
                    sortWhole(items, run, runEnd, from);
            }
            run = runEnd;
        }
    }

    void sortWhole(std::vector<Item> &items, size_t begin, size_t end, qsizetype from) const
    {
        std::sort(items.begin() + qsizetype(begin), items.begin() + qsizetype(end), [&](const Item &a, const Item &b) {
            const size_t i = size_t(a.row), j = size_t(b.row);
            int c = compareCaseInsensitive(texts[i], texts[j], from);
            if (c == 0 && thenBy)
                c = compareCaseInsensitive((*thenBy)[i], (*thenBy)[j], 0);
            return c != 0 ? c < 0 : i < j;
        });
    }
};

// Source rows in the case-insensitive order of their texts, then of `thenBy` if given, the
// row number breaking ties. Views, not copies: no row's strings are touched beyond reading.
std::vector<int> orderByText(const std::vector<QStringView> &texts, const std::vector<QStringView> *thenBy = nullptr)
{
    std::vector<TextOrder::Item> items(texts.size());
    for (size_t i = 0; i < items.size(); ++i)
        items[i].row = int(i);
    TextOrder{texts, thenBy}.sort(items, 0, items.size(), 0);
    std::vector<int> order(items.size());
    for (size_t i = 0; i < items.size(); ++i)
        order[i] = items[i].row;
    return order;
}

} // namespace

// Each source row's place in `column`'s order, from keys made once per row (lessThan then reads
// two ints that fit the cache, not two rows spread over the heap). App needs none: it is the
// row number.
void MigrationFilterProxy::rebuildRanks(int column) const
{
    m_rankOnNextCompare = false;
    m_rankColumn = -1;
    const MigrationTableModel *model = m_table;
    const int n = model->rowCount();
    std::vector<int> order;
    if (column == MigrationTableModel::State) { // a bucket per state, each in row order
        std::vector<int> buckets[int(MigrationState::StateCount)];
        for (int i = 0; i < n; ++i)
            buckets[int(model->rowAt(i).state)].push_back(i);
        for (const std::vector<int> &bucket : buckets)
            order.insert(order.end(), bucket.begin(), bucket.end());
    } else if (column == MigrationTableModel::AppliedAt) {
        std::vector<std::pair<qint64, qint64>> keys(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            const MigrationRow &r = model->rowAt(i);
            keys[size_t(i)] = {r.applied.isValid() ? r.applied.toMSecsSinceEpoch() : LLONG_MIN, r.recordId};
        }
        order.resize(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&keys](int a, int b) {
            return keys[size_t(a)] != keys[size_t(b)] ? keys[size_t(a)] < keys[size_t(b)] : a < b;
        });
    } else if (column == MigrationTableModel::Migration || column == MigrationTableModel::File
               || column == MigrationTableModel::Dependencies) {
        std::vector<QStringView> texts(static_cast<size_t>(n));
        std::vector<QStringView> apps(column == MigrationTableModel::Migration ? size_t(n) : 0);
        std::vector<QString> joined(column == MigrationTableModel::Dependencies ? size_t(n) : 0);
        for (int i = 0; i < n; ++i) {
            const MigrationRow &r = model->rowAt(i);
            if (column == MigrationTableModel::Migration) { // by name, then app
                texts[size_t(i)] = r.name;
                apps[size_t(i)] = r.app;
            } else if (column == MigrationTableModel::File) {
                texts[size_t(i)] = r.file;
            } else if (!r.dependencies.isEmpty()) {
                joined[size_t(i)] = r.dependencies.join(QStringLiteral(", "));
                texts[size_t(i)] = joined[size_t(i)];
            }
        }
        order = orderByText(texts, apps.empty() ? nullptr : &apps);
    } else {
        return;
    }
    m_rank.resize(static_cast<size_t>(n));
    for (int place = 0; place < n; ++place)
        m_rank[size_t(order[size_t(place)])] = place;
    m_rankColumn = column;
}

// Rows come, go or change: the ranks no longer match the rows. Many new rows (a first load)
// are worth ranking again before they are sorted in; a few are compared as they are.
void MigrationFilterProxy::dropRanks(int changedRows)
{
    m_rankColumn = -1;
    m_rankOnNextCompare = changedRows >= RerankRows && QSortFilterProxyModel::sortColumn() >= 0;
}
