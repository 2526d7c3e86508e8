// EvidenceModel: the model contract (QAbstractItemModelTester), header and item rows for a
// finding's migrations and evidence, and a finding with 100,000 evidence lines.
#include "doctor/finding.h"
#include "gui/evidencemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestEvidenceModel : public QObject
{
    Q_OBJECT
private slots:
    void sectionsAndRows();
    void emptyListsHaveNoHeader();
    void manyLines();
};

namespace {

Finding orphans(int rows)
{
    Finding f;
    f.kind = FindingKind::OrphanRows;
    f.title = QStringLiteral("Orphan rows");
    for (int i = 0; i < rows; ++i) {
        f.migrations << QStringLiteral("crm.%1_gone").arg(i, 4, 10, QLatin1Char('0'));
        f.evidence << QStringLiteral("django_migrations id=%1: crm %2_gone, no file").arg(i + 1).arg(i, 4, 10, QLatin1Char('0'));
    }
    return f;
}

} // namespace

void TestEvidenceModel::sectionsAndRows()
{
    EvidenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    const Finding f = orphans(3);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFinding(&f);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 8); // header + 3, header + 3
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("Migrations involved"));
    QVERIFY(model.index(0).data(EvidenceModel::IsHeaderRole).toBool());
    QVERIFY(!(model.flags(model.index(0)) & Qt::ItemIsSelectable));
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("crm.0000_gone"));
    QVERIFY(!model.index(1).data(EvidenceModel::IsHeaderRole).toBool());
    QVERIFY(model.flags(model.index(1)) & Qt::ItemIsSelectable);
    QCOMPARE(model.index(4).data().toString(), QStringLiteral("Evidence"));
    QCOMPARE(model.index(7).data().toString(), f.evidence.at(2));
    QCOMPARE(model.index(7).data(Qt::ToolTipRole).toString(), f.evidence.at(2));
    QVERIFY(model.index(0).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!model.index(1).data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(model.plainText().split(QLatin1Char('\n')).size(), 8);
    QVERIFY(model.plainText().startsWith(QLatin1String("Migrations involved\n  crm.0000_gone")));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.plainText(), QString());
}

void TestEvidenceModel::emptyListsHaveNoHeader()
{
    EvidenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Finding f;
    f.evidence = {QStringLiteral("only evidence")};
    model.setFinding(&f);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("Evidence"));
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("only evidence"));
    QVERIFY(!model.index(2).isValid());
}

void TestEvidenceModel::manyLines()
{
    EvidenceModel model;
    const Finding f = orphans(100000);
    model.setFinding(&f);
    QCOMPARE(model.rowCount(), 200002);
    QCOMPARE(model.index(100001).data().toString(), QStringLiteral("Evidence"));
    QCOMPARE(model.index(200001).data().toString(), f.evidence.last());
}

QTEST_MAIN(TestEvidenceModel)
#include "tst_evidencemodel.moc"
