// The panels inside the main window: the doctor's diagnosis feeds the status table
// (Inconsistent state, Dependencies column) and its fix runs through the window's runner; the
// compose variant the session detects reaches the Doctor and Backups panels when it arrives.
#include "doctor/migrationdoctor.h"
#include "gui/backupspanel.h"
#include "gui/doctorpanel.h"
#include "gui/mainwindow.h"
#include "gui/migrationtablemodel.h"
#include "gui/operationcontroller.h"
#include "gui/operationspanel.h"
#include "gui/planpreviewdialog.h"
#include "gui/projectsession.h"
#include "gui/runflow.h"
#include "gui/statuspage.h"
#include "guitestsupport.h"
#include "plan/planrenderer.h"
#include "schema/scratchdatabase.h"
#include "project/composecli.h"
#include "testbed.h"

#include <QAction>
#include <QClipboard>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTableView>
#include <QThreadPool>
#include <QtTest>

class TestPgMainWindowPanels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void diagnosisMarksInconsistentRowsInTheTable_data();
    void diagnosisMarksInconsistentRowsInTheTable();
    void panelsBuildWithTheConfigsComposeVariant();
    void copyRowsGivesTheSelectedCells_data();
    void copyRowsGivesTheSelectedCells();
    void closedPreviewStopsItsSchemaCheck();
    void cleanupTestCase();

private:
    QString stateOf(MainWindow &window, const QString &app, const QString &namePrefix, QString *dependencies = nullptr);
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
    TestBed::MigratedProject m_project;
};

void TestPgMainWindowPanels::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("panels"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

QString TestPgMainWindowPanels::stateOf(MainWindow &window, const QString &app, const QString &namePrefix,
                                        QString *dependencies)
{
    const QAbstractItemModel *model = window.tableView()->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, MigrationTableModel::App).data().toString() == app
            && model->index(r, MigrationTableModel::Migration).data().toString().startsWith(namePrefix)) {
            if (dependencies)
                *dependencies = model->index(r, MigrationTableModel::Dependencies).data().toString();
            return model->index(r, MigrationTableModel::State).data().toString();
        }
    }
    return {};
}

void TestPgMainWindowPanels::diagnosisMarksInconsistentRowsInTheTable_data()
{
    QTest::addColumn<bool>("offThread");
    QTest::addRow("on the GUI thread") << false;
    // As a table of a million rows does it: the graph's enrichment and the merge on the pool.
    QTest::addRow("on the thread pool") << true;
}

void TestPgMainWindowPanels::diagnosisMarksInconsistentRowsInTheTable()
{
    QFETCH(bool, offThread);
    // flows.0002 is a dependency of flows.0003 and conversations.0003: drop its row.
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' "
                                                          "AND name LIKE '0002%'")));
    MainWindow window;
    if (offThread)
        window.statusPage()->model()->setSynchronousRows(0);
    QVERIFY(GuiTest::openAndLoad(window, m_project.config));
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    QTRY_COMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0002")), QStringLiteral("Pending"));
    // Known at load, from the files' declared dependencies, before Django runs.
    QString atLoad;
    QCOMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003"), &atLoad), QStringLiteral("Inconsistent"));
    QVERIFY2(atLoad.contains(QLatin1String("flows.0002")), qPrintable(atLoad));
    QCOMPARE(stateOf(window, QStringLiteral("conversations"), QStringLiteral("0003")), QStringLiteral("Inconsistent"));

    QSignalSpy diagnosed(window.doctorPanel(), &DoctorPanel::diagnosed);
    window.doctorPanel()->diagnose();
    QVERIFY(diagnosed.wait(120000));
    const Diagnosis diagnosis = diagnosed.first().first().value<Diagnosis>();
    QVERIFY2(diagnosis.ok(), qPrintable(diagnosis.error));
    QVERIFY(diagnosis.find(FindingKind::InconsistentHistory));

    QString dependencies;
    QTRY_COMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003"), &dependencies),
                 QStringLiteral("Inconsistent"));
    QTRY_VERIFY2(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003"), &dependencies).size() > 0
                     && dependencies.contains(QLatin1String("flows.0002")),
                 qPrintable(dependencies));
    QCOMPARE(stateOf(window, QStringLiteral("conversations"), QStringLiteral("0003")), QStringLiteral("Inconsistent"));

    // A refresh keeps what the graph said (the table does not fall back to plain Applied).
    loaded.clear();
    window.refresh();
    QVERIFY(GuiTest::waitForLoad(window, loaded));
    QTRY_COMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003")), QStringLiteral("Inconsistent"));
}

