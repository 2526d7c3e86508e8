// What the window refuses while a plan runs: Esc in the search box must not stop it, another
// project must not replace it, and a SIGTERM-style quit cancels it without asking.
#include "gui/mainwindow.h"
#include "gui/operationcontroller.h"
#include "guitestsupport.h"
#include "plan/plan.h"
#include "testbed.h"

#include <QLineEdit>
#include <QtTest>

class TestPgMainWindowGuards : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runningPlanIsProtected();
    void cleanupTestCase();

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
    TestBed::MigratedProject m_project;
};

void TestPgMainWindowGuards::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("guards"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgMainWindowGuards::runningPlanIsProtected()
{
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, m_project.config));

    Plan plan;
    plan.id = QStringLiteral("test-sleep");
    plan.title = QStringLiteral("Sleep");
    plan.projectRoot = m_project.config.root;
    ProcessStep sleep;
    sleep.description = QStringLiteral("sleep");
    sleep.program = QStringLiteral("sleep");
    sleep.args = {QStringLiteral("30")};
    plan.steps = {sleep};
    OperationController *operations = window.operations();
    QVERIFY(operations->run(plan));
    QTRY_VERIFY(operations->isRunning());

    // Esc in the search box clears the search; the Stop shortcut (Esc) must not fire.
    window.activateWindow();
    window.searchEdit()->setFocus();
    QTest::keyClicks(window.searchEdit(), QStringLiteral("flows"));
    QTest::keyClick(window.searchEdit(), Qt::Key_Escape);
    QCOMPARE(window.searchEdit()->text(), QString());
    QTest::qWait(200);
    QVERIFY(operations->isRunning());

    // Another project while it runs: refused, the running project stays.
    ProjectConfig other = m_project.config;
    other.root = m_tmp.filePath(QStringLiteral("elsewhere"));
    window.openConfig(other);
    QCOMPARE(operations->config().root, m_project.config.root);
    QVERIFY(operations->isRunning());

    // A SIGTERM-style quit: no question, the plan is cancelled, then the window closes.
    QSignalSpy finished(operations, &OperationController::runFinished);
    window.quitWithoutAsking();
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.first().first().value<RunResult>().cancelled);
    QTRY_VERIFY(!window.isVisible());
}

void TestPgMainWindowGuards::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_MAIN(TestPgMainWindowGuards)
#include "tst_pg_mainwindowguards.moc"
