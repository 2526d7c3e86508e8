#include "gui/migrationfilterproxy.h"
#include "gui/migrationstatestyle.h"
#include "gui/migrationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QIcon>
#include <QPalette>
#include <QThreadPool>
#include <QtTest>

#include <cmath>

namespace {

MigrationState stateFromLetter(QChar c)
{
    switch (c.unicode()) {
    case 'A': return MigrationState::Applied;
    case 'P': return MigrationState::Pending;
    case 'O': return MigrationState::Orphan;
    case 'E': return MigrationState::External;
    default: return MigrationState::Inconsistent;
    }
}

// "flows.0002_step:A" → a row; Applied/Orphan/External rows get a time and a record id.
MigrationRow makeRow(const QString &spec)
{
    const qsizetype dot = spec.indexOf(QLatin1Char('.'));
    const qsizetype colon = spec.lastIndexOf(QLatin1Char(':'));
    MigrationRow row;
    row.app = spec.left(dot);
    row.name = spec.mid(dot + 1, colon - dot - 1);
    row.state = stateFromLetter(spec.at(colon + 1));
    if (row.state != MigrationState::Pending) {
        row.recordId = qHash(row.key()) % 100000 + 1;
        row.applied = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC).addSecs(row.recordId);
    }
    if (row.state == MigrationState::Applied || row.state == MigrationState::Pending)
        row.file = QStringLiteral("backend/%1/migrations/%2.py").arg(row.app, row.name);
    return row;
}

StatusSnapshot makeSnapshot(const QStringList &specs)
{
    StatusSnapshot s;
    for (const QString &spec : specs)
        s.rows << makeRow(spec);
    return s;
}

QStringList keysOf(const QAbstractItemModel &model)
{
    QStringList keys;
    for (int r = 0; r < model.rowCount(); ++r)
        keys << model.index(r, 0).data(MigrationTableModel::KeyRole).toString();
    return keys;
}

// Records the model's change signals as text: "remove 0-1", "insert 3-3", "changed 2-2".
class SignalLog : public QObject
{
public:
    explicit SignalLog(QAbstractItemModel *model)
    {
        connect(model, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex &, int f, int l) { log << QStringLiteral("remove %1-%2").arg(f).arg(l); });
        connect(model, &QAbstractItemModel::rowsInserted, this,
                [this](const QModelIndex &, int f, int l) { log << QStringLiteral("insert %1-%2").arg(f).arg(l); });
        connect(model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &tl, const QModelIndex &br) {
                    QVERIFY(tl.column() == 0 && br.column() == MigrationTableModel::ColumnCount - 1);
                    log << QStringLiteral("changed %1-%2").arg(tl.row()).arg(br.row());
                });
        connect(model, &QAbstractItemModel::modelReset, this, [this] { log << QStringLiteral("reset"); });
    }
    QStringList log;
};

