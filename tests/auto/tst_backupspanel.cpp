// The Backups panel without a database: its model merges listings by id (checked by
// QAbstractItemModelTester at every signal), and the panel reads the backups folder off the
// GUI thread: the list is empty when setProject() returns and fills from the event loop, a
// listing of the previous project is dropped, and prune deletes off the GUI thread too.
#include "gui/backupmodel.h"
#include "gui/backupspanel.h"
#include "safety/backupstore.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

namespace {

BackupInfo info(const QString &id, qint64 size = 1)
{
    BackupInfo b;
    b.id = id;
    b.dir = QStringLiteral("/backups/") + id;
    b.operation = QStringLiteral("clear-history");
    b.size = size;
    b.complete = true;
    return b;
}

QList<BackupInfo> infos(const QStringList &ids)
{
    QList<BackupInfo> list;
    for (const QString &id : ids)
        list << info(id);
    return list;
}

// "c b a" (QT_NO_CAST_FROM_ASCII: no QStringList of literals)
QStringList ids(const char *spaced)
{
    return QString::fromLatin1(spaced).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList idsOf(const BackupModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data(BackupModel::IdRole).toString();
    return ids;
}

ProjectConfig project(const QString &root)
{
    ProjectConfig config;
    config.root = root;
    config.db.name = QStringLiteral("hanna");
    return config;
}

} // namespace

class TestBackupsPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid() && m_state.isValid());
    }

    void modelMerges_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<int>("inserts");
        QTest::addColumn<int>("removes");
        QTest::addColumn<int>("resets");
        QTest::addRow("first fill: one insert") << ids("") << ids("e d c b a") << 1 << 0 << 0;
        QTest::addRow("new ones on top") << ids("c b a") << ids("e d c b a") << 1 << 0 << 0;
        QTest::addRow("pruned tail: one remove") << ids("e d c b a") << ids("e d") << 0 << 1 << 0;
        QTest::addRow("holes and news") << ids("g f e d c b a")
                                        << ids("i h g e x c a") << 2 << 3 << 0;
        QTest::addRow("all gone") << ids("b a") << ids("") << 0 << 1 << 0;
        QTest::addRow("reordered: reset") << ids("b a") << ids("a b") << 0 << 0 << 1;
        QTest::addRow("same: nothing") << ids("b a") << ids("b a") << 0 << 0 << 0;
    }

    void modelMerges()
    {
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(int, inserts);
        QFETCH(int, removes);
        QFETCH(int, resets);
        BackupModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBackups(infos(before));
        QCOMPARE(idsOf(model), before);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setBackups(infos(after));
        QCOMPARE(idsOf(model), after);
        QCOMPARE(inserted.size(), inserts);
        QCOMPARE(removed.size(), removes);
        QCOMPARE(reset.size(), resets);
        QCOMPARE(changed.size(), 0); // nothing kept changed
    }

    void modelUpdatesChangedRowsInPlace()
    {
        BackupModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBackups(infos(ids("c b a")));
        QList<BackupInfo> grown = infos(ids("c b a"));
        grown[1].size = 4096; // b finished writing its dump
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setBackups(grown);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.constFirst().at(0).toModelIndex().row(), 1);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(model.index(1, BackupModel::SizeColumn).data(BackupModel::SizeRole).toLongLong(), 4096);
    }

    void listFillsAsynchronously()
    {
        const ProjectConfig config = project(m_tmp.filePath(QStringLiteral("async")));
        QString error;
        const QStringList ids = TestBed::makeBackups(config, 40, 4096, &error);
        QVERIFY2(ids.size() == 40, qPrintable(error));
        // A half-made folder (a backup that failed before its manifest): listed last.
        QVERIFY(QDir().mkpath(BackupStore::folderForProject(config.root) + QStringLiteral("/20250101-000000-reset")));

        BackupsPanel panel;
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&panel, &BackupsPanel::loaded);
        panel.resize(800, 600);
        panel.show();
        panel.setProject(config);
        // Nothing was read on the GUI thread: the rows arrive from the event loop.
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(panel.isLoading());
        QVERIFY(!panel.pruneButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QVERIFY(!panel.isLoading());
        QCOMPARE(panel.model()->rowCount(), 41);
        QCOMPARE(panel.model()->backups().constLast().complete, false);
        QVERIFY(panel.model()->backups().constFirst().complete);
        QVERIFY(panel.totalSize() >= 40 * 4096);
        QVERIFY2(panel.selectedBackup().id == panel.model()->backups().constFirst().id, qPrintable(panel.selectedBackup().id));
        QVERIFY(panel.detailsText().contains(QLatin1String("database.dump")));
        QVERIFY(!panel.describeUndo().isEmpty()); // from the list shown, no folder read
        QVERIFY(panel.undoButton()->isEnabled());

        // Reload keeps the selection and drops what was deleted meanwhile.
        const QString selected = panel.model()->backups().at(5).id;
        QVERIFY(panel.selectBackup(selected));
        QVERIFY(QDir(panel.model()->backups().at(1).dir).removeRecursively());
        panel.reload();
        QVERIFY(panel.isLoading());
        QCOMPARE(panel.model()->rowCount(), 41); // still the last listing until the new one arrives
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, 30000);
        QCOMPARE(panel.model()->rowCount(), 40);
        QCOMPARE(panel.selectedBackup().id, selected);

        // Prune runs off the GUI thread: keep 10, the other 29 and the half-made folder go.
        QSignalSpy pruned(&panel, &BackupsPanel::pruned);
        QVERIFY(panel.prune(10));
        QVERIFY(!panel.prune(10)); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(pruned.size(), 1, 30000);
        QCOMPARE(pruned.constFirst().constFirst().toStringList().size(), 30);
        QCOMPARE(panel.model()->rowCount(), 10);
        QCOMPARE(BackupStore(config).listAll().size(), 10);
    }

    void staleListingIsDropped()
    {
        const ProjectConfig first = project(m_tmp.filePath(QStringLiteral("first")));
        const ProjectConfig second = project(m_tmp.filePath(QStringLiteral("second")));
        QString error;
        QVERIFY2(TestBed::makeBackups(first, 30, 1024, &error).size() == 30, qPrintable(error));
        QVERIFY2(TestBed::makeBackups(second, 3, 1024, &error).size() == 3, qPrintable(error));

        BackupsPanel panel;
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&panel, &BackupsPanel::loaded);
        panel.setProject(first);
        panel.setProject(second); // before the first listing arrived
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        QCoreApplication::processEvents(); // the first project's result, had it not been dropped
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(panel.model()->rowCount(), 3);
        const QString secondFolder = BackupStore::folderForProject(second.root);
        for (const BackupInfo &b : panel.model()->backups())
            QVERIFY2(b.dir.startsWith(secondFolder), qPrintable(b.dir));

        // No project: empty at once, a late result changes nothing.
        panel.reload();
        panel.setProject(ProjectConfig());
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        QCoreApplication::processEvents();
        QCOMPARE(panel.model()->rowCount(), 0);
    }

    void panelGoneBeforeTheListing()
    {
        const ProjectConfig config = project(m_tmp.filePath(QStringLiteral("gone")));
        QString error;
        QVERIFY2(TestBed::makeBackups(config, 20, 1024, &error).size() == 20, qPrintable(error));
        auto *panel = new BackupsPanel;
        QSignalSpy loaded(panel, &BackupsPanel::loaded);
        panel->setProject(config);
        delete panel; // the job still runs in the pool; its result must find no panel
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(loaded.size(), 0);
    }

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // backups, journals and logs
};

QTEST_MAIN(TestBackupsPanel)
#include "tst_backupspanel.moc"
