#pragma once

#include "doctor/finding.h"

#include <QAbstractTableModel>
#include <QList>

// The doctor's findings as a table: severity (icon + word), kind, and the one-line title, with
// the plain-language explanation as tooltip. A new diagnosis updates rows in place when the same
// problems are found again (the selection survives re-diagnosis after a partial fix).
class FindingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, KindColumn, TitleColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, // FindingKind as int
        SeverityRole,                // Severity as int
        KindNameRole,                // findingKindName(): stable, as the CLI's JSON
        ExplanationRole,
        EvidenceRole,                // QStringList
        MigrationsRole,              // QStringList
        FixCountRole,
        HasRecommendedFixRole,
        KeyRole,                     // kind + migrations: identifies a finding across diagnoses
    };

    explicit FindingModel(QObject *parent = nullptr);

    void setFindings(const QList<Finding> &findings);
    void clear() { setFindings({}); }
    const QList<Finding> &findings() const { return m_findings; }
    // The finding of a row (of this model), nullptr when out of range.
    const Finding *finding(int row) const;
    int rowOfKey(const QString &key) const;
    static QString keyOf(const Finding &finding);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Finding> m_findings;
};