double contrast(const QColor &a, const QColor &b)
{
    auto lum = [](const QColor &c) {
        auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double la = lum(a), lb = lum(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestMigrationTableModel : public QObject
{
    Q_OBJECT
private slots:
    void modelTesterThroughMerges();
    void merge_data();
    void merge();
    void persistentIndexesSurvive();
    void selectionSurvivesThroughProxy();
    void clearRemovesExactlyAllRows();
    void dataRoles();
    void outOfOrderAndProvenanceInTheRow();
    void headers();
    void stateColoursReadable_data();
    void stateColoursReadable();
    void largeScatteredMerge();
    void hundredThousandRowsThroughSortedProxy();
    void plannedMerge_data() { merge_data(); }
    void plannedMerge();
    void latestSnapshotWins();
    void summaryFollowsEveryMerge_data();
    void summaryFollowsEveryMerge();
    void tabSeparatedIsWhatTheColumnsShow();
};

void TestMigrationTableModel::modelTesterThroughMerges()
{
    MigrationTableModel model;
    MigrationFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(MigrationTableModel::AppliedAt, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

    const QList<QStringList> sequence = {
        {},
        {QStringLiteral("auth.0001_initial:E"), QStringLiteral("flows.0001_initial:A")},
        {QStringLiteral("auth.0001_initial:E"), QStringLiteral("flows.0001_initial:A"), QStringLiteral("flows.0002_step:P")},
        {QStringLiteral("admin.0001_initial:E"), QStringLiteral("flows.0001_initial:O"), QStringLiteral("flows.0002_step:A"),
         QStringLiteral("zeta.0001_initial:P")},
        {QStringLiteral("flows.0002_step:A")},
        {},
        {QStringLiteral("a.1:A"), QStringLiteral("b.1:P"), QStringLiteral("c.1:O")},
    };
    for (const QStringList &specs : sequence) {
        model.setSnapshot(makeSnapshot(specs));
        QCOMPARE(model.rowCount(), specs.size());
        proxy.setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Applied));
        proxy.setStateFilter(MigrationFilterProxy::allStates());
        proxy.setHistoryMode(true);
        proxy.setSearchText(QStringLiteral("0001"));
        proxy.setHistoryMode(false);
        proxy.setSearchText(QString());
    }
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestMigrationTableModel::merge_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<QStringList>("expectedSignals");

    const QString a = QStringLiteral("a.0001:A"), b = QStringLiteral("b.0001:A"), c = QStringLiteral("c.0001:A"),
                  d = QStringLiteral("d.0001:A"), e = QStringLiteral("e.0001:A");
    const QStringList abcde = {a, b, c, d, e};

    QTest::addRow("from empty") << QStringList() << abcde << QStringList{QStringLiteral("insert 0-4")};
    QTest::addRow("to empty") << abcde << QStringList() << QStringList{QStringLiteral("remove 0-4")};
    QTest::addRow("unchanged") << abcde << abcde << QStringList();
    QTest::addRow("remove first") << abcde << QStringList{b, c, d, e} << QStringList{QStringLiteral("remove 0-0")};
    QTest::addRow("remove middle") << abcde << QStringList{a, b, e} << QStringList{QStringLiteral("remove 2-3")};
    QTest::addRow("remove last") << abcde << QStringList{a, b, c, d} << QStringList{QStringLiteral("remove 4-4")};
    QTest::addRow("insert first") << QStringList{b, c} << QStringList{a, b, c} << QStringList{QStringLiteral("insert 0-0")};
    QTest::addRow("insert middle") << QStringList{a, e} << abcde << QStringList{QStringLiteral("insert 1-3")};
    QTest::addRow("insert last") << QStringList{a, b} << QStringList{a, b, c} << QStringList{QStringLiteral("insert 2-2")};
    QTest::addRow("replace all") << QStringList{a, b} << QStringList{d, e}
                                 << QStringList{QStringLiteral("remove 0-1"), QStringLiteral("insert 0-1")};
    QTest::addRow("state changes") << abcde
                                   << QStringList{a, QStringLiteral("b.0001:O"), QStringLiteral("c.0001:P"), d,
                                                  QStringLiteral("e.0001:P")}
                                   << QStringList{QStringLiteral("changed 1-2"), QStringLiteral("changed 4-4")};
    QTest::addRow("mixed") << abcde
                           << QStringList{QStringLiteral("a.0000:P"), a, QStringLiteral("c.0001:O"), d,
                                          QStringLiteral("d.0002:P")}
                           << QStringList{QStringLiteral("insert 0-0"), QStringLiteral("remove 2-2"),
                                          QStringLiteral("changed 2-2"), QStringLiteral("insert 4-4"),
                                          QStringLiteral("remove 5-5")};
    // Unsorted input is sorted first, as the loader's order is not the model's contract.
    QTest::addRow("unsorted input") << QStringList{a, c} << QStringList{c, b, a} << QStringList{QStringLiteral("insert 1-1")};
}

void TestMigrationTableModel::merge()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    QFETCH(QStringList, expectedSignals);

    MigrationTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(makeSnapshot(before));

    // Persistent indexes on every old row: those whose key survives must still name it.
    QList<QPersistentModelIndex> persistent;
    QStringList oldKeys = keysOf(model);
    for (int r = 0; r < model.rowCount(); ++r)
        persistent << QPersistentModelIndex(model.index(r, MigrationTableModel::State));

    SignalLog log(&model);
    model.setSnapshot(makeSnapshot(after));
    QCOMPARE(log.log, expectedSignals);

    QStringList expected;
    for (const QString &spec : after)
        expected << makeRow(spec).key();
    std::sort(expected.begin(), expected.end());
    QCOMPARE(keysOf(model), expected);
    for (int r = 0; r < model.rowCount(); ++r) {
        const MigrationRow want = makeRow(after.at(after.indexOf(QRegularExpression(
            QRegularExpression::escape(expected.at(r)) + QStringLiteral(":.")))));
        QCOMPARE(model.index(r, MigrationTableModel::State).data(MigrationTableModel::StateRole).toInt(),
                 int(want.state));
        QCOMPARE(model.index(r, MigrationTableModel::File).data().toString(), want.file);
    }

    for (int i = 0; i < persistent.size(); ++i) {
        const bool survives = expected.contains(oldKeys.at(i));
        QCOMPARE(persistent.at(i).isValid(), survives);
        if (survives) {
            QCOMPARE(persistent.at(i).data(MigrationTableModel::KeyRole).toString(), oldKeys.at(i));
            QCOMPARE(persistent.at(i).column(), int(MigrationTableModel::State));
        }
    }
}

void TestMigrationTableModel::persistentIndexesSurvive()
{
    MigrationTableModel model;
    model.setSnapshot(makeSnapshot({QStringLiteral("conversations.0001_initial:A"),
                                    QStringLiteral("conversations.0002_message:A"),
                                    QStringLiteral("flows.0001_initial:A"), QStringLiteral("flows.0002_step:A")}));
    const QPersistentModelIndex unchanged = model.indexForKey(QStringLiteral("flows"), QStringLiteral("0002_step"));
    const QPersistentModelIndex changed = model.indexForKey(QStringLiteral("flows"), QStringLiteral("0001_initial"), 2);
    QVERIFY(unchanged.isValid());
    QCOMPARE(unchanged.row(), 3);

    QSignalSpy changedSpy(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resetSpy(&model, &QAbstractItemModel::modelReset);
    // The dependency's row is deleted (its file stays: Pending), a row without file appears.
    model.setSnapshot(makeSnapshot({QStringLiteral("conversations.0001_initial:A"),
                                    QStringLiteral("conversations.0002_message:A"),
                                    QStringLiteral("conversations.0099_ghost:O"),
                                    QStringLiteral("flows.0001_initial:P"), QStringLiteral("flows.0002_step:A")}));
    QCOMPARE(resetSpy.count(), 0);
    QVERIFY(unchanged.isValid());
    QCOMPARE(unchanged.row(), 4);
    QCOMPARE(unchanged.data(MigrationTableModel::KeyRole).toString(), QStringLiteral("flows.0002_step"));
    QVERIFY(changed.isValid());
    QCOMPARE(changed.row(), 3);
    QCOMPARE(changed.data(MigrationTableModel::StateRole).toInt(), int(MigrationState::Pending));
    QCOMPARE(changedSpy.count(), 1);
    QCOMPARE(changedSpy.first().at(0).toModelIndex().row(), 3);
    QCOMPARE(model.index(2, MigrationTableModel::State).data().toString(), QStringLiteral("Orphan"));
}

void TestMigrationTableModel::selectionSurvivesThroughProxy()
{
    MigrationTableModel model;
    MigrationFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(MigrationTableModel::Migration, Qt::AscendingOrder);
    QItemSelectionModel selection(&proxy);

    model.setSnapshot(makeSnapshot({QStringLiteral("a.0001:A"), QStringLiteral("b.0001:A"), QStringLiteral("c.0001:A")}));
    const QModelIndex b = proxy.mapFromSource(model.indexForKey(QStringLiteral("b"), QStringLiteral("0001")));
    selection.setCurrentIndex(b, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);

    model.setSnapshot(makeSnapshot({QStringLiteral("0.0001:P"), QStringLiteral("a.0001:A"), QStringLiteral("b.0001:O"),
                                    QStringLiteral("c.0001:A")}));
    QCOMPARE(selection.selectedRows().size(), 1);
    QCOMPARE(selection.selectedRows().first().data(MigrationTableModel::KeyRole).toString(), QStringLiteral("b.0001"));
    QCOMPARE(selection.currentIndex().data(MigrationTableModel::KeyRole).toString(), QStringLiteral("b.0001"));
}

void TestMigrationTableModel::clearRemovesExactlyAllRows()
{
    MigrationTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(makeSnapshot({QStringLiteral("a.1:A"), QStringLiteral("a.2:A"), QStringLiteral("a.3:P")}));
    SignalLog log(&model);
    model.clear();
    QCOMPARE(log.log, QStringList{QStringLiteral("remove 0-2")});
    model.clear(); // nothing to remove: no signal with an empty range
    QCOMPARE(log.log.size(), 1);
}

void TestMigrationTableModel::dataRoles()
{
    MigrationTableModel model;
    StatusSnapshot snapshot;
    MigrationRow applied;
    applied.app = QStringLiteral("flows");
    applied.name = QStringLiteral("0002_step");
    applied.state = MigrationState::Applied;
    applied.applied = QDateTime(QDate(2025, 6, 1), QTime(8, 30, 15, 250), Qt::UTC);
    applied.recordId = 17;
    applied.file = QStringLiteral("whatsappcrm_backend/flows/migrations/0002_step.py");
    MigrationRow orphan;
    orphan.app = QStringLiteral("flows");
    orphan.name = QStringLiteral("0099_gone");
    orphan.state = MigrationState::Orphan;
    orphan.applied = applied.applied.addSecs(60);
    orphan.recordId = 18;
    snapshot.rows = {applied, orphan};
    model.setSnapshot(snapshot);

    auto at = [&](int row, int column, int role = Qt::DisplayRole) { return model.index(row, column).data(role); };
    QCOMPARE(at(0, MigrationTableModel::App).toString(), QStringLiteral("flows"));
    QCOMPARE(at(0, MigrationTableModel::Migration).toString(), QStringLiteral("0002_step"));
    QCOMPARE(at(0, MigrationTableModel::State).toString(), QStringLiteral("Applied"));
    QCOMPARE(at(0, MigrationTableModel::AppliedAt).toString(),
             applied.applied.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(at(0, MigrationTableModel::File).toString(), applied.file);
    QCOMPARE(at(1, MigrationTableModel::File).toString(), QString());
    QCOMPARE(at(0, 0, MigrationTableModel::StateRole).toInt(), int(MigrationState::Applied));
    QCOMPARE(at(1, 3, MigrationTableModel::StateRole).toInt(), int(MigrationState::Orphan));
    QCOMPARE(at(0, 0, MigrationTableModel::AppliedRole).typeId(), QMetaType::QDateTime);
    QCOMPARE(at(0, 0, MigrationTableModel::AppliedRole).toDateTime(), applied.applied);
    QCOMPARE(at(0, 4, MigrationTableModel::KeyRole).toString(), QStringLiteral("flows.0002_step"));
    QCOMPARE(at(1, 0, MigrationTableModel::RecordIdRole).toLongLong(), 18);

    // State: an icon and a colour in the State column only.
    const QVariant icon = at(1, MigrationTableModel::State, Qt::DecorationRole);
    QCOMPARE(icon.typeId(), QMetaType::QIcon);
    QVERIFY(!icon.value<QIcon>().pixmap(16, 16).isNull());
    QVERIFY(!at(1, MigrationTableModel::App, Qt::DecorationRole).isValid());
    QCOMPARE(at(1, MigrationTableModel::State, Qt::ForegroundRole).value<QColor>(),
             MigrationStateStyle::color(MigrationState::Orphan, QGuiApplication::palette()));
    // Icons differ per state (shape, not only colour).
    const QImage appliedIcon = MigrationStateStyle::icon(MigrationState::Applied, QPalette()).pixmap(16, 16).toImage();
    const QImage orphanIcon = MigrationStateStyle::icon(MigrationState::Orphan, QPalette()).pixmap(16, 16).toImage();
    QVERIFY(appliedIcon != orphanIcon);
    QVERIFY(at(1, 0, Qt::ToolTipRole).toString().contains(QStringLiteral("No migration file")));
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsEditable));
}

void TestMigrationTableModel::headers()
{
    MigrationTableModel model;
    QCOMPARE(model.columnCount(), int(MigrationTableModel::ColumnCount));
    const QStringList expected = {QStringLiteral("App"), QStringLiteral("Migration"), QStringLiteral("State"),
                                  QStringLiteral("Applied at"), QStringLiteral("File"), QStringLiteral("Dependencies")};
    for (int c = 0; c < model.columnCount(); ++c) {
        QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), expected.at(c));
        QVERIFY(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }
}

