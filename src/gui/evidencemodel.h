#pragma once

#include <QAbstractListModel>
#include <QFont>
#include <QStringList>

struct Finding;

// The "Migrations involved" and "Evidence" lists of one finding, each under a header row, for
// a list view. A QTextDocument of 10,000 list items took seconds to lay out; a view with
// uniform item sizes lays out only the rows it shows, whatever the finding holds.
class EvidenceModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IsHeaderRole = Qt::UserRole + 1, // bool: a section title, not a fact
    };

    explicit EvidenceModel(QObject *parent = nullptr);

    // Shows the finding's lists (copied: implicitly shared, O(1)); nullptr empties the model.
    void setFinding(const Finding *finding);
    void clear() { setFinding(nullptr); }
    // All rows as plain text, one per line, headers included (what Copy puts on the clipboard).
    QString plainText() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    // Section s has a header row and then its items; a section without items has no rows.
    struct Section
    {
        QString title;
        QStringList items;
        int rows() const { return items.isEmpty() ? 0 : int(items.size()) + 1; }
    };
    const Section *sectionOf(int row, int *item) const; // item -1: the header

    Section m_sections[2];
    QFont m_codeFont;
    QFont m_headerFont;
};
