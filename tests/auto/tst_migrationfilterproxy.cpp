#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QThreadPool>
#include <QtTest>

namespace {

const QDateTime kBase(QDate(2025, 5, 4), QTime(10, 0), Qt::UTC);

MigrationRow row(const char *app, const char *name, MigrationState state, qint64 id, qint64 msAfterBase,
                 bool withFile = true)
{
    MigrationRow r;
    r.app = QString::fromLatin1(app);
    r.name = QString::fromLatin1(name);
    r.state = state;
    r.recordId = id;
    if (id > 0)
        r.applied = kBase.addMSecs(msAfterBase);
    if (withFile)
        r.file = QStringLiteral("whatsappcrm_backend/%1/migrations/%2.py").arg(r.app, r.name);
    return r;
}

// Applied times deliberately out of key order, several inside one second (the display text
// then ties, the time does not), and two rows with the same time (the record id decides).
StatusSnapshot fixture()
{
    StatusSnapshot s;
    s.rows = {
        row("auth", "0001_initial", MigrationState::External, 2, 100, false),
        row("contenttypes", "0001_initial", MigrationState::External, 1, 50, false),
        row("conversations", "0001_initial", MigrationState::Applied, 4, 700),
        row("conversations", "0002_message_status", MigrationState::Pending, 0, 0),
        row("customer_data", "0001_initial", MigrationState::Applied, 3, 300),
        row("flows", "0001_initial", MigrationState::Applied, 6, 700),
        row("flows", "0002_flowstep", MigrationState::Applied, 5, 650),
        row("flows", "0099_ghost", MigrationState::Orphan, 7, 5000, false),
        row("meta_integration", "0001_initial", MigrationState::Inconsistent, 8, 4000),
    };
    return s;
}

QStringList shownKeys(const QAbstractItemModel &proxy)
{
    QStringList keys;
    for (int r = 0; r < proxy.rowCount(); ++r)
        keys << proxy.index(r, 0).data(MigrationTableModel::KeyRole).toString();
    return keys;
}

QStringList sorted(QStringList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

// Rows with random mixed-case, non-ASCII and long-prefixed texts, states, times and dependencies.
StatusSnapshot randomSnapshot(int count, quint32 seed)
{
    QRandomGenerator random(seed);
    const QStringList parts{QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("\u00e9"),
                            QStringLiteral("\u00c9"), QStringLiteral("long_common_prefix_"), QStringLiteral("0")};
    const auto text = [&] {
        QString t;
        for (int n = random.bounded(0, 5); n > 0; --n)
            t += parts.at(random.bounded(int(parts.size())));
        return t;
    };
    StatusSnapshot snapshot;
    for (int i = 0; i < count; ++i) {
        MigrationRow r;
        r.app = text();
        r.name = text();
        r.file = text();
        r.state = MigrationState(random.bounded(int(MigrationState::StateCount)));
        r.recordId = random.bounded(3) ? i + 1 : 0;
        if (r.recordId)
            r.applied = kBase.addSecs(random.bounded(50));
        if (random.bounded(2))
            r.dependencies = QStringList{text(), text()};
        snapshot.rows << r;
    }
    return snapshot;
}

// The source rows the proxy shows, in its order.
QList<int> sourceRows(const QAbstractProxyModel &proxy)
{
    QList<int> rows;
    for (int r = 0; r < proxy.rowCount(); ++r)
        rows << proxy.mapToSource(proxy.index(r, 0)).row();
    return rows;
}

} // namespace

class TestMigrationFilterProxy : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void appFilter();
    void stateFilter_data();
    void stateFilter();
    void search_data();
    void search();
    void filtersCombine();
    void historyOrder();
    void historyRestoresPreviousSort();
    void appliedSortsByTimeNotText();
    void filtersFollowMerges();
    void appAscendingPassesSourceOrderThrough();
    void everyColumnSortsAsItsComparison_data();
    void everyColumnSortsAsItsComparison();
    void offThreadSortGivesTheSameOrder_data();
    void offThreadSortGivesTheSameOrder();
    void offThreadFilterGivesTheSameRows();
    void sortKeepsSelectionAndCurrentRow();
    void otherDirectionIsTheReverseAtOnce();
    void staleSortIsDropped();
    void refreshDuringSortIsSortedWithIt();
    void manyScatteredRowsGoInOneRun();
    void bigInsertUnderAFilterIsFilteredOffThread();

private:
    MigrationTableModel *m_model = nullptr;
    MigrationFilterProxy *m_proxy = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void TestMigrationFilterProxy::init()
{
    m_model = new MigrationTableModel;
    m_proxy = new MigrationFilterProxy;
    m_proxy->setSourceModel(m_model);
    m_tester = new QAbstractItemModelTester(m_proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setSnapshot(fixture());
}

void TestMigrationFilterProxy::cleanup()
{
    delete m_tester;
    delete m_proxy;
    delete m_model;
}

void TestMigrationFilterProxy::appFilter()
{
    QSignalSpy changed(m_proxy, &MigrationFilterProxy::filterChanged);
    m_proxy->setAppFilter(QStringLiteral("flows"));
    QCOMPARE(sorted(shownKeys(*m_proxy)),
             (QStringList{QStringLiteral("flows.0001_initial"), QStringLiteral("flows.0002_flowstep"),
                          QStringLiteral("flows.0099_ghost")}));
    QCOMPARE(changed.count(), 1);
    m_proxy->setAppFilter(QStringLiteral("flows")); // same value: no new signal
    QCOMPARE(changed.count(), 1);
    // Exact app, not a substring: "flow" is no app.
    m_proxy->setAppFilter(QStringLiteral("flow"));
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setAppFilter(QString());
    QCOMPARE(m_proxy->rowCount(), 9);
}

void TestMigrationFilterProxy::stateFilter_data()
{
    QTest::addColumn<unsigned>("states");
    QTest::addColumn<QStringList>("keys");
    QTest::addRow("pending") << MigrationFilterProxy::stateBit(MigrationState::Pending)
                             << QStringList{QStringLiteral("conversations.0002_message_status")};
    QTest::addRow("orphan") << MigrationFilterProxy::stateBit(MigrationState::Orphan)
                            << QStringList{QStringLiteral("flows.0099_ghost")};
    QTest::addRow("external") << MigrationFilterProxy::stateBit(MigrationState::External)
                              << QStringList{QStringLiteral("auth.0001_initial"), QStringLiteral("contenttypes.0001_initial")};
    QTest::addRow("needs attention")
        << (MigrationFilterProxy::stateBit(MigrationState::Pending) | MigrationFilterProxy::stateBit(MigrationState::Orphan)
            | MigrationFilterProxy::stateBit(MigrationState::Inconsistent))
        << QStringList{QStringLiteral("conversations.0002_message_status"), QStringLiteral("flows.0099_ghost"),
                       QStringLiteral("meta_integration.0001_initial")};
    QTest::addRow("none") << 0u << QStringList();
}

void TestMigrationFilterProxy::stateFilter()
{
    QFETCH(unsigned, states);
    QFETCH(QStringList, keys);
    m_proxy->setStateFilter(states);
    QCOMPARE(sorted(shownKeys(*m_proxy)), keys);
    m_proxy->setStateFilter(MigrationFilterProxy::allStates());
    QCOMPARE(m_proxy->rowCount(), 9);
}

void TestMigrationFilterProxy::search_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("keys");
    QTest::addRow("name, any case") << QStringLiteral("FLOWSTEP") << QStringList{QStringLiteral("flows.0002_flowstep")};
    QTest::addRow("app") << QStringLiteral("customer") << QStringList{QStringLiteral("customer_data.0001_initial")};
    QTest::addRow("file path") << QStringLiteral("whatsappcrm_backend/conversations/")
                               << QStringList{QStringLiteral("conversations.0001_initial"),
                                              QStringLiteral("conversations.0002_message_status")};
    QTest::addRow("key with dot") << QStringLiteral("flows.0002") << QStringList{QStringLiteral("flows.0002_flowstep")};
    QTest::addRow("every word must match") << QStringLiteral("  initial   conv ")
                                           << QStringList{QStringLiteral("conversations.0001_initial")};
    QTest::addRow("no match") << QStringLiteral("nothing_like_this") << QStringList();
    QTest::addRow("blank shows everything") << QStringLiteral("   ") << QStringList();
}

void TestMigrationFilterProxy::search()
{
    QFETCH(QString, text);
    QFETCH(QStringList, keys);
    m_proxy->setSearchText(text);
    if (text.trimmed().isEmpty())
        QCOMPARE(m_proxy->rowCount(), 9);
    else
        QCOMPARE(sorted(shownKeys(*m_proxy)), keys);
}

void TestMigrationFilterProxy::filtersCombine()
{
    m_proxy->setAppFilter(QStringLiteral("flows"));
    m_proxy->setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Applied));
    m_proxy->setSearchText(QStringLiteral("initial"));
    QCOMPARE(shownKeys(*m_proxy), QStringList{QStringLiteral("flows.0001_initial")});
    m_proxy->setHistoryMode(true);
    QCOMPARE(shownKeys(*m_proxy), QStringList{QStringLiteral("flows.0001_initial")});
}