void TestMigrationTableModel::stateColoursReadable_data()
{
    QTest::addColumn<QColor>("base");
    QTest::addRow("light") << QColor(Qt::white);
    QTest::addRow("dark") << QColor(0x1e, 0x1e, 0x1e);
}

void TestMigrationTableModel::stateColoursReadable()
{
    QFETCH(QColor, base);
    QPalette palette;
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Window, base);
    for (int i = 0; i < int(MigrationState::StateCount); ++i) {
        const QColor c = MigrationStateStyle::color(MigrationState(i), palette);
        // WCAG's 3:1 for large text and graphics; the state text is also bold-free, so aim higher.
        QVERIFY2(contrast(c, base) >= 4.0,
                 qPrintable(QStringLiteral("%1 on %2: %3").arg(c.name(), base.name()).arg(contrast(c, base))));
    }
}

void TestMigrationTableModel::largeScatteredMerge()
{
    // 20,000 rows, every 7th removed, a new one after every 11th, every 13th changed: the merge
    // must land on exactly the new list (and not take quadratic time doing it).
    QStringList before, after;
    for (int i = 0; i < 20000; ++i) {
        const QString key = QStringLiteral("app%1.%2_m").arg(i / 100, 3, 10, QLatin1Char('0')).arg(i % 100, 4, 10, QLatin1Char('0'));
        before << key + QStringLiteral(":A");
        if (i % 7 != 0)
            after << key + (i % 13 == 0 ? QStringLiteral(":O") : QStringLiteral(":A"));
        if (i % 11 == 0)
            after << key + QStringLiteral("x:P");
    }
    MigrationTableModel model;
    model.setSnapshot(makeSnapshot(before));
    QElapsedTimer timer;
    timer.start();
    model.setSnapshot(makeSnapshot(after));
    qInfo("merge of %d into %d rows: %lld ms", int(after.size()), int(before.size()), timer.elapsed());
    QStringList expected;
    for (const QString &spec : after)
        expected << spec.left(spec.lastIndexOf(QLatin1Char(':')));
    std::sort(expected.begin(), expected.end());
    QCOMPARE(keysOf(model), expected);
    QCOMPARE(model.snapshot().rows.size(), after.size());
}