void TestPgMainWindowPanels::panelsBuildWithTheConfigsComposeVariant()
{
    // The detection resolved v1 (docker-compose) for this project: the config carries it, and the
    // panels' plans are built with it.
    ProjectConfig config = TestBed::composeConfig(m_project.dir, m_project.db);
    config.composeVariant = ComposeVariant::Standalone;
    QString error;
    const QStringList backups = TestBed::makeBackups(config, 1, 1024, &error);
    QVERIFY2(backups.size() == 1, qPrintable(error));

    MainWindow window;
    QSignalSpy restores(window.backupsPanel(), &BackupsPanel::runPlanRequested);
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    window.openConfig(config);
    QVERIFY(window.operations()->config().composeVariant == ComposeVariant::Standalone);
    QVERIFY(window.backupsPanel()->project().composeVariant == ComposeVariant::Standalone);
    window.backupsPanel()->restoreBackup(backups.first());
    QCOMPARE(restores.size(), 1);
    const QString restore = PlanRenderer::render(restores.first().first().value<Plan>());
    QVERIFY2(restore.contains(QLatin1String("docker-compose ")), qPrintable(restore));
    QVERIFY2(!restore.contains(QLatin1String("docker compose ")), qPrintable(restore));
    QTRY_VERIFY(window.runFlow()->previewDialog());
    window.runFlow()->previewDialog()->reject();
    QVERIFY(GuiTest::waitForLoad(window, loaded));
}

void TestPgMainWindowPanels::copyRowsGivesTheSelectedCells_data()
{
    QTest::addColumn<bool>("offThread");
    QTest::addRow("on the GUI thread") << false;
    // As a selection of a million rows does it: the text is built on the thread pool.
    QTest::addRow("on the thread pool") << true;
}

// Copy Rows: the selected rows in the order shown (sorted by Migration here), each cell's text,
// tab-separated, one line per row; the clipboard gets it when it is made.
void TestPgMainWindowPanels::copyRowsGivesTheSelectedCells()
{
    QFETCH(bool, offThread);
    MainWindow window;
    if (offThread)
        window.statusPage()->setSynchronousCopyRows(0);
    QVERIFY(GuiTest::openAndLoad(window, m_project.config));
    QTableView *table = window.tableView();
    table->sortByColumn(MigrationTableModel::Migration, Qt::DescendingOrder);
    const QAbstractItemModel *shown = table->model();
    QTRY_VERIFY(shown->rowCount() > 5);
    const auto lineOf = [&](int r) {
        QStringList cells;
        for (int c = 0; c < MigrationTableModel::ColumnCount; ++c)
            cells << shown->index(r, c).data().toString();
        return cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    };
    QClipboard *clipboard = QGuiApplication::clipboard();
    clipboard->setText(QStringLiteral("before"));
    table->selectionModel()->select(shown->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    table->selectionModel()->select(shown->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    window.statusPage()->copyAction()->trigger();
    QTRY_COMPARE(clipboard->text(), lineOf(1) + lineOf(4));

    table->selectAll();
    window.statusPage()->copyAction()->trigger();
    QString all;
    for (int r = 0; r < shown->rowCount(); ++r)
        all += lineOf(r);
    QTRY_COMPARE(clipboard->text(), all);
    QVERIFY(all.contains(QLatin1String("0001_initial")));

    // Moved columns make one selection range per column: each row is still copied once.
    table->horizontalHeader()->moveSection(MigrationTableModel::File, 0);
    table->clearSelection();
    table->selectionModel()->select(shown->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    window.statusPage()->copyAction()->trigger();
    QTRY_COMPARE(clipboard->text(), lineOf(2));

    // Something copied while a copy is being made is newer: the copy is dropped.
    if (offThread) {
        table->selectAll();
        window.statusPage()->copyAction()->trigger();
        clipboard->setText(QStringLiteral("copied elsewhere")); // before the pool's result is taken
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(clipboard->text(), QStringLiteral("copied elsewhere"));
    }
}

// Align schema's preview reads the whole schema check (a scratch migrate, seconds): closed before
// it ends, the check stops, its scratch database is dropped and no answer arrives for it.
void TestPgMainWindowPanels::closedPreviewStopsItsSchemaCheck()
{
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, m_project.config));
    const auto scratch = [this] {
        QStringList mine;
        for (const QString &name : ScratchDatabase::list(TestBed::server())) {
            if (name.startsWith(m_project.db.name + QStringLiteral("_md")))
                mine << name;
        }
        return mine;
    };
    QSignalSpy answers(window.operations(), &OperationController::factsRead);
    OperationsPanel *panel = window.operationsPanel();
    panel->trigger(QStringLiteral("align-schema"));
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!scratch().isEmpty(), 30000); // the check is under way
    panel->previewDialog()->reject();
    QTRY_VERIFY(!panel->previewDialog());
    QThreadPool::globalInstance()->waitForDone(60000);
    QCoreApplication::processEvents();
    QCOMPARE(answers.count(), 0);
    QCOMPARE(scratch(), QStringList());
}

void TestPgMainWindowPanels::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_MAIN(TestPgMainWindowPanels)
#include "tst_pg_mainwindowpanels.moc"
