#include "backupmodel.h"

#include <QLocale>

#include <algorithm>

BackupModel::BackupModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString BackupModel::formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString BackupModel::coverage(const BackupInfo &backup)
{
    QStringList parts;
    if (backup.hasDatabase)
        parts << (backup.databaseName.isEmpty() ? tr("database") : tr("database (%1)").arg(backup.databaseName));
    if (backup.hasHistory)
        parts << tr("history");
    if (!backup.files.isEmpty())
        parts << tr("%n file(s)", nullptr, int(backup.files.size()));
    if (parts.isEmpty())
        return backup.complete ? tr("nothing") : tr("incomplete");
    return parts.join(QStringLiteral(", "));
}

void BackupModel::setBackups(const QList<BackupInfo> &backups)
{
    // Remove the backups that are gone (pruned, deleted by hand), bottom up.
    for (int row = int(m_backups.size()) - 1; row >= 0; --row) {
        const QString id = m_backups.at(row).id;
        const bool stays = std::any_of(backups.cbegin(), backups.cend(), [&](const BackupInfo &b) { return b.id == id; });
        if (!stays) {
            beginRemoveRows(QModelIndex(), row, row);
            m_backups.removeAt(row);
            endRemoveRows();
        }
    }
    // Both lists are newest first, so the kept rows are in order: walk and insert the new ones.
    for (int row = 0; row < backups.size(); ++row) {
        if (row < m_backups.size() && m_backups.at(row).id == backups.at(row).id) {
            m_backups[row] = backups.at(row);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        const int existing = rowOfId(backups.at(row).id);
        if (existing >= 0) { // reordered (a time was rewritten): rare, take the simple road
            beginResetModel();
            m_backups = backups;
            endResetModel();
            return;
        }
        beginInsertRows(QModelIndex(), row, row);
        m_backups.insert(row, backups.at(row));
        endInsertRows();
    }
}

const BackupInfo *BackupModel::backup(int row) const
{
    return row >= 0 && row < m_backups.size() ? &m_backups.at(row) : nullptr;
}

int BackupModel::rowOfId(const QString &id) const
{
    for (int row = 0; row < m_backups.size(); ++row) {
        if (m_backups.at(row).id == id)
            return row;
    }
    return -1;
}

int BackupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_backups.size());
}

int BackupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BackupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const BackupInfo &b = m_backups.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(b.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case OperationColumn:
            return b.operation;
        case SizeColumn:
            return formatSize(b.size);
        case ContentsColumn:
            return coverage(b);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        return b.dir;
    case IdRole:
        return b.id;
    case DirRole:
        return b.dir;
    case SizeRole:
        return b.size;
    case CompleteRole:
        return b.complete;
    case HasDatabaseRole:
        return b.hasDatabase;
    case HasHistoryRole:
        return b.hasHistory;
    case FileCountRole:
        return int(b.files.size());
    }
    return QVariant();
}

QVariant BackupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case OperationColumn:
        return tr("Taken before");
    case SizeColumn:
        return tr("Size");
    case ContentsColumn:
        return tr("Covers");
    }
    return QVariant();
}
