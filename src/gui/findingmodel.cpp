#include "findingmodel.h"

#include "findingstyle.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>

FindingModel::FindingModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString FindingModel::keyOf(const Finding &finding)
{
    return findingKindName(finding.kind) + QLatin1Char(':') + finding.migrations.join(QLatin1Char(' '));
}

void FindingModel::setFindings(const QList<Finding> &findings)
{
    bool sameKeys = findings.size() == m_findings.size();
    for (qsizetype i = 0; sameKeys && i < findings.size(); ++i)
        sameKeys = keyOf(findings.at(i)) == keyOf(m_findings.at(i));
    if (sameKeys) {
        // The same problems again: refresh their text and fixes without losing the selection.
        m_findings = findings;
        if (!m_findings.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    // Otherwise remove the rows that are gone and insert the new ones, keeping order.
    QList<Finding> current = m_findings;
    for (int row = int(current.size()) - 1; row >= 0; --row) {
        const QString key = keyOf(current.at(row));
        const bool stays = std::any_of(findings.cbegin(), findings.cend(),
                                       [&](const Finding &f) { return keyOf(f) == key; });
        if (!stays) {
            beginRemoveRows(QModelIndex(), row, row);
            m_findings.removeAt(row);
            endRemoveRows();
        }
    }
    // What stays is a subsequence; if its order changed the simplest correct answer is a reset.
    int cursor = 0;
    bool ordered = true;
    for (const Finding &f : m_findings) {
        const QString key = keyOf(f);
        while (cursor < findings.size() && keyOf(findings.at(cursor)) != key)
            ++cursor;
        if (cursor == findings.size()) {
            ordered = false;
            break;
        }
        ++cursor;
    }
    if (!ordered) {
        beginResetModel();
        m_findings = findings;
        endResetModel();
        return;
    }
    for (int row = 0; row < findings.size(); ++row) {
        if (row < m_findings.size() && keyOf(m_findings.at(row)) == keyOf(findings.at(row))) {
            m_findings[row] = findings.at(row);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        beginInsertRows(QModelIndex(), row, row);
        m_findings.insert(row, findings.at(row));
        endInsertRows();
    }
}

const Finding *FindingModel::finding(int row) const
{
    return row >= 0 && row < m_findings.size() ? &m_findings.at(row) : nullptr;
}

int FindingModel::rowOfKey(const QString &key) const
{
    for (int row = 0; row < m_findings.size(); ++row) {
        if (keyOf(m_findings.at(row)) == key)
            return row;
    }
    return -1;
}

int FindingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Finding &f = m_findings.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return FindingStyle::label(f.severity);
        case KindColumn:
            return FindingStyle::kindLabel(f.kind);
        case TitleColumn:
            return f.title;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return FindingStyle::icon(f.severity, QApplication::palette());
        break;
    case Qt::ToolTipRole:
        return f.explanation;
    case Qt::AccessibleTextRole:
        return FindingStyle::label(f.severity) + QStringLiteral(": ") + f.title;
    case KindRole:
        return int(f.kind);
    case SeverityRole:
        return int(f.severity);
    case KindNameRole:
        return findingKindName(f.kind);
    case ExplanationRole:
        return f.explanation;
    case EvidenceRole:
        return f.evidence;
    case MigrationsRole:
        return f.migrations;
    case FixCountRole:
        return int(f.fixes.size());
    case HasRecommendedFixRole:
        return f.recommendedFix() != nullptr;
    case KeyRole:
        return keyOf(f);
    }
    return QVariant();
}

QVariant FindingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case KindColumn:
        return tr("Problem");
    case TitleColumn:
        return tr("Details");
    }
    return QVariant();
}