void TestMigrationTableModel::hundredThousandRowsThroughSortedProxy()
{
    // The bench's size: first load and a refresh with one change, through a sorted proxy.
    StatusSnapshot snapshot;
    snapshot.rows.reserve(100000);
    for (int i = 0; i < 100000; ++i) {
        MigrationRow row;
        row.app = QStringLiteral("app%1").arg(i / 1000, 3, 10, QLatin1Char('0'));
        row.name = QStringLiteral("%1_auto").arg(i % 1000, 4, 10, QLatin1Char('0'));
        row.state = MigrationState::Applied;
        row.recordId = i + 1;
        row.applied = QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC).addMSecs(100000 - i);
        row.file = QStringLiteral("backend/%1/migrations/%2.py").arg(row.app, row.name);
        snapshot.rows << row;
    }
    MigrationTableModel model;
    MigrationFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    QElapsedTimer timer;
    timer.start();
    model.setSnapshot(snapshot);
    const qint64 firstLoad = timer.restart();
    // More rows than the proxy sorts on the GUI thread: they show once the thread pool sorted them.
    QVERIFY(proxy.isBusy());
    QTRY_COMPARE(proxy.rowCount(), 100000);
    QVERIFY(!proxy.isBusy());
    QCOMPARE(proxy.index(0, 0).data(MigrationTableModel::KeyRole).toString(), QStringLiteral("app099.0999_auto"));
    timer.restart();

    snapshot.rows[500].state = MigrationState::Orphan;
    snapshot.rows[500].file.clear();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    timer.restart();
    model.setSnapshot(snapshot);
    const qint64 refresh = timer.elapsed();
    QCOMPARE(changed.count(), 1);
    qInfo("100,000 rows through a sorted proxy: first load %lld ms, refresh with one change %lld ms", firstLoad,
          refresh);
}