void TestMigrationFilterProxy::historyOrder()
{
    m_proxy->setHistoryMode(true);
    QVERIFY(m_proxy->historyMode());
    // SELECT app, name, applied FROM django_migrations ORDER BY applied (ties by id):
    // only rows with an applied time; the Pending row has none.
    QCOMPARE(shownKeys(*m_proxy),
             (QStringList{QStringLiteral("contenttypes.0001_initial"), QStringLiteral("auth.0001_initial"),
                          QStringLiteral("customer_data.0001_initial"), QStringLiteral("flows.0002_flowstep"),
                          QStringLiteral("conversations.0001_initial"), QStringLiteral("flows.0001_initial"),
                          QStringLiteral("meta_integration.0001_initial"), QStringLiteral("flows.0099_ghost")}));
    QCOMPARE(m_proxy->sortColumn(), int(MigrationTableModel::AppliedAt));
    QCOMPARE(m_proxy->sortOrder(), Qt::AscendingOrder);
    for (int r = 1; r < m_proxy->rowCount(); ++r) {
        QVERIFY(m_proxy->index(r - 1, 0).data(MigrationTableModel::AppliedRole).toDateTime()
                <= m_proxy->index(r, 0).data(MigrationTableModel::AppliedRole).toDateTime());
    }
}

