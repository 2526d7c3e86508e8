// The panels inside the main window: the doctor's diagnosis feeds the status table
// (Inconsistent state, Dependencies column) and its fix runs through the window's runner.
#include "doctor/migrationdoctor.h"
#include "gui/backupspanel.h"
#include "gui/doctorpanel.h"
#include "gui/mainwindow.h"
#include "gui/migrationtablemodel.h"
#include "gui/operationcontroller.h"
#include "testbed.h"

#include <QTableView>
#include <QtTest>

class TestPgMainWindowPanels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void diagnosisMarksInconsistentRowsInTheTable();
    void cleanupTestCase();

private:
    QString stateOf(MainWindow &window, const QString &app, const QString &namePrefix, QString *dependencies = nullptr);
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

void TestPgMainWindowPanels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toUtf8());
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

void TestPgMainWindowPanels::diagnosisMarksInconsistentRowsInTheTable()
{
    // flows.0002 is a dependency of flows.0003 and conversations.0003: drop its row.
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' "
                                                          "AND name LIKE '0002%'")));
    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    window.openConfig(m_project.config);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0002")), QStringLiteral("Pending"));
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
    QCOMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003"), &dependencies),
             QStringLiteral("Inconsistent"));
    QVERIFY2(dependencies.contains(QLatin1String("flows.0002")), qPrintable(dependencies));
    QCOMPARE(stateOf(window, QStringLiteral("conversations"), QStringLiteral("0003")), QStringLiteral("Inconsistent"));

    // A refresh keeps what the graph said (the table does not fall back to plain Applied).
    loaded.clear();
    window.refresh();
    QVERIFY(loaded.wait(30000));
    QCOMPARE(stateOf(window, QStringLiteral("flows"), QStringLiteral("0003")), QStringLiteral("Inconsistent"));
}

void TestPgMainWindowPanels::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_MAIN(TestPgMainWindowPanels)
#include "tst_pg_mainwindowpanels.moc"