// Above synchronousRows() the merge is planned on the thread pool: the same signals, the same
// rows, once the plan arrived.
void TestMigrationTableModel::plannedMerge()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    QFETCH(QStringList, expectedSignals);

    MigrationTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSnapshot(makeSnapshot(before));
    model.setSynchronousRows(0);
    SignalLog log(&model);
    QSignalSpy merged(&model, &MigrationTableModel::merged);
    model.setSnapshot(makeSnapshot(after));
    if (!after.isEmpty()) { // an empty snapshot clears at once
        QVERIFY(model.isMerging());
        QCOMPARE(model.rowCount(), before.size()); // the old rows until the plan arrives
    }
    QTRY_VERIFY(!model.isMerging());
    QTRY_COMPARE(merged.count(), 1);
    QCOMPARE(log.log, expectedSignals);
    QStringList expected;
    for (const QString &spec : after)
        expected << makeRow(spec).key();
    std::sort(expected.begin(), expected.end());
    QCOMPARE(keysOf(model), expected);
    QCOMPARE(model.snapshot().rows.size(), after.size());
}

// Two snapshots before the first plan arrived: only the second is merged; clear() drops a plan.
void TestMigrationTableModel::latestSnapshotWins()
{
    MigrationTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSynchronousRows(0);
    QSignalSpy merged(&model, &MigrationTableModel::merged);
    model.setSnapshot(makeSnapshot({QStringLiteral("a.1:A"), QStringLiteral("b.1:A")}));
    model.setSnapshot(makeSnapshot({QStringLiteral("c.1:P"), QStringLiteral("d.1:O"), QStringLiteral("e.1:A")}));
    QTRY_VERIFY(!model.isMerging());
    QThreadPool::globalInstance()->waitForDone(); // the first plan ended too...
    QCoreApplication::processEvents();
    QCOMPARE(merged.count(), 1); // ...and was dropped
    QCOMPARE(keysOf(model), (QStringList{QStringLiteral("c.1"), QStringLiteral("d.1"), QStringLiteral("e.1")}));

    model.setSnapshot(makeSnapshot({QStringLiteral("f.1:A")}));
    QVERIFY(model.isMerging());
    model.clear();
    QVERIFY(!model.isMerging());
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(merged.count(), 2); // the clear(), not the dropped plan
}

