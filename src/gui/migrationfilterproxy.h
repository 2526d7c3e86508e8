#pragma once

#include "status/migrationstate.h"

#include <QSortFilterProxyModel>
#include <QStringList>

// What the status table shows of the model: filtered by app, by state and by a search text,
// sorted by the clicked column. History mode lists only rows with an applied time, in the order
// of the guide's `SELECT app, name, applied FROM django_migrations ORDER BY applied`.
//
// Sorted by App ascending (the table's default) the proxy sorts nothing: MigrationTableModel
// keeps its rows in (app, name, record id) order, which is that order, so the source order is
// passed through. QSortFilterProxyModel sorts every insert with lessThan, and at 100,000 rows
// that alone stalls the first load by more than 50 ms whatever lessThan costs.
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
    QString m_app;
    unsigned m_states = allStates();
    QStringList m_search;
    bool m_history = false;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_sortBeforeHistory = -1;
    Qt::SortOrder m_orderBeforeHistory = Qt::AscendingOrder;
};
