#pragma once

#include "status/migrationstate.h"

#include <QSortFilterProxyModel>
#include <QStringList>

#include <vector>

class MigrationTableModel;
struct MigrationRow;

// What the status table shows of the model: filtered by app, by state and by a search text,
// sorted by the clicked column. History mode lists only rows with an applied time, in the order
// of the guide's `SELECT app, name, applied FROM django_migrations ORDER BY applied`.
//
// Sorted by App ascending (the table's default) the proxy sorts nothing: MigrationTableModel
// keeps its rows in (app, name, record id) order, which is that order, so the source order is
// passed through. QSortFilterProxyModel sorts every insert with lessThan, and at 100,000 rows
// that alone stalls the first load by more than 50 ms whatever lessThan costs.
//
// Other columns compare precomputed ranks: the model's row order is the (app, name, id) order,
// so a row's number is its key; for times and case-insensitive text each row's place in that
// column's order is computed once per sort (one pass of plain keys), and lessThan compares two
// ints. Small changes of the source (a refresh's few rows) drop the ranks and compare the rows
// themselves until the next sort or big insert.
class MigrationFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MigrationFilterProxy(QObject *parent = nullptr);

    QString appFilter() const { return m_app; }
    void setAppFilter(const QString &app); // empty: every app

    // Bit i set = MigrationState(i) shown. allStates() shows everything.
    static unsigned allStates() { return (1u << int(MigrationState::StateCount)) - 1; }
    static unsigned stateBit(MigrationState state) { return 1u << int(state); }
    unsigned stateFilter() const { return m_states; }
    void setStateFilter(unsigned states);

    // Case-insensitive; every whitespace-separated word must occur in the app, the name, the
    // "app.name" key or the file path.
    QString searchText() const { return m_search.join(QLatin1Char(' ')); }
    void setSearchText(const QString &text);

    bool historyMode() const { return m_history; }
    // On: only applied rows, sorted by applied time ascending (record id breaks ties). Off: the
    // sort that was active before history mode came back.
    void setHistoryMode(bool on);

    void setSourceModel(QAbstractItemModel *model) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // The order the rows are in, also while the source order is passed through (where
    // QSortFilterProxyModel's own sortColumn() says -1).
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    bool passesSourceOrderThrough() const { return QSortFilterProxyModel::sortColumn() < 0 && m_sortColumn >= 0; }

signals:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    bool rowLess(int left, int right, int column) const;
    void rebuildRanks(int column) const;
    void dropRanks(int changedRows);

    static constexpr int RerankRows = 1000; // inserted at once: rank them all again
    const MigrationTableModel *m_table = nullptr; // the source, when it is one
    QList<QMetaObject::Connection> m_sourceConnections;
    mutable std::vector<int> m_rank; // per source row: its place in m_rankColumn's order
    mutable int m_rankColumn = -1;   // -1: no valid ranks
    mutable bool m_rankOnNextCompare = false; // a big insert: rank again once the rows are in
    QString m_app;
    unsigned m_states = allStates();
    QStringList m_search;
    bool m_history = false;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_sortBeforeHistory = -1;
    Qt::SortOrder m_orderBeforeHistory = Qt::AscendingOrder;
};
