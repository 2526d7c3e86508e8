// The Backups panel on real backups: two backups made with the safety core's plans (a manual
// verified database backup, a history snapshot before an edit) are listed newest first with
// what they cover and their checksums; Restore and Undo emit the core's restore plans; running
// Undo with a real PlanRunner brings the rows back; Prune asks first, then deletes.
#include "doctor/planexecution.h"
#include "gui/backupmodel.h"
#include "gui/backupspanel.h"
#include "plan/planrenderer.h"
#include "safety/guardedrunner.h"
#include "safety/safetysteps.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTreeView>
#include <QtTest>

namespace {

// reload() lists the folder off the GUI thread: wait until the list shows it.
bool reloaded(BackupsPanel *panel)
{
    QSignalSpy loaded(panel, &BackupsPanel::loaded);
    panel->reload();
    return loaded.wait(30000);
}

RunResult runPlan(const Plan &plan)
{
    GuardedRunner runner;
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan) || !finished.wait(180000))
        return RunResult();
    return finished.constFirst().constFirst().value<RunResult>();
}

} // namespace

class TestPgBackupsPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
        qRegisterMetaType<RunResult>();
        m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("backups panel"));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
    }

    void cleanupTestCase()
    {
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

    void listRestoreUndoPrune()
    {
        const ProjectConfig &config = m_project.config;
        BackupsPanel panel;
        panel.resize(900, 640);
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&panel, &BackupsPanel::loaded);
        panel.setProject(config);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.restoreButton()->isEnabled());
        QVERIFY(!panel.undoButton()->isEnabled());

        // 1. A verified database backup, by hand.
        RunResult r = runPlan(SafetySteps::backupPlan(config, OperationOptions()));
        QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail));
        // 2. The history snapshot a destructive edit takes first (the edit itself: below).
        const BackupLocation snap = SafetySteps::newBackup(config, QStringLiteral("clear-history"));
        Plan snapshotPlan;
        snapshotPlan.id = QStringLiteral("snapshot");
        snapshotPlan.title = QStringLiteral("snapshot");
        snapshotPlan.projectRoot = config.root;
        snapshotPlan.steps = SafetySteps::historySnapshot(config, snap);
        QVERIFY(PlanExecution::prepareOutputFolders(snapshotPlan));
        r = runPlan(snapshotPlan);
        QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail));
        const QString rowsBefore = TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0);
        QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows'")));

        QVERIFY(reloaded(&panel));
        QCOMPARE(panel.model()->rowCount(), 2);
        // Newest first: the snapshot, then the database backup.
        const BackupInfo *newest = panel.model()->backup(0);
        const BackupInfo *manual = panel.model()->backup(1);
        QCOMPARE(newest->id, snap.id);
        QCOMPARE(newest->operation, QStringLiteral("clear-history"));
        QCOMPARE(manual->operation, QStringLiteral("backup"));
        QCOMPARE(panel.model()->index(0, BackupModel::ContentsColumn).data().toString(), QStringLiteral("history"));
        QVERIFY2(panel.model()->index(1, BackupModel::ContentsColumn).data().toString().contains(m_project.dbName),
                 qPrintable(panel.model()->index(1, BackupModel::ContentsColumn).data().toString()));
        QVERIFY(panel.model()->index(1, BackupModel::SizeColumn).data(BackupModel::SizeRole).toLongLong() > 1000);
        QVERIFY(panel.totalSize() >= manual->size + newest->size);
        QVERIFY(panel.undoButton()->isEnabled());

        // Details of the database backup: manifest facts and checksums, never the password.
        QVERIFY(panel.selectBackup(manual->id));
        const QString details = panel.detailsText();
        QVERIFY2(details.contains(QLatin1String("database.dump")), qPrintable(details));
        QVERIFY(details.contains(QLatin1String("SHA-256")));
        QVERIFY(details.contains(m_project.dbName));
        QVERIFY(m_project.db.password.size() < 4 || !details.contains(m_project.db.password));
        QVERIFY2(BackupsPanel::describe(*manual).contains(QLatin1String("pg_restore")), qPrintable(BackupsPanel::describe(*manual)));
        GuiTest::screenshot(&panel, QStringLiteral("backups.png"));

        QList<QPair<Plan, QString>> requests;
        connect(&panel, &BackupsPanel::runPlanRequested, this,
                [&](const Plan &plan, const QString &title) { requests << qMakePair(plan, title); });

        // Restore… of the selected database backup: the core's restore plan.
        QVERIFY(panel.restoreButton()->isEnabled());
        QTest::mouseClick(panel.restoreButton(), Qt::LeftButton);
        QCOMPARE(requests.size(), 1);
        const Plan restore = requests.constFirst().first;
        QVERIFY(restore.destructive);
        const QString restoreText = PlanRenderer::render(restore);
        QVERIFY2(restoreText.contains(QLatin1String("pg_restore")), qPrintable(restoreText));
        QVERIFY2(restoreText.contains(manual->dir), qPrintable(restoreText));

        // Undo last change: restores the history snapshot; run it for real.
        QVERIFY(!panel.describeUndo().isEmpty());
        QTest::mouseClick(panel.undoButton(), Qt::LeftButton);
        QCOMPARE(requests.size(), 2);
        const Plan undo = requests.constLast().first;
        QCOMPARE(requests.constLast().second, QStringLiteral("Undo last change"));
        QVERIFY2(PlanRenderer::render(undo).contains(QLatin1String("django_migrations")), qPrintable(PlanRenderer::render(undo)));
        // As the owner does after confirming: folders first (a cancelled restore leaves none).
        QVERIFY(PlanExecution::prepareOutputFolders(undo));
        r = runPlan(undo);
        QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail));
        QCOMPARE(TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0), rowsBefore);

        // The restore backed up what it overwrote: a third backup appears on reload, selection kept.
        QVERIFY(panel.selectBackup(manual->id));
        const QString manualId = manual->id;
        QVERIFY(reloaded(&panel));
        QCOMPARE(panel.model()->rowCount(), 3);
        QCOMPARE(panel.model()->backup(0)->operation, QStringLiteral("restore"));
        QCOMPARE(panel.selectedBackup().id, manualId);

        // Prune… asks (with the size) and deletes only when told to.
        QSignalSpy asked(&panel, &BackupsPanel::pruneRequested);
        panel.keepSpin()->setValue(1);
        QVERIFY(panel.pruneButton()->isEnabled());
        QVERIFY2(panel.pruneButton()->text().contains(QLatin1Char('B')), qPrintable(panel.pruneButton()->text()));
        QTest::mouseClick(panel.pruneButton(), Qt::LeftButton);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.constFirst().at(0).toInt(), 1);
        QVERIFY2(asked.constFirst().at(1).toString().contains(QLatin1String("Delete 2 old backup")),
                 qPrintable(asked.constFirst().at(1).toString()));
        QCOMPARE(panel.model()->rowCount(), 3); // nothing deleted by asking
        QSignalSpy pruned(&panel, &BackupsPanel::pruned);
        QVERIFY(panel.prune(1));
        QVERIFY(pruned.wait(30000));
        QCOMPARE(pruned.constFirst().constFirst().toStringList().size(), 2);
        QCOMPARE(panel.model()->rowCount(), 1);
        QCOMPARE(BackupStore(config).list().size(), 1);
        QVERIFY(!panel.pruneButton()->isEnabled());
    }

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // backups, journals and logs
    TestBed::MigratedProject m_project;
};

QTEST_MAIN(TestPgBackupsPanel)
#include "tst_pg_backupspanel.moc"
