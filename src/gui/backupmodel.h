#pragma once

#include "safety/backupstore.h"

#include <QAbstractTableModel>
#include <QList>

// The backups of a project, newest first: when, for what operation, how big, what they cover.
// reload results are merged by backup id, so the selection survives a refresh.
class BackupModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, OperationColumn, SizeColumn, ContentsColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        DirRole,
        SizeRole,        // qint64 bytes (the Size column displays it formatted)
        CompleteRole,
        HasDatabaseRole,
        HasHistoryRole,
        FileCountRole,
    };

    explicit BackupModel(QObject *parent = nullptr);

    void setBackups(const QList<BackupInfo> &backups);
    const QList<BackupInfo> &backups() const { return m_backups; }
    const BackupInfo *backup(int row) const;
    int rowOfId(const QString &id) const;

    // "database (hanna), history, 3 files"
    static QString coverage(const BackupInfo &backup);
    // What made it and what it holds: "before Clear migration history · 28 rows".
    static QString label(const BackupInfo &backup);
    static QString formatSize(qint64 bytes);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BackupInfo> m_backups;
};
