#include "migrationtablemodel.h"

#include "migrationstatestyle.h"
#include "provenancetext.h"

#include <QGuiApplication>

#include <algorithm>

namespace {

// Rows are kept in (app, name) order, the order merge() walks both lists in. django_migrations
// has no unique constraint, so equal keys can repeat; the record id keeps their order stable.
bool keyLess(const MigrationRow &a, const MigrationRow &b)
{
    if (const int c = a.app.compare(b.app); c != 0)
        return c < 0;
    return a.name.compare(b.name) < 0;
}

bool rowLess(const MigrationRow &a, const MigrationRow &b)
{
    if (keyLess(a, b))
        return true;
    if (keyLess(b, a))
        return false;
    return a.recordId < b.recordId;
}

bool sameContent(const MigrationRow &a, const MigrationRow &b)
{
    return a.state == b.state && a.applied == b.applied && a.recordId == b.recordId
        && a.file == b.file && a.dependencies == b.dependencies && a.outOfOrder == b.outOfOrder;
}

QString appliedText(const QDateTime &applied)
{
    return applied.isValid() ? applied.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                             : QString();
}

} // namespace

MigrationTableModel::MigrationTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int MigrationTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_rows.size() + (m_pending.size() - m_pendingPos));
}

int MigrationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const MigrationRow &MigrationTableModel::rowAt(int row) const
{
    if (row < m_rows.size())
        return m_rows.at(row);
    return m_pending.at(m_pendingPos + (row - m_rows.size()));
}

QVariant MigrationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();

    const MigrationRow &row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case App:
            return row.app;
        case Migration:
            return row.name;
        case State:
            return row.outOfOrder ? tr("%1 · out of order").arg(MigrationStateStyle::label(row.state))
                                  : MigrationStateStyle::label(row.state);
        case AppliedAt:
            return appliedText(row.applied);
        case File:
            return row.file;
        case Dependencies:
            return row.dependencies.join(QStringLiteral(", "));
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == State)
            return MigrationStateStyle::icon(row.state, QGuiApplication::palette());
        break;
    case Qt::ForegroundRole:
        if (index.column() == State)
            return MigrationStateStyle::color(row.state, QGuiApplication::palette());
        break;
    case Qt::ToolTipRole: {
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(row.key().toHtmlEscaped(),
                                                          MigrationStateStyle::description(row.state).toHtmlEscaped());
        if (row.applied.isValid())
            tip += QStringLiteral("<br>") + tr("Applied at %1 (UTC %2)")
                                                .arg(appliedText(row.applied),
                                                     row.applied.toUTC().toString(Qt::ISODateWithMs));
        tip += QStringLiteral("<br>")
            + (row.file.isEmpty() ? tr("No migration file on disk.")
                                  : tr("File: %1").arg(row.file.toHtmlEscaped()));
        if (!row.dependencies.isEmpty())
            tip += QStringLiteral("<br>") + tr("Depends on %1").arg(row.dependencies.join(QStringLiteral(", ")).toHtmlEscaped());
        if (row.outOfOrder)
            tip += QStringLiteral("<br>") + tr("<i>Applied out of order: before one of its dependencies was applied.</i>");
        if (!m_snapshot.provenance.isEmpty()) {
            const auto git = m_snapshot.provenance.constFind(row.key());
            if (git != m_snapshot.provenance.cend())
                tip += ProvenanceText::html(*git, !row.file.isEmpty());
            else if (m_snapshot.gitRepository && row.state == MigrationState::Orphan)
                tip += ProvenanceText::html(MigrationProvenance(), false);
        }
        return tip;
    }
    case StateRole:
        return int(row.state);
    case AppliedRole:
        return row.applied;
    case KeyRole:
        return row.key();
    case RecordIdRole:
        return row.recordId;
    case AppRole:
        return row.app;
    case NameRole:
        return row.name;
    case FileRole:
        return row.file;
    }
    return QVariant();
}

QVariant MigrationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case App:
            return tr("App");
        case Migration:
            return tr("Migration");
        case State:
            return tr("State");
        case AppliedAt:
            return tr("Applied at");
        case File:
            return tr("File");
        case Dependencies:
            return tr("Dependencies");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case App:
            return tr("Django app label (django_migrations.app)");
        case Migration:
            return tr("Migration name (django_migrations.name, the file name without .py)");
        case State:
            return tr("Database row and file on disk, reconciled");
        case AppliedAt:
            return tr("When Django recorded the migration as applied, in local time");
        case File:
            return tr("Migration file, relative to the project folder");
        case Dependencies:
            return tr("What the migration file declares it depends on (read at load; Django's own graph once the Doctor ran)");
        }
    }
    return QVariant();
}