// What the load knows without Django reaches the row: out of order in the State column, git
// provenance (added in, deleted in, still on a branch) in the tooltip.
void TestMigrationTableModel::outOfOrderAndProvenanceInTheRow()
{
    StatusSnapshot snapshot;
    MigrationRow late;
    late.app = QStringLiteral("flows");
    late.name = QStringLiteral("0001_initial");
    late.state = MigrationState::Applied;
    late.recordId = 1;
    late.applied = QDateTime(QDate(2026, 1, 1), QTime(10, 0), Qt::UTC);
    late.file = QStringLiteral("b/flows/migrations/0001_initial.py");
    late.outOfOrder = true;
    MigrationRow orphan;
    orphan.app = QStringLiteral("flows");
    orphan.name = QStringLiteral("0099_gone");
    orphan.state = MigrationState::Orphan;
    orphan.recordId = 2;
    orphan.applied = late.applied;
    snapshot.rows = {late, orphan};
    snapshot.gitRepository = true;
    MigrationProvenance added;
    added.addedIn = {QStringLiteral("aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"), late.applied, QStringLiteral("Add flows")};
    snapshot.provenance.insert(late.key(), added);
    MigrationProvenance gone;
    gone.deletedIn = {QStringLiteral("1111111111222222222233333333334444444444"), late.applied, QStringLiteral("Remove all migrations")};
    gone.onBranches = {QStringLiteral("origin/feature")};
    snapshot.provenance.insert(orphan.key(), gone);
    MigrationTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setSnapshot(snapshot);
    QCOMPARE(model.index(0, MigrationTableModel::State).data().toString(), QStringLiteral("Applied · out of order"));
    const QString tip = model.index(0, MigrationTableModel::App).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QLatin1String("Applied out of order")), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("Added in aaaaaaaaaa")) && tip.contains(QLatin1String("Add flows")), qPrintable(tip));
    const QString orphanTip = model.index(1, MigrationTableModel::App).data(Qt::ToolTipRole).toString();
    QVERIFY2(orphanTip.contains(QLatin1String("Its file is on origin/feature")), qPrintable(orphanTip));
    QVERIFY2(orphanTip.contains(QLatin1String("Deleted in 1111111111")), qPrintable(orphanTip));
    QCOMPARE(model.index(1, MigrationTableModel::State).data().toString(), QStringLiteral("Orphan"));
}

