#include "migrationfilterproxy.h"

#include "migrationtablemodel.h"

#include <QDateTime>

MigrationFilterProxy::MigrationFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(false); // app labels and module names are ASCII identifiers
}

void MigrationFilterProxy::setAppFilter(const QString &app)
{
    if (app == m_app)
        return;
    m_app = app;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setStateFilter(unsigned states)
{
    states &= allStates();
    if (states == m_states)
        return;
    m_states = states;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setSearchText(const QString &text)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_search)
        return;
    m_search = words;
    invalidateFilter();
    emit filterChanged();
}

void MigrationFilterProxy::setHistoryMode(bool on)
{
    if (on == m_history)
        return;
    if (on) {
        m_sortBeforeHistory = sortColumn();
        m_orderBeforeHistory = sortOrder();
    }
    m_history = on;
    invalidateFilter();
    if (on)
        sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    else
        sort(m_sortBeforeHistory, m_orderBeforeHistory);
    emit filterChanged();
}

void MigrationFilterProxy::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    const bool sourceOrder = column == MigrationTableModel::App && order == Qt::AscendingOrder
                          && qobject_cast<const MigrationTableModel *>(sourceModel());
    QSortFilterProxyModel::sort(sourceOrder ? -1 : column, order);
}

bool MigrationFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const MigrationTableModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return false;
    const MigrationRow &row = model->rowAt(sourceRow);

    if (m_history && !row.applied.isValid())
        return false;
    if (!(m_states & stateBit(row.state)))
        return false;
    if (!m_app.isEmpty() && row.app != m_app)
        return false;
    for (const QString &word : m_search) {
        // The key is checked so that "flows.0002" finds flows' 0002_… migration.
        if (!row.app.contains(word, Qt::CaseInsensitive) && !row.name.contains(word, Qt::CaseInsensitive)
            && !row.file.contains(word, Qt::CaseInsensitive)
            && !row.key().contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool MigrationFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto *model = qobject_cast<const MigrationTableModel *>(sourceModel());
    if (!model)
        return QSortFilterProxyModel::lessThan(left, right);
    const MigrationRow &a = model->rowAt(left.row());
    const MigrationRow &b = model->rowAt(right.row());

    // The model's own order (case-sensitive), so that App descending is App ascending reversed.
    auto byKey = [&] {
        if (const int c = a.app.compare(b.app); c != 0)
            return c < 0;
        return a.name.compare(b.name) < 0;
    };

    switch (left.column()) {
    case MigrationTableModel::AppliedAt:
        // By time, not by text; rows without a time sort first (ascending), record id breaks
        // ties (Django applies several migrations within one millisecond).
        if (a.applied != b.applied) {
            if (!a.applied.isValid() || !b.applied.isValid())
                return !a.applied.isValid();
            return a.applied < b.applied;
        }
        if (a.recordId != b.recordId)
            return a.recordId < b.recordId;
        return byKey();
    case MigrationTableModel::State:
        if (a.state != b.state)
            return int(a.state) < int(b.state);
        return byKey();
    case MigrationTableModel::App:
        return byKey();
    case MigrationTableModel::Migration:
        if (const int c = a.name.compare(b.name, Qt::CaseInsensitive); c != 0)
            return c < 0;
        return a.app.compare(b.app, Qt::CaseInsensitive) < 0;
    case MigrationTableModel::File:
        if (const int c = a.file.compare(b.file, Qt::CaseInsensitive); c != 0)
            return c < 0;
        return byKey();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}
