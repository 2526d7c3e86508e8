#include "gui/evidencemodel.h"

#include "doctor/finding.h"

#include <QFontDatabase>

EvidenceModel::EvidenceModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_codeFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
    m_headerFont.setBold(true);
}

void EvidenceModel::setFinding(const Finding *finding)
{
    beginResetModel();
    m_sections[0] = {tr("Migrations involved"), finding ? finding->migrations : QStringList()};
    m_sections[1] = {tr("Evidence"), finding ? finding->evidence : QStringList()};
    endResetModel();
}

const EvidenceModel::Section *EvidenceModel::sectionOf(int row, int *item) const
{
    for (const Section &s : m_sections) {
        if (row < s.rows()) {
            *item = row - 1;
            return &s;
        }
        row -= s.rows();
    }
    return nullptr;
}

QString EvidenceModel::plainText() const
{
    QStringList lines;
    for (const Section &s : m_sections) {
        if (s.items.isEmpty())
            continue;
        lines << s.title;
        for (const QString &item : s.items)
            lines << QStringLiteral("  ") + item;
    }
    return lines.join(QLatin1Char('\n'));
}

int EvidenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_sections[0].rows() + m_sections[1].rows();
}

QVariant EvidenceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    int item = -1;
    const Section *s = sectionOf(index.row(), &item);
    if (!s)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: // long git output lines are cut by the view; the tooltip has them whole
        return item < 0 ? s->title : s->items.at(item);
    case Qt::FontRole:
        return item < 0 ? m_headerFont : m_codeFont;
    case IsHeaderRole:
        return item < 0;
    default:
        return {};
    }
}

Qt::ItemFlags EvidenceModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return index.data(IsHeaderRole).toBool() ? Qt::ItemIsEnabled : Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}