void TestMigrationFilterProxy::historyRestoresPreviousSort()
{
    m_proxy->sort(MigrationTableModel::Migration, Qt::DescendingOrder);
    const QStringList before = shownKeys(*m_proxy);
    m_proxy->setHistoryMode(true);
    QCOMPARE(m_proxy->rowCount(), 8);
    m_proxy->setHistoryMode(false);
    QCOMPARE(m_proxy->sortColumn(), int(MigrationTableModel::Migration));
    QCOMPARE(m_proxy->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(shownKeys(*m_proxy), before);
    QCOMPARE(m_proxy->rowCount(), 9);
}

void TestMigrationFilterProxy::appliedSortsByTimeNotText()
{
    // conversations.0001 (700 ms) and flows.0001 (700 ms, id 6) tie on time: id breaks it; the
    // 50/100/300/650 ms rows share their display text "10:00:00" and still come in time order.
    m_proxy->sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    const QStringList keys = shownKeys(*m_proxy);
    QCOMPARE(keys.first(), QStringLiteral("conversations.0002_message_status")); // no time sorts first
    QCOMPARE(keys.mid(1, 6),
             (QStringList{QStringLiteral("contenttypes.0001_initial"), QStringLiteral("auth.0001_initial"),
                          QStringLiteral("customer_data.0001_initial"), QStringLiteral("flows.0002_flowstep"),
                          QStringLiteral("conversations.0001_initial"), QStringLiteral("flows.0001_initial")}));
    QCOMPARE(m_proxy->index(1, MigrationTableModel::AppliedAt).data().toString(),
             m_proxy->index(4, MigrationTableModel::AppliedAt).data().toString());
    m_proxy->sort(MigrationTableModel::AppliedAt, Qt::DescendingOrder);
    QCOMPARE(shownKeys(*m_proxy).first(), QStringLiteral("flows.0099_ghost"));
}

void TestMigrationFilterProxy::filtersFollowMerges()
{
    m_proxy->setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Orphan));
    QCOMPARE(m_proxy->rowCount(), 1);
    StatusSnapshot next = fixture();
    next.rows[5].state = MigrationState::Orphan; // flows.0001_initial lost its file
    next.rows[5].file.clear();
    m_model->setSnapshot(next);
    QCOMPARE(sorted(shownKeys(*m_proxy)),
             (QStringList{QStringLiteral("flows.0001_initial"), QStringLiteral("flows.0099_ghost")}));
    m_proxy->setHistoryMode(true);
    next.rows.removeLast(); // meta_integration gone
    next.rows[7].state = MigrationState::Applied; // ghost came back... as a file
    m_model->setSnapshot(next);
    QCOMPARE(shownKeys(*m_proxy), QStringList{QStringLiteral("flows.0001_initial")});
}

