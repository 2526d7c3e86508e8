// FindingModel from hand-built findings: the model contract (QAbstractItemModelTester), what
// each column and role shows, and that a re-diagnosis updates rows in place.
#include "gui/findingmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

namespace {

Finding makeFinding(FindingKind kind, Severity severity, const QStringList &migrations, bool withFix = true)
{
    Finding f;
    f.kind = kind;
    f.severity = severity;
    f.title = findingKindName(kind) + QStringLiteral(" of ") + migrations.join(QStringLiteral(", "));
    f.explanation = QStringLiteral("Plain words about ") + migrations.value(0);
    f.evidence = {QStringLiteral("row ") + migrations.value(0)};
    f.migrations = migrations;
    if (withFix) {
        DoctorFix fix;
        fix.id = QStringLiteral("fix");
        fix.title = QStringLiteral("Fix it");
        fix.recommended = true;
        f.fixes << fix;
    }
    return f;
}

const Finding kInconsistent = makeFinding(FindingKind::InconsistentHistory, Severity::Error,
                                          {QStringLiteral("flows.0003_flowcontext"), QStringLiteral("flows.0002_auto")});
const Finding kOrphans = makeFinding(FindingKind::OrphanRows, Severity::Warning, {QStringLiteral("crm.0009_gone")});
const Finding kPending = makeFinding(FindingKind::Pending, Severity::Info, {QStringLiteral("crm.0010_new")}, false);

} // namespace

class TestFindingModel : public QObject
{
    Q_OBJECT

private slots:
    void contract()
    {
        FindingModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFindings({kInconsistent, kOrphans});
        model.setFindings({kInconsistent, kOrphans, kPending});
        model.setFindings({kPending, kInconsistent}); // reordered
        model.setFindings({kOrphans});
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void columnsAndRoles()
    {
        FindingModel model;
        model.setFindings({kInconsistent, kOrphans, kPending});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(FindingModel::ColumnCount));
        const QModelIndex sev = model.index(0, FindingModel::SeverityColumn);
        QCOMPARE(sev.data().toString(), QStringLiteral("Error"));
        QVERIFY(!sev.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(model.index(0, FindingModel::KindColumn).data().toString(), QStringLiteral("Inconsistent history"));
        QCOMPARE(model.index(0, FindingModel::TitleColumn).data().toString(), kInconsistent.title);
        QCOMPARE(model.index(0, FindingModel::TitleColumn).data(Qt::ToolTipRole).toString(), kInconsistent.explanation);
        QCOMPARE(sev.data(FindingModel::KindNameRole).toString(), QStringLiteral("InconsistentHistory"));
        QCOMPARE(sev.data(FindingModel::MigrationsRole).toStringList(), kInconsistent.migrations);
        QCOMPARE(sev.data(FindingModel::EvidenceRole).toStringList(), kInconsistent.evidence);
        QCOMPARE(sev.data(FindingModel::HasRecommendedFixRole).toBool(), true);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Warning"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("Info"));
        QCOMPARE(model.index(2, 0).data(FindingModel::HasRecommendedFixRole).toBool(), false);
        QCOMPARE(model.index(2, 0).data(FindingModel::FixCountRole).toInt(), 0);
        QCOMPARE(model.headerData(FindingModel::KindColumn, Qt::Horizontal).toString(), QStringLiteral("Problem"));
        // The icons differ per severity (shape, not only colour).
        const QImage e = model.index(0, 0).data(Qt::DecorationRole).value<QIcon>().pixmap(16).toImage();
        const QImage w = model.index(1, 0).data(Qt::DecorationRole).value<QIcon>().pixmap(16).toImage();
        QVERIFY(e != w);
    }

    void sameFindingsUpdateInPlace()
    {
        FindingModel model;
        model.setFindings({kInconsistent, kOrphans});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        Finding again = kInconsistent;
        again.explanation = QStringLiteral("said differently");
        model.setFindings({again, kOrphans});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, 0).data(FindingModel::ExplanationRole).toString(), QStringLiteral("said differently"));
    }

    void fixedFindingIsRemovedOthersStay()
    {
        FindingModel model;
        model.setFindings({kInconsistent, kOrphans, kPending});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setFindings({kOrphans, kPending});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(model.rowOfKey(FindingModel::keyOf(kPending)), 1);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setFindings({kInconsistent, kOrphans, kPending});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.finding(0)->kind, FindingKind::InconsistentHistory);
        QVERIFY(!model.finding(3));
    }
};

QTEST_MAIN(TestFindingModel)
#include "tst_findingmodel.moc"
