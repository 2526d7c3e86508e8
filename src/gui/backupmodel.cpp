#include "backupmodel.h"

#include "operations/operationcatalog.h"

#include <QHash>
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

QString BackupModel::label(const BackupInfo &backup)
{
    QString made;
    if (backup.operation == QLatin1String("backup"))
        made = tr("by hand");
    else if (backup.operation == QLatin1String("restore"))
        made = backup.restores.isEmpty() ? tr("before a restore") : tr("before restoring %1").arg(backup.restores.left(15));
    else if (const Operation *op = OperationCatalog::find(backup.operation))
        made = tr("before %1").arg(op->title);
    else
        made = tr("before %1").arg(backup.operation);
    QStringList parts{made};
    if (backup.hasDatabase)
        parts << tr("database");
    // Without a translation %n gives "row(s)": the English plural is written out.
    if (backup.historyRows >= 0)
        parts << (backup.historyRows == 1 ? tr("1 row") : tr("%1 rows").arg(backup.historyRows));
    if (!backup.files.isEmpty())
        parts << (backup.files.size() == 1 ? tr("1 file") : tr("%1 files").arg(backup.files.size()));
    return parts.join(QStringLiteral(" · "));
}

namespace {

bool sameBackup(const BackupInfo &a, const BackupInfo &b)
{
    return a.id == b.id && a.dir == b.dir && a.operation == b.operation && a.time == b.time
        && a.databaseName == b.databaseName && a.size == b.size && a.hasDatabase == b.hasDatabase
        && a.hasHistory == b.hasHistory && a.files == b.files && a.complete == b.complete
        && a.historyRows == b.historyRows && a.restores == b.restores;
}

} // namespace

void BackupModel::setBackups(const QList<BackupInfo> &backups)
{
    // Linear in both lists (1,000 backups must not cost a million comparisons): positions by id.
    QHash<QString, int> incomingRow;
    incomingRow.reserve(backups.size());
    for (int row = 0; row < backups.size(); ++row)
        incomingRow.insert(backups.at(row).id, row);

    // Remove the backups that are gone (pruned, deleted by hand), bottom up, a run at a time.
    for (int row = int(m_backups.size()) - 1; row >= 0; --row) {
        if (incomingRow.contains(m_backups.at(row).id))
            continue;
        int first = row;
        while (first > 0 && !incomingRow.contains(m_backups.at(first - 1).id))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_backups.remove(first, row - first + 1);
        endRemoveRows();
        row = first;
    }
    // Both lists are newest first, so the kept rows must be in the same order; if not (a time
    // was rewritten: rare), take the simple road.
    for (int row = 1; row < m_backups.size(); ++row) {
        if (incomingRow.value(m_backups.at(row - 1).id) > incomingRow.value(m_backups.at(row).id)) {
            beginResetModel();
            m_backups = backups;
            endResetModel();
            return;
        }
    }
    // Walk the new list: runs of new backups are inserted at once, kept ones updated in place.
    int row = 0;
    while (row < backups.size()) {
        if (row < m_backups.size() && m_backups.at(row).id == backups.at(row).id) {
            // Kept: replaced in place, one dataChanged per run of changed rows.
            int changedFirst = -1;
            for (; row < m_backups.size() && row < backups.size() && m_backups.at(row).id == backups.at(row).id; ++row) {
                const bool changed = !sameBackup(m_backups.at(row), backups.at(row));
                if (changed) {
                    m_backups[row] = backups.at(row);
                    if (changedFirst < 0)
                        changedFirst = row;
                } else if (changedFirst >= 0) {
                    emit dataChanged(index(changedFirst, 0), index(row - 1, ColumnCount - 1));
                    changedFirst = -1;
                }
            }
            if (changedFirst >= 0)
                emit dataChanged(index(changedFirst, 0), index(row - 1, ColumnCount - 1));
            continue;
        }
        // backups[row] is new: the run ends at the next kept backup (or the end).
        const QString nextKept = row < m_backups.size() ? m_backups.at(row).id : QString();
        int end = row;
        while (end < backups.size() && backups.at(end).id != nextKept)
            ++end;
        beginInsertRows(QModelIndex(), row, end - 1);
        m_backups.insert(row, end - row, BackupInfo());
        std::copy(backups.cbegin() + row, backups.cbegin() + end, m_backups.begin() + row);
        endInsertRows();
        row = end;
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
            return label(b);
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
        return tr("Made by");
    case SizeColumn:
        return tr("Size");
    case ContentsColumn:
        return tr("Covers");
    }
    return QVariant();
}