// App ascending is the model's own order: the proxy sorts nothing and maps row i to row i, and
// rows merged in later land where a sort would have put them. App descending is its reverse.
void TestMigrationFilterProxy::appAscendingPassesSourceOrderThrough()
{
    m_proxy->sort(MigrationTableModel::App, Qt::AscendingOrder);
    QVERIFY(m_proxy->passesSourceOrderThrough());
    QCOMPARE(m_proxy->sortColumn(), int(MigrationTableModel::App));
    QCOMPARE(m_proxy->sortOrder(), Qt::AscendingOrder);
    QStringList keys = shownKeys(*m_proxy);
    QCOMPARE(keys, sorted(keys));
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        QCOMPARE(m_proxy->mapToSource(m_proxy->index(r, 0)).row(), r);

    StatusSnapshot more = fixture();
    MigrationRow extra;
    extra.app = QStringLiteral("crm");
    extra.name = QStringLiteral("0007_new");
    extra.state = MigrationState::Pending;
    more.rows << extra;
    m_model->setSnapshot(more);
    keys = shownKeys(*m_proxy);
    QVERIFY(keys.contains(QStringLiteral("crm.0007_new")));
    QCOMPARE(keys, sorted(keys));

    m_proxy->sort(MigrationTableModel::App, Qt::DescendingOrder);
    QVERIFY(!m_proxy->passesSourceOrderThrough());
    QStringList reversed = sorted(keys);
    std::reverse(reversed.begin(), reversed.end());
    QCOMPARE(shownKeys(*m_proxy), reversed);
    m_proxy->sort(MigrationTableModel::App, Qt::AscendingOrder);
    QCOMPARE(shownKeys(*m_proxy), sorted(keys));
}

void TestMigrationFilterProxy::everyColumnSortsAsItsComparison_data()
{
    QTest::addColumn<int>("column");
    QTest::addRow("Migration") << int(MigrationTableModel::Migration);
    QTest::addRow("State") << int(MigrationTableModel::State);
    QTest::addRow("Applied at") << int(MigrationTableModel::AppliedAt);
    QTest::addRow("File") << int(MigrationTableModel::File);
    QTest::addRow("Dependencies") << int(MigrationTableModel::Dependencies);
}

