#pragma once

#include "status/statussnapshot.h"

#include <QAbstractTableModel>
#include <QList>

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

    void setSnapshot(const StatusSnapshot &snapshot);
    void clear();

    const StatusSnapshot &snapshot() const { return m_snapshot; }
    const MigrationRow &rowAt(int row) const;
    // Every row in model order, implicitly shared (no copy): for a worker thread. Complete
    // between merges, not inside a slot of a signal a merge emits.
    const QList<MigrationRow> &rows() const { return m_rows; }
    QModelIndex indexForKey(const QString &app, const QString &name, int column = 0) const;

private:
    void merge(QList<MigrationRow> incoming);

    // While merging, the rows already merged live in m_rows and the old rows not yet visited in
    // m_pending from m_pendingPos on; each insert/remove then costs O(1) instead of moving the
    // whole tail of a 100,000-row list.
    QList<MigrationRow> m_rows;
    QList<MigrationRow> m_pending;
    int m_pendingPos = 0;
    StatusSnapshot m_snapshot; // everything but rows (counts, flags) of the last snapshot
};