QModelIndex MigrationTableModel::indexForKey(const QString &app, const QString &name, int column) const
{
    MigrationRow probe;
    probe.app = app;
    probe.name = name;
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), probe, keyLess);
    if (it == m_rows.cend() || keyLess(probe, *it))
        return QModelIndex();
    return index(int(it - m_rows.cbegin()), column);
}

void MigrationTableModel::setSnapshot(const StatusSnapshot &snapshot)
{
    m_snapshot = snapshot;
    QList<MigrationRow> rows = std::move(m_snapshot.rows);
    m_snapshot.rows.clear();
    merge(std::move(rows));
    m_snapshot.rows = m_rows; // implicitly shared, no copy
}

void MigrationTableModel::clear()
{
    m_snapshot = StatusSnapshot();
    if (m_rows.isEmpty())
        return;
    // rowCount() - 1: hotspot's ProcessModel::clear() passes rowCount() and removes one too many.
    beginRemoveRows(QModelIndex(), 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

void MigrationTableModel::merge(QList<MigrationRow> incoming)
{
    if (!std::is_sorted(incoming.cbegin(), incoming.cend(), rowLess))
        std::stable_sort(incoming.begin(), incoming.end(), rowLess);

    if (incoming.isEmpty()) {
        const StatusSnapshot keep = m_snapshot;
        clear();
        m_snapshot = keep;
        return;
    }
    if (m_rows.isEmpty()) {
        beginInsertRows(QModelIndex(), 0, int(incoming.size()) - 1);
        m_rows = std::move(incoming);
        endInsertRows();
        return;
    }

    // Walk old and new rows in key order. Everything before m_rows.size() is final; the old rows
    // still to visit follow in m_pending, so the model stays consistent between every signal.
    m_pending = std::move(m_rows);
    m_pendingPos = 0;
    m_rows = QList<MigrationRow>();
    m_rows.reserve(incoming.size());

    const int newCount = int(incoming.size());
    int in = 0;
    auto oldLeft = [this] { return m_pendingPos < m_pending.size(); };

    while (in < newCount || oldLeft()) {
        const int at = int(m_rows.size()); // view row of the next old row
        if (oldLeft() && (in == newCount || keyLess(m_pending.at(m_pendingPos), incoming.at(in)))) {
            // A run of old rows that are gone.
            int end = m_pendingPos;
            while (end < m_pending.size()
                   && (in == newCount || keyLess(m_pending.at(end), incoming.at(in))))
                ++end;
            beginRemoveRows(QModelIndex(), at, at + (end - m_pendingPos) - 1);
            m_pendingPos = end;
            endRemoveRows();
        } else if (!oldLeft() || keyLess(incoming.at(in), m_pending.at(m_pendingPos))) {
            // A run of new rows.
            int end = in;
            while (end < newCount && (!oldLeft() || keyLess(incoming.at(end), m_pending.at(m_pendingPos))))
                ++end;
            beginInsertRows(QModelIndex(), at, at + (end - in) - 1);
            for (; in < end; ++in)
                m_rows.append(incoming.at(in));
            endInsertRows();
        } else {
            // Rows present before and now: replace in place, one dataChanged per changed run.
            int changedFirst = -1;
            auto flush = [&](int last) {
                if (changedFirst >= 0)
                    emit dataChanged(index(changedFirst, 0), index(last, ColumnCount - 1));
                changedFirst = -1;
            };
            while (in < newCount && oldLeft() && !keyLess(incoming.at(in), m_pending.at(m_pendingPos))
                   && !keyLess(m_pending.at(m_pendingPos), incoming.at(in))) {
                const int row = int(m_rows.size());
                const bool changed = !sameContent(m_pending.at(m_pendingPos), incoming.at(in));
                m_rows.append(incoming.at(in));
                ++m_pendingPos;
                ++in;
                if (changed && changedFirst < 0)
                    changedFirst = row;
                else if (!changed)
                    flush(row - 1);
            }
            flush(int(m_rows.size()) - 1);
        }
    }
    m_pending = QList<MigrationRow>();
    m_pendingPos = 0;
}