// The ranks the proxy sorts by give the order the columns' plain comparisons give: mixed case,
// non-ASCII letters, shared prefixes longer than the proxy's 8-character keys, equal texts.
void TestMigrationFilterProxy::everyColumnSortsAsItsComparison()
{
    QFETCH(int, column);
    StatusSnapshot snapshot = randomSnapshot(400, 16);
    m_model->setSnapshot(snapshot);
    const auto notAfter = [column](const MigrationRow &a, const MigrationRow &b) {
        switch (column) {
        case MigrationTableModel::Migration: {
            const int c = a.name.compare(b.name, Qt::CaseInsensitive);
            return c != 0 ? c < 0 : a.app.compare(b.app, Qt::CaseInsensitive) <= 0;
        }
        case MigrationTableModel::State:
            return a.state <= b.state;
        case MigrationTableModel::AppliedAt:
            if (a.applied != b.applied)
                return !a.applied.isValid() || (b.applied.isValid() && a.applied < b.applied);
            return a.recordId <= b.recordId;
        case MigrationTableModel::File:
            return a.file.compare(b.file, Qt::CaseInsensitive) <= 0;
        default:
            return a.dependencies.join(QStringLiteral(", ")).compare(b.dependencies.join(QStringLiteral(", ")),
                                                                    Qt::CaseInsensitive) <= 0;
        }
    };
    for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        m_proxy->sort(column, order);
        QCOMPARE(m_proxy->rowCount(), 400);
        for (int r = 0; r + 1 < m_proxy->rowCount(); ++r) {
            const MigrationRow &a = m_model->rowAt(m_proxy->mapToSource(m_proxy->index(r, 0)).row());
            const MigrationRow &b = m_model->rowAt(m_proxy->mapToSource(m_proxy->index(r + 1, 0)).row());
            QVERIFY2(order == Qt::AscendingOrder ? notAfter(a, b) : notAfter(b, a), qPrintable(QString::number(r)));
        }
    }
    // A few rows merged in while sorted: compared as they are, still in order.
    snapshot.rows.resize(390);
    m_model->setSnapshot(snapshot);
    for (int r = 0; r + 1 < m_proxy->rowCount(); ++r) {
        const MigrationRow &a = m_model->rowAt(m_proxy->mapToSource(m_proxy->index(r, 0)).row());
        const MigrationRow &b = m_model->rowAt(m_proxy->mapToSource(m_proxy->index(r + 1, 0)).row());
        QVERIFY(notAfter(b, a));
    }
}

void TestMigrationFilterProxy::offThreadSortGivesTheSameOrder_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    const std::pair<const char *, int> columns[] = {
        {"App", MigrationTableModel::App},           {"Migration", MigrationTableModel::Migration},
        {"State", MigrationTableModel::State},       {"Applied at", MigrationTableModel::AppliedAt},
        {"File", MigrationTableModel::File},         {"Dependencies", MigrationTableModel::Dependencies},
    };
    for (const auto &[name, column] : columns) {
        QTest::addRow("%s ascending", name) << column << Qt::AscendingOrder;
        QTest::addRow("%s descending", name) << column << Qt::DescendingOrder;
    }
}

// Above synchronousRows() the order is computed on the thread pool: it is the order the GUI
// thread computes, for every column and both directions, with a search filter on.
void TestMigrationFilterProxy::offThreadSortGivesTheSameOrder()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    m_model->setSnapshot(randomSnapshot(3000, 7));
    m_proxy->setSearchText(QStringLiteral("a"));
    m_proxy->sort(column, order);
    QVERIFY(!m_proxy->isBusy());
    const QList<int> expected = sourceRows(*m_proxy);
    QVERIFY(expected.size() > 1000 && expected.size() < 3000);

    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(0);
    offThread.setSourceModel(m_model);
    QAbstractItemModelTester tester(&offThread, QAbstractItemModelTester::FailureReportingMode::Fatal);
    offThread.setSearchText(QStringLiteral("a"));
    QTRY_VERIFY(!offThread.isBusy());
    QSignalSpy busy(&offThread, &MigrationFilterProxy::busyChanged);
    offThread.sort(column, order);
    QCOMPARE(offThread.sortColumn(), column); // at once: the header shows it while the rows follow
    QVERIFY(offThread.isBusy());
    QTRY_VERIFY(!offThread.isBusy());
    QCOMPARE(sourceRows(offThread), expected);
    QCOMPARE(busy.count() % 2, 0); // every busy(true) ended
}

