#include "migrationtableorder.h"

#include "migrationtablemodel.h"

#include <algorithm>
#include <climits>

bool MigrationRowFilter::accepts(const MigrationRow &row) const
{
    if (history && !row.applied.isValid())
        return false;
    if (!(states & (1u << int(row.state))))
        return false;
    if (!app.isEmpty() && row.app != app)
        return false;
    for (const QString &word : words) {
        if (row.app.contains(word, Qt::CaseInsensitive) || row.name.contains(word, Qt::CaseInsensitive)
            || row.file.contains(word, Qt::CaseInsensitive))
            continue;
        // Only a word with a dot can match "app.name" and neither part ("flows.0002" finds
        // flows' 0002_… migration); building the key for every row would cost a string each.
        if (!word.contains(QLatin1Char('.')) || !row.key().contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool MigrationRowFilter::acceptsAll() const
{
    const unsigned every = (1u << int(MigrationState::StateCount)) - 1;
    return !history && (states & every) == every && app.isEmpty() && words.isEmpty();
}

namespace {

QString dependencyText(const MigrationRow &row)
{
    return row.dependencies.join(QStringLiteral(", "));
}

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

// Items are indexes into texts; an index's order is its row's order, so it breaks ties.
struct TextOrder
{
    const std::vector<QStringView> &texts;
    const std::vector<QStringView> *thenBy;
    struct Item
    {
        quint64 key;
        bool more;
        int at;
    };

    // Sorts items[begin, end), whose texts agree on their first `from` characters: by eight
    // characters as one integer, then each run of equal integers by the next eight (a most
    // significant digit first radix sort), whole texts only where a run cannot go on.
    void sort(std::vector<Item> &items, size_t begin, size_t end, qsizetype from) const
    {
        for (size_t i = begin; i < end; ++i)
            items[i].key = chunkKey(texts[size_t(items[i].at)], from, &items[i].more);
        std::sort(items.begin() + qsizetype(begin), items.begin() + qsizetype(end),
                  [](const Item &a, const Item &b) { return a.key != b.key ? a.key < b.key : a.at < b.at; });
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
            const size_t i = size_t(a.at), j = size_t(b.at);
            int c = compareCaseInsensitive(texts[i], texts[j], from);
            if (c == 0 && thenBy)
                c = compareCaseInsensitive((*thenBy)[i], (*thenBy)[j], 0);
            return c != 0 ? c < 0 : i < j;
        });
    }
};

// rows (ascending row numbers) in the case-insensitive order of their texts, then of thenBy.
// Views, not copies: no row's strings are touched beyond reading.
void sortByText(std::vector<int> &rows, const std::vector<QStringView> &texts, const std::vector<QStringView> *thenBy)
{
    std::vector<TextOrder::Item> items(rows.size());
    for (size_t i = 0; i < items.size(); ++i)
        items[i].at = int(i);
    TextOrder{texts, thenBy}.sort(items, 0, items.size(), 0);
    std::vector<int> sorted(rows.size());
    for (size_t i = 0; i < items.size(); ++i)
        sorted[i] = rows[size_t(items[i].at)];
    rows.swap(sorted);
}

// Sorts rows (ascending row numbers) by column, ascending.
void sortRows(std::vector<int> &rows, const MigrationTableOrder::RowAt &rowAt, int column)
{
    const size_t n = rows.size();
    switch (column) {
    case MigrationTableModel::State: { // a bucket per state, each in row order
        std::vector<int> buckets[int(MigrationState::StateCount)];
        for (const int r : rows)
            buckets[int(rowAt(r).state)].push_back(r);
        rows.clear();
        for (const std::vector<int> &bucket : buckets)
            rows.insert(rows.end(), bucket.begin(), bucket.end());
        return;
    }
    case MigrationTableModel::AppliedAt: {
        struct Key
        {
            qint64 ms, id;
            int row;
        };
        std::vector<Key> keys(n);
        for (size_t i = 0; i < n; ++i) {
            const MigrationRow &r = rowAt(rows[i]);
            keys[i] = {r.applied.isValid() ? r.applied.toMSecsSinceEpoch() : LLONG_MIN, r.recordId, rows[i]};
        }
        std::sort(keys.begin(), keys.end(), [](const Key &a, const Key &b) {
            return a.ms != b.ms ? a.ms < b.ms : a.id != b.id ? a.id < b.id : a.row < b.row;
        });
        for (size_t i = 0; i < n; ++i)
            rows[i] = keys[i].row;
        return;
    }
    case MigrationTableModel::Migration:
    case MigrationTableModel::File:
    case MigrationTableModel::Dependencies: {
        std::vector<QStringView> texts(n);
        std::vector<QStringView> apps(column == MigrationTableModel::Migration ? n : 0);
        std::vector<QString> joined(column == MigrationTableModel::Dependencies ? n : 0);
        for (size_t i = 0; i < n; ++i) {
            const MigrationRow &r = rowAt(rows[i]);
            if (column == MigrationTableModel::Migration) { // by name, then app
                texts[i] = r.name;
                apps[i] = r.app;
            } else if (column == MigrationTableModel::File) {
                texts[i] = r.file;
            } else if (!r.dependencies.isEmpty()) {
                joined[i] = dependencyText(r);
                texts[i] = joined[i];
            }
        }
        sortByText(rows, texts, apps.empty() ? nullptr : &apps);
        return;
    }
    default: // App: the row order
        return;
    }
}

} // namespace

bool MigrationTableOrder::less(const MigrationRow &a, int ia, const MigrationRow &b, int ib, int column)
{
    int c = 0;
    switch (column) {
    case MigrationTableModel::AppliedAt:
        // By time, not by text; rows without a time sort first, record id breaks ties (Django
        // applies several migrations within one millisecond).
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
        c = compareCaseInsensitive(a.name, b.name, 0);
        if (c == 0)
            c = compareCaseInsensitive(a.app, b.app, 0);
        break;
    case MigrationTableModel::File:
        c = compareCaseInsensitive(a.file, b.file, 0);
        break;
    case MigrationTableModel::Dependencies:
        c = compareCaseInsensitive(dependencyText(a), dependencyText(b), 0);
        break;
    default:
        break;
    }
    return c != 0 ? c < 0 : ia < ib;
}

std::vector<int> MigrationTableOrder::shownRows(int rowCount, const RowAt &rowAt, int column, Qt::SortOrder order,
                                                const MigrationRowFilter &filter)
{
    std::vector<int> rows;
    rows.reserve(size_t(rowCount));
    for (int i = 0; i < rowCount; ++i) {
        if (filter.accepts(rowAt(i)))
            rows.push_back(i);
    }
    sortRows(rows, rowAt, column);
    if (order == Qt::DescendingOrder)
        std::reverse(rows.begin(), rows.end());
    return rows;
}
