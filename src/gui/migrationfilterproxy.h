#pragma once

#include "migrationtableorder.h"
#include "status/migrationstate.h"

#include <QAbstractProxyModel>
#include <QStringList>

#include <vector>

class MigrationTableModel;
struct MigrationRow;

// What the status table shows of the model: filtered by app, by state and by a search text,
// sorted by the clicked column. History mode lists only rows with an applied time, in the order
// of the guide's `SELECT app, name, applied FROM django_migrations ORDER BY applied`.
//
// Not a QSortFilterProxyModel: that one sorts on the GUI thread with a virtual lessThan per
// comparison (half a second at a million rows whatever lessThan costs) and filters with a call
// per row. Here the rows shown are one list of source rows, computed as a whole by
// MigrationTableOrder (on the GUI thread up to synchronousRows(), on the thread pool beyond) and
// applied in one pass: a layout change that moves the persistent indexes (selection, current
// row), and the removals and insertions a filter makes as few contiguous runs. The latest sort
// or filter wins: a result computed before another request, or before the model changed, is
// dropped. A refresh's few changed rows are placed one by one; many new rows are shown once the
// order with them is computed.
class MigrationFilterProxy : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit MigrationFilterProxy(QObject *parent = nullptr);
    ~MigrationFilterProxy() override;

    QString appFilter() const { return m_filter.app; }
    void setAppFilter(const QString &app); // empty: every app

    // Bit i set = MigrationState(i) shown. allStates() shows everything.
    static unsigned allStates() { return (1u << int(MigrationState::StateCount)) - 1; }
    static unsigned stateBit(MigrationState state) { return 1u << int(state); }
    unsigned stateFilter() const { return m_filter.states; }
    void setStateFilter(unsigned states);

    // Case-insensitive; every whitespace-separated word must occur in the app, the name, the
    // "app.name" key or the file path.
    QString searchText() const { return m_filter.words.join(QLatin1Char(' ')); }
    void setSearchText(const QString &text);

    bool historyMode() const { return m_filter.history; }
    // On: only applied rows, sorted by applied time ascending (record id breaks ties). Off: the
    // sort that was active before history mode came back.
    void setHistoryMode(bool on);

    void setSourceModel(QAbstractItemModel *model) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // The order asked for last (the rows may still be in the previous one while busy()).
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    // App ascending: the model's own (app, name, record id) order, so rows are never sorted.
    bool passesSourceOrderThrough() const { return m_sortColumn == appColumn() && m_sortOrder == Qt::AscendingOrder; }

    // An order or a filter is being computed on the thread pool; the rows shown are the former.
    bool isBusy() const { return m_busy; }
    // Up to this many source rows, orders and filters are computed on the GUI thread at once.
    int synchronousRows() const { return m_synchronousRows; }
    void setSynchronousRows(int rows) { m_synchronousRows = rows; }

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    // The table's flags without asking it: with every row selected, the header asks for the
    // flags of every row of each column it paints (QItemSelectionModel::isColumnSelected).
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    // mapToSource() for a row number, without an index: for a selection of a million rows.
    int sourceRowOf(int proxyRow) const
    {
        Q_ASSERT(proxyRow >= 0 && size_t(proxyRow) < m_rows.size());
        return m_rows[size_t(proxyRow)];
    }
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

signals:
    void filterChanged();
    void busyChanged(bool busy);

private:
    static int appColumn();
    bool keepsSourceOrder() const; // no column or App: rows in source order (or its reverse)
    bool before(int sourceA, int sourceB) const; // the current order on two source rows
    const MigrationRow &sourceRow(int row) const;

    // Computes the rows shown for the current order and filter: at once for a small table, else
    // on the thread pool (then applied when it arrives, if still current).
    void recompute();
    void queueRecompute();
    void startRecompute();
    void setBusy(bool busy);
    // Moves from the rows shown to `target` (any order, any subset of source rows).
    void showRows(std::vector<int> target);
    void layoutTo(std::vector<int> rows);
    void removeShown(std::vector<int> proxyRows);
    void insertShown(int sourceRow);
    const std::vector<int> &place() const;

    void onRowsInserted(int first, int last);
    void onRowsAboutToBeRemoved(int first, int last);
    void onRowsRemoved(int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);
    void onSourceAboutToBeReset();
    void onSourceReset();
    void orderEveryRow();

    // Up to this many rows inserted or changed at once are placed one by one; more are placed by
    // computing the whole order again. Up to this many runs of rows come or go as separate signals;
    // more go as one layout change and one contiguous run.
    static constexpr int DirectRows = 64;
    static constexpr int DirectRuns = 8;

    const MigrationTableModel *m_table = nullptr;
    QList<QMetaObject::Connection> m_sourceConnections;
    std::vector<int> m_rows;  // proxy row → source row
    mutable std::vector<int> m_place; // source row → proxy row, -1 when not shown; see place()
    mutable bool m_placeStale = false;
    MigrationRowFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_sortBeforeHistory = -1;
    Qt::SortOrder m_orderBeforeHistory = Qt::AscendingOrder;
    int m_synchronousRows = 20000;
    quint64 m_generation = 0; // bumped by every change of the source: older results are stale
    quint64 m_latestJob = 0;  // bumped by every request: only its result is shown
    bool m_dirty = false;     // the rows shown are not yet those of the current order and filter
    bool m_queued = false;
    bool m_busy = false;
};