void TestMigrationFilterProxy::offThreadFilterGivesTheSameRows()
{
    m_model->setSnapshot(randomSnapshot(3000, 11));
    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(0);
    offThread.setSourceModel(m_model);
    QAbstractItemModelTester tester(&offThread, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxy->sort(MigrationTableModel::File, Qt::DescendingOrder);
    offThread.sort(MigrationTableModel::File, Qt::DescendingOrder);
    QTRY_VERIFY(!offThread.isBusy());
    const auto both = [&](auto set) {
        set(*m_proxy);
        set(offThread);
        QTRY_VERIFY(!offThread.isBusy());
        QCOMPARE(sourceRows(offThread), sourceRows(*m_proxy));
    };
    both([](MigrationFilterProxy &p) { p.setSearchText(QStringLiteral("\u00e9 a")); });
    QVERIFY(m_proxy->rowCount() > 0);
    both([](MigrationFilterProxy &p) { p.setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Orphan)); });
    both([](MigrationFilterProxy &p) { p.setSearchText(QString()); });
    both([](MigrationFilterProxy &p) { p.setHistoryMode(true); });
    QCOMPARE(offThread.sortColumn(), int(MigrationTableModel::AppliedAt));
    both([](MigrationFilterProxy &p) { p.setStateFilter(MigrationFilterProxy::allStates()); });
    both([](MigrationFilterProxy &p) { p.setHistoryMode(false); });
    QCOMPARE(offThread.sortColumn(), int(MigrationTableModel::File));
    QCOMPARE(offThread.rowCount(), 3000);
}

// The rows move in one layout change: the selection and the current row follow their rows.
void TestMigrationFilterProxy::sortKeepsSelectionAndCurrentRow()
{
    m_model->setSnapshot(randomSnapshot(3000, 3));
    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(0);
    offThread.setSourceModel(m_model);
    QItemSelectionModel selection(&offThread);
    const QList<int> picked{5, 17, 1200, 2999};
    for (const int source : picked)
        selection.select(offThread.mapFromSource(m_model->index(source, 0)),
                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection.setCurrentIndex(offThread.mapFromSource(m_model->index(1200, 2)), QItemSelectionModel::NoUpdate);
    QSignalSpy layouts(&offThread, &QAbstractItemModel::layoutChanged);
    for (const int column : {int(MigrationTableModel::Migration), int(MigrationTableModel::AppliedAt), int(MigrationTableModel::App)}) {
        offThread.sort(column, Qt::DescendingOrder);
        QTRY_VERIFY(!offThread.isBusy());
        QList<int> selected;
        for (const QModelIndex &index : selection.selectedRows())
            selected << offThread.mapToSource(index).row();
        std::sort(selected.begin(), selected.end());
        QCOMPARE(selected, picked);
        QCOMPARE(offThread.mapToSource(selection.currentIndex()), m_model->index(1200, 2));
    }
    QCOMPARE(layouts.count(), 3);
}

// Descending after ascending (a second click) reverses the rows shown: no sort, nothing to wait for.
void TestMigrationFilterProxy::otherDirectionIsTheReverseAtOnce()
{
    m_model->setSnapshot(randomSnapshot(3000, 5));
    m_proxy->setSynchronousRows(0);
    m_proxy->sort(MigrationTableModel::Dependencies, Qt::AscendingOrder);
    QTRY_VERIFY(!m_proxy->isBusy());
    QList<int> rows = sourceRows(*m_proxy);
    m_proxy->sort(MigrationTableModel::Dependencies, Qt::DescendingOrder);
    QVERIFY(!m_proxy->isBusy());
    std::reverse(rows.begin(), rows.end());
    QCOMPARE(sourceRows(*m_proxy), rows);
}

// A second click while the first sort runs: only the latest order is ever shown.
void TestMigrationFilterProxy::staleSortIsDropped()
{
    m_model->setSnapshot(randomSnapshot(3000, 9));
    m_proxy->sort(MigrationTableModel::State, Qt::DescendingOrder);
    const QList<int> expected = sourceRows(*m_proxy);

    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(0);
    offThread.setSourceModel(m_model);
    QSignalSpy layouts(&offThread, &QAbstractItemModel::layoutChanged);
    offThread.sort(MigrationTableModel::File, Qt::AscendingOrder);
    QCoreApplication::processEvents(); // the File job is on the thread pool now
    QVERIFY(offThread.isBusy());
    offThread.sort(MigrationTableModel::State, Qt::DescendingOrder);
    QTRY_VERIFY(!offThread.isBusy());
    QThreadPool::globalInstance()->waitForDone(); // the File job ended too...
    QCoreApplication::processEvents();
    QCOMPARE(layouts.count(), 1); // ...and its result was dropped
    QCOMPARE(sourceRows(offThread), expected);
}

// A refresh merged while the order is computed makes that order stale: it is computed again with
// the new rows, which show in it.
void TestMigrationFilterProxy::refreshDuringSortIsSortedWithIt()
{
    StatusSnapshot snapshot = randomSnapshot(3000, 13);
    m_model->setSnapshot(snapshot);
    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(0);
    offThread.setSourceModel(m_model);
    QAbstractItemModelTester tester(&offThread, QAbstractItemModelTester::FailureReportingMode::Fatal);
    offThread.sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    QCoreApplication::processEvents();
    QVERIFY(offThread.isBusy());
    snapshot.rows.remove(100, 500);
    snapshot.rows[7].applied = QDateTime();
    snapshot.rows[7].recordId = 0;
    for (int i = 0; i < 200; ++i)
        snapshot.rows << snapshot.rows.at(i);
    m_model->setSnapshot(snapshot);
    QTRY_VERIFY(!offThread.isBusy());
    m_proxy->sort(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    QCOMPARE(offThread.rowCount(), m_model->rowCount());
    QCOMPARE(sourceRows(offThread), sourceRows(*m_proxy));
}

// Rows that go in many places (a filter at a million rows) go in one layout change and one
// removal, not one removal per place; the rows staying keep their order.
void TestMigrationFilterProxy::manyScatteredRowsGoInOneRun()
{
    m_model->setSnapshot(randomSnapshot(3000, 17));
    m_proxy->sort(MigrationTableModel::File, Qt::AscendingOrder);
    QSignalSpy removed(m_proxy, &QAbstractItemModel::rowsRemoved);
    QSignalSpy layouts(m_proxy, &QAbstractItemModel::layoutChanged);
    m_proxy->setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Applied));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(layouts.count(), 1);
    const QList<int> shown = sourceRows(*m_proxy);
    QVERIFY(!shown.isEmpty());
    for (qsizetype i = 0; i + 1 < shown.size(); ++i) {
        const MigrationRow &a = m_model->rowAt(shown[i]);
        const MigrationRow &b = m_model->rowAt(shown[i + 1]);
        QCOMPARE(a.state, MigrationState::Applied);
        QVERIFY(MigrationTableOrder::less(a, shown[i], b, shown[i + 1], MigrationTableModel::File));
    }
    QSignalSpy inserted(m_proxy, &QAbstractItemModel::rowsInserted);
    m_proxy->setStateFilter(MigrationFilterProxy::allStates());
    QCOMPARE(inserted.count(), 1); // after the others, then put in place by one layout change
    QCOMPARE(layouts.count(), 2);
    QCOMPARE(m_proxy->rowCount(), 3000);
}

