#pragma once

#include "status/statussnapshot.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <array>
#include <vector>

// The status table: one row per migration of the current snapshot.
//
// setSnapshot() merges the new snapshot into the rows already shown (keyed by app and name)
// instead of resetting, so the view keeps its selection, current index and scroll position
// across a refresh.
class MigrationTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { App, Migration, State, AppliedAt, File, Dependencies, ColumnCount };
    enum Role {
        StateRole = Qt::UserRole, // int(MigrationState)
        AppliedRole,              // QDateTime, invalid when there is no django_migrations row
        KeyRole,                  // "app.name"
        RecordIdRole,             // django_migrations.id (qint64), 0 when there is none
        AppRole,                  // app label
        NameRole,                 // migration name
        FileRole,                 // path relative to the project root
    };

    explicit MigrationTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Merges the snapshot's rows into those shown (at once up to synchronousRows() rows, else
    // once the thread pool planned it: isMerging() meanwhile, merged() at the end).
    void setSnapshot(const StatusSnapshot &snapshot);
    void clear();
    bool isMerging() const { return m_merging; }
    int synchronousRows() const;
    void setSynchronousRows(int rows) { m_synchronousRows = rows; }

    // The text a row shows in a column (its DisplayRole). Pure: a worker thread may call it.
    static QString displayText(const MigrationRow &row, int column);
    // The rows at `order` (indexes into rows) as Copy Rows gives them: one line per row, the
    // columns' display text separated by tabs, each line ending in '\n'. Pure.
    static QString tabSeparated(const QList<MigrationRow> &rows, const std::vector<int> &order);

    const StatusSnapshot &snapshot() const { return m_snapshot; }
    // What the page's counts label and app filter show of the rows: computed with each merge
    // (on the thread pool for a big one), so a filter change or a keystroke never walks the rows.
    struct Summary
    {
        std::array<int, int(MigrationState::StateCount)> counts{};
        QStringList apps; // every app of a row, sorted
    };
    const Summary &summary() const { return m_summary; }
    static Summary summarize(const QList<MigrationRow> &rows); // rows in model order
    const MigrationRow &rowAt(int row) const;
    // Every row in model order, implicitly shared (no copy): for a worker thread. Complete
    // between merges, not inside a slot of a signal a merge emits.
    const QList<MigrationRow> &rows() const { return m_rows; }
    QModelIndex indexForKey(const QString &app, const QString &name, int column = 0) const;

signals:
    // The rows are those of the last snapshot given (after its merge, or a clear()).
    void merged();

private:
    struct MergeStep
    {
        enum Kind : quint8 { Remove, Insert, Keep, Change } kind;
        int count;
    };
    static std::vector<MergeStep> mergeSteps(const QList<MigrationRow> &old, const QList<MigrationRow> &incoming);
    void applyMerge(const StatusSnapshot &snapshot, QList<MigrationRow> incoming, const std::vector<MergeStep> &steps,
                    Summary summary);
    static void releaseLater(QList<MigrationRow> rows);

    // While a merge is applied, rows [0, m_done) are m_rows' (the new list) and the old rows not
    // yet visited follow in m_pending from m_pendingPos on; m_done is -1 between merges.
    QList<MigrationRow> m_rows;
    QList<MigrationRow> m_pending;
    int m_pendingPos = 0;
    int m_done = -1;
    StatusSnapshot m_snapshot; // everything but rows (counts, flags) of the last snapshot
    Summary m_summary;         // of m_rows
    int m_synchronousRows = 200000;
    quint64 m_mergeJob = 0;   // bumped by every setSnapshot() and clear(): only the latest applies
    quint64 m_generation = 0; // bumped by every change of the rows: older plans are stale
    bool m_merging = false;
};