void TestMigrationTableModel::summaryFollowsEveryMerge_data()
{
    QTest::addColumn<bool>("planned");
    QTest::addRow("at once") << false;
    QTest::addRow("planned on the thread pool") << true;
}

// The counts label and the app filter read the summary: it is the rows', after every merge.
void TestMigrationTableModel::summaryFollowsEveryMerge()
{
    QFETCH(bool, planned);
    MigrationTableModel model;
    if (planned)
        model.setSynchronousRows(0);
    const auto check = [&](const QStringList &specs, const QStringList &apps) {
        model.setSnapshot(makeSnapshot(specs));
        QTRY_VERIFY(!model.isMerging());
        const auto expected = makeSnapshot(specs).counts();
        QCOMPARE(model.summary().counts, expected);
        QCOMPARE(model.summary().apps, apps);
    };
    check({QStringLiteral("flows.0001_a:A"), QStringLiteral("flows.0002_b:P"), QStringLiteral("meta.0001_x:O"),
           QStringLiteral("auth.0001_initial:E")},
          {QStringLiteral("auth"), QStringLiteral("flows"), QStringLiteral("meta")});
    QCOMPARE(model.summary().counts[int(MigrationState::Pending)], 1);
    check({QStringLiteral("flows.0001_a:A"), QStringLiteral("flows.0002_b:A"), QStringLiteral("zeta.0001_z:I"),
           QStringLiteral("auth.0001_initial:E")},
          {QStringLiteral("auth"), QStringLiteral("flows"), QStringLiteral("zeta")});
    QCOMPARE(model.summary().counts[int(MigrationState::Applied)], 2);
    model.clear();
    QCOMPARE(model.summary().counts, (std::array<int, int(MigrationState::StateCount)>{}));
    QVERIFY(model.summary().apps.isEmpty());
}

// Copy Rows' text, made off the GUI thread, is exactly what the cells show, in the order given.
void TestMigrationTableModel::tabSeparatedIsWhatTheColumnsShow()
{
    StatusSnapshot snapshot = makeSnapshot({QStringLiteral("flows.0001_a:A"), QStringLiteral("flows.0002_b:P"),
                                            QStringLiteral("meta.0001_x:O")});
    snapshot.rows[0].dependencies = {QStringLiteral("auth.0001_initial"), QStringLiteral("meta.0001_x")};
    snapshot.rows[0].outOfOrder = true;
    MigrationTableModel model;
    model.setSnapshot(snapshot);
    const std::vector<int> order{2, 0};
    QString expected;
    for (const int r : order) {
        QStringList cells;
        for (int c = 0; c < MigrationTableModel::ColumnCount; ++c)
            cells << model.index(r, c).data().toString();
        expected += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    QVERIFY2(expected.contains(QLatin1String("out of order")) && expected.contains(QLatin1String("meta.0001_x")),
             qPrintable(expected));
    QCOMPARE(MigrationTableModel::tabSeparated(model.rows(), order), expected);
    QCOMPARE(MigrationTableModel::tabSeparated(model.rows(), {}), QString());
    // Not only the same as the cells: what a pasted Pending row reads.
    QCOMPARE(MigrationTableModel::tabSeparated(model.rows(), {1}),
             QStringLiteral("flows\t0002_b\tPending\t\tbackend/flows/migrations/0002_b.py\t\n"));
}

QTEST_MAIN(TestMigrationTableModel)
#include "tst_migrationtablemodel.moc"