// A first load of many rows while a filter is set: the filter is applied on the thread pool
// (it walked every row on the GUI thread), with the same rows shown as a synchronous proxy's;
// without a filter the rows pass through at once.
void TestMigrationFilterProxy::bigInsertUnderAFilterIsFilteredOffThread()
{
    const StatusSnapshot rows = randomSnapshot(3000, 7);
    MigrationTableModel model;
    MigrationFilterProxy offThread;
    offThread.setSynchronousRows(100);
    offThread.setSourceModel(&model);
    QAbstractItemModelTester tester(&offThread, QAbstractItemModelTester::FailureReportingMode::Fatal);
    offThread.setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Orphan));
    model.setSnapshot(rows);
    QVERIFY(offThread.isBusy());
    QTRY_VERIFY(!offThread.isBusy());
    MigrationFilterProxy reference;
    reference.setSourceModel(&model);
    reference.setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Orphan));
    QVERIFY(reference.rowCount() > 0 && reference.rowCount() < 3000);
    QCOMPARE(sourceRows(offThread), sourceRows(reference));

    model.clear();
    offThread.setStateFilter(MigrationFilterProxy::allStates());
    model.setSnapshot(rows);
    QVERIFY(!offThread.isBusy());
    QCOMPARE(offThread.rowCount(), 3000);
    QCOMPARE(offThread.sourceRowOf(2999), 2999);
}

QTEST_MAIN(TestMigrationFilterProxy)
#include "tst_migrationfilterproxy.moc"
