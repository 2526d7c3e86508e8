// The guided flows of issue 13, driven offscreen in a real window on the real test bed (Local
// target, real Django, the throwaway PostgreSQL cluster): results in sight (the console shows a
// starting run, one measured summary line, one line per status load, the console's height),
// never stranded (the banner after a stop past the backup, the journal on the next start, the
// CLI's notes), Stop asking during a step that changes the project, and migrate seeing existing
// tables coming (--fake-initial chosen, the tables named).
#include "cli/terminalrun.h"
#include "gui/backupmodel.h"
#include "gui/backupspanel.h"
#include "gui/confirmationdialog.h"
#include "gui/consolewidget.h"
#include "gui/mainactions.h"
#include "gui/mainwindow.h"
#include "gui/messagebanner.h"
#include "gui/operationcontroller.h"
#include "gui/operationspanel.h"
#include "gui/planpreviewdialog.h"
#include "gui/resetwizard.h"
#include "gui/runflow.h"
#include "operations/guideoptions.h"
#include "safety/runjournal.h"
#include "safety/safetysteps.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScrollBar>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QPointer>
#include <QtTest>

#include <unistd.h>

namespace {

using GuiTest::kRunTimeoutMs;

int flowsRows(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows'")).value(0).toInt();
}

// A step that changes nothing but runs until stopped (a ProcessStep without stdoutFile counts
// as changing in a destructive plan).
ProcessStep sleeper(const QString &marker, const QString &stdoutFile = QString())
{
    ProcessStep step;
    step.description = QStringLiteral("Sleep %1 (test)").arg(marker);
    step.program = QString::fromLatin1(TestBed::kPython);
    step.args = {QStringLiteral("-c"), QStringLiteral("import time\nprint('sleeper %1 started', flush=True)\ntime.sleep(600)\n").arg(marker)};
    step.stdoutFile = stdoutFile;
    return step;
}

// A destructive plan: the history snapshot (a real, complete backup), then a sleeper.
Plan stoppablePlan(const ProjectConfig &config, const QString &id)
{
    const BackupLocation backup = SafetySteps::newBackup(config, id);
    Plan plan;
    plan.id = id;
    plan.title = QStringLiteral("Test %1").arg(id);
    plan.projectRoot = config.root;
    plan.destructive = true;
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::historySnapshot(config, backup);
    plan.steps << sleeper(id);
    return plan;
}

bool startPlan(MainWindow &window, const Plan &plan)
{
    RunRequest request;
    request.plan = plan;
    request.previewed = request.confirmed = true; // the flows' dialogs are tested elsewhere
    request.createOutputFolders = true;
    return window.runFlow()->start(std::move(request));
}

QMessageBox *stopQuestion(MainWindow &window)
{
    return window.findChild<QMessageBox *>(QStringLiteral("stopWhileChangingBox"));
}

QAction *bannerAction(MessageBanner *banner, const QString &name)
{
    for (QAction *action : banner->actions()) {
        if (action->objectName() == name)
            return action;
    }
    return nullptr;
}

} // namespace

class TestPgGuidedFlows : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void resultsInSightAndFakeInitialChosen();
    void stopAsksDuringAChangeAndLeavesAWayBack();
    void consoleKeepsTheHeightItWasGiven();
    void keysTooltipsAndASmallWindow();
    void undoIsAStackAndSaysWhatComesBack();
    void resetWizardChecksOptionsFirstAndNeverStrands();
    void commitRefusedWhenGitIgnoresTheMigrations();

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
};

void TestPgGuidedFlows::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test cluster (CTest fixture pg) is not running");
}

void TestPgGuidedFlows::resultsInSightAndFakeInitialChosen()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("summary"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    ConsoleWidget *console = window.console();

    // A status load is one line, not the reader's chatter.
    QTRY_VERIFY(console->plainText().contains(QStringLiteral("Status: ")));
    QVERIFY(!console->plainText().contains(QStringLiteral("Connected to")));
    QVERIFY(!console->plainText().contains(QStringLiteral("Loading migration status")));

    // The user scrolled far up in a long console.
    for (int i = 0; i < 400; ++i)
        console->appendMessage(QStringLiteral("old line %1").arg(i));
    console->renderPendingOutput();
    auto *view = console->findChild<QAbstractScrollArea *>();
    QVERIFY(view);
    QScrollBar *bar = view->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    bar->setValue(0);
    QVERIFY(!console->followsOutput());

    // Clear the history of one app: the run's output comes into view, and its end is one line
    // with the rows it really removed.
    const int before = flowsRows(project.db);
    QVERIFY(before > 0);
    const BackupLocation backup = SafetySteps::newBackup(project.config, QStringLiteral("test-clear-flows"));
    Plan clear;
    clear.id = QStringLiteral("test-clear-flows");
    clear.title = QStringLiteral("Clear flows history");
    clear.projectRoot = project.dir;
    clear.destructive = true;
    clear.backupDir = backup.dir;
    clear.steps << SafetySteps::historySnapshot(project.config, backup);
    SqlStep del;
    del.description = QStringLiteral("Delete the rows of flows");
    del.db = project.db;
    SqlStatement statement;
    statement.sql = QStringLiteral("DELETE FROM django_migrations WHERE app = ?");
    statement.values = {QStringLiteral("flows")};
    del.statements << statement;
    clear.steps << del;
    const int statusLines = console->plainText().count(QStringLiteral("Status: "));
    QSignalSpy started(window.operations(), &OperationController::runStarted);
    QVERIFY(startPlan(window, clear));
    QCOMPARE(started.count(), 1);
    QVERIFY(console->followsOutput());
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message));
    QCOMPARE(flowsRows(project.db), 0);
    const QString summary = QStringLiteral("\u2212%1 rows of django_migrations").arg(before);
    QTRY_VERIFY_WITH_TIMEOUT(console->plainText().contains(summary), 20000);
    console->renderPendingOutput();
    QCOMPARE(bar->value(), bar->maximum()); // the end of the run is in sight
    const QStringList lines = console->plainText().split(QLatin1Char('\n'));
    const QString summaryLine = lines.filter(summary).value(0);
    QVERIFY2(summaryLine.contains(QStringLiteral("Clear flows history done in ")), qPrintable(summaryLine));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("\u2212%1 rows").arg(before)),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("done in")));
    QCOMPARE(console->plainText().count(QStringLiteral("Status: ")), statusLines + 1); // the reload: one line

    // Apply migrations now sees the flows tables coming: --fake-initial is chosen, they are named.
    const QStringList flowsTables = TestBed::queryStrings(
        project.db, QStringLiteral("SELECT tablename FROM pg_tables WHERE tablename LIKE 'flows\\_%' ORDER BY 1"));
    QVERIFY(!flowsTables.isEmpty());
    OperationsPanel *panel = window.operationsPanel();
    panel->trigger(QStringLiteral("migrate"));
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QCheckBox *fakeInitial = preview->flag(GuideOption::FakeInitial);
    QVERIFY(fakeInitial);
    QTRY_VERIFY_WITH_TIMEOUT(fakeInitial->isChecked(), 20000);
    QVERIFY2(preview->note().contains(flowsTables.first()), qPrintable(preview->note()));
    QVERIFY(preview->note().contains(QStringLiteral("relation already exists")));
    QTRY_VERIFY(preview->runButton()->isEnabled());
    QVERIFY2(preview->planText().contains(QStringLiteral("--fake-initial")), qPrintable(preview->planText()));
    GuiTest::screenshot(preview, QStringLiteral("migrate-fake-initial"));
    // Running it is not part of this flow: the other apps' rows make the history inconsistent.
    preview->reject();
    QTRY_VERIFY(!panel->previewDialog());
    // A script's `run migrate` is told the same before anything runs, with the command to use.
    QProcess cli;
    cli.start(QStringLiteral(MIGRATIONDESK_BINARY), QStringList{QStringLiteral("run"), QStringLiteral("migrate"),
                                                               QStringLiteral("--dry-run")} + TestBed::localCliArgs(project));
    QVERIFY(cli.waitForFinished(60000));
    const QString cliNote = QString::fromLocal8Bit(cli.readAllStandardError());
    QVERIFY2(cliNote.contains(QStringLiteral("relation already exists")) && cliNote.contains(flowsTables.first()),
             qPrintable(cliNote));
    QVERIFY2(cliNote.contains(QStringLiteral("migrationdesk run migrate --project ")) && cliNote.contains(QStringLiteral("--fake-initial")),
             qPrintable(cliNote));
    GuiTest::screenshot(&window, QStringLiteral("run-summary"));

    // Clear history's confirmation counts the rows per app and names the backup it takes.
    panel->trigger(QStringLiteral("clear-history"));
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(panel->previewDialog()->runButton()->isEnabled(), 20000);
    panel->previewDialog()->accept();
    QTRY_VERIFY(window.runFlow()->confirmationDialog() && window.runFlow()->confirmationDialog()->isVisible());
    ConfirmationDialog *confirm = window.runFlow()->confirmationDialog();
    const int conversations = TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'conversations'")).value(0).toInt();
    QVERIFY(conversations > 0);
    QVERIFY2(confirm->items().contains(QStringLiteral("conversations: %1 row(s)").arg(conversations)), qPrintable(confirm->items().join(u'|')));
    QVERIFY2(confirm->items().contains(QStringLiteral("flows: 0 row(s)")), qPrintable(confirm->items().join(u'|')));
    QStringList labels;
    for (const QLabel *label : confirm->findChildren<QLabel *>())
        labels << label->text();
    QVERIFY2(labels.join(u' ').contains(QStringLiteral("This run's backup: ")), qPrintable(labels.join(u'|')));
    GuiTest::screenshot(confirm, QStringLiteral("clear-history-confirmation"));
    confirm->reject();
    QTRY_VERIFY(!window.runFlow()->isAsking());
}

void TestPgGuidedFlows::stopAsksDuringAChangeAndLeavesAWayBack()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("stop"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    // A run stopped after its last step left nothing undone: never named as unfinished.
    JournalEntry done;
    done.planId = QStringLiteral("test-all-done");
    done.title = QStringLiteral("Test all done");
    done.projectRoot = project.dir;
    done.steps = {QStringLiteral("one"), QStringLiteral("two")};
    done.done = {0, 1};
    done.current = 1;
    done.state = QStringLiteral("cancelled");
    done.pid = ::getpid();
    done.path = Journal::pathFor(project.dir, done.planId);
    done.started = done.updated = QDateTime::currentDateTimeUtc();
    QString error;
    QVERIFY2(Journal::write(done, &error), qPrintable(error));
    QVERIFY(Journal::unfinished(project.config).isEmpty());

    {
        MainWindow window;
        QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
        QVERIFY(!window.operationBanner()->isVisible()); // nothing about the run stopped after its last step
        OperationsPanel *panel = window.operationsPanel();
        OperationController *controller = window.operations();
        controller->setGracePeriod(1000);

        // A read-only step stops at once, also in a destructive plan (a dump into a file reads).
        Plan reading;
        reading.id = QStringLiteral("test-reading");
        reading.title = QStringLiteral("Test reading");
        reading.projectRoot = project.dir;
        reading.destructive = true;
        reading.steps << sleeper(QStringLiteral("reading"), m_tmp.filePath(QStringLiteral("reading.out")));
        QVERIFY(startPlan(window, reading));
        QTRY_VERIFY(controller->runningStep() == 0);
        QVERIFY(!controller->runningStepChangesProject());
        QSignalSpy finished(controller, &OperationController::runFinished);
        panel->stopAction()->trigger();
        QVERIFY(finished.wait(15000));
        QVERIFY(finished.first().first().value<RunResult>().cancelled);
        QVERIFY(!stopQuestion(window));

        // A step that changes the project asks first; Keep Running keeps it running.
        const Plan plan = stoppablePlan(project.config, QStringLiteral("test-stop"));
        QVERIFY(startPlan(window, plan));
        QTRY_VERIFY_WITH_TIMEOUT(window.console()->plainText().contains(QStringLiteral("sleeper test-stop started")), 20000);
        QVERIFY(controller->runningStepChangesProject());
        finished.clear();
        QTest::mouseClick(panel->findChild<QToolButton *>(QStringLiteral("stopButton")), Qt::LeftButton);
        QTRY_VERIFY(stopQuestion(window) && stopQuestion(window)->isVisible());
        QVERIFY(stopQuestion(window)->text().contains(QStringLiteral("changing the project")));
        QTest::qWait(300);
        QVERIFY(controller->isRunning());
        QTest::mouseClick(stopQuestion(window)->findChild<QPushButton *>(QStringLiteral("keepRunningButton")), Qt::LeftButton);
        QTRY_VERIFY(!stopQuestion(window));
        QTest::qWait(300);
        QVERIFY(controller->isRunning());
        QCOMPARE(finished.count(), 0);

        // Esc asks too; Stop Anyway stops it.
        panel->stopAction()->trigger();
        QTRY_VERIFY(stopQuestion(window) && stopQuestion(window)->isVisible());
        QTest::mouseClick(stopQuestion(window)->findChild<QPushButton *>(QStringLiteral("stopAnywayButton")), Qt::LeftButton);
        QVERIFY(finished.wait(15000));
        const RunResult result = finished.first().first().value<RunResult>();
        QVERIFY(result.cancelled);

        // Stopped past its backup: the banner's way back is that backup, it opens the restore's preview.
        QTRY_VERIFY(window.operationBanner()->isVisible());
        QAction *restore = bannerAction(window.operationBanner(), QStringLiteral("restoreRunBackup"));
        QVERIFY(restore);
        QVERIFY2(restore->text().startsWith(QStringLiteral("Restore the backup of ")), qPrintable(restore->text()));
        QVERIFY2(window.operationBanner()->text().contains(QStringLiteral("stopped at step")),
                 qPrintable(window.operationBanner()->text()));
        QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("Test test-stop stopped at step")));
        GuiTest::screenshot(&window, QStringLiteral("stopped-banner"));
        QSignalSpy restoreAsked(window.backupsPanel(), &BackupsPanel::runPlanRequested);
        restore->trigger();
        QCOMPARE(restoreAsked.count(), 1);
        QTRY_VERIFY(window.runFlow()->previewDialog() && window.runFlow()->previewDialog()->isVisible());
        window.runFlow()->previewDialog()->reject();
        QTRY_VERIFY(!window.runFlow()->isAsking());

        // The CLI's status and run name the unfinished run with the exact commands.
        const QString notes = TerminalRun::unfinishedRunNotes(project.config);
        QVERIFY2(notes.contains(QStringLiteral("Test test-stop")), qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("migrationdesk run test-stop --project ")), qPrintable(notes));
        QVERIFY2(notes.contains(QStringLiteral("migrationdesk restore ") + QFileInfo(plan.backupDir).fileName()),
                 qPrintable(notes));
        QVERIFY(!notes.contains(QStringLiteral("Test all done")));
        // ...as the binary prints them (stderr: stdout stays the status or the plan).
        for (const QStringList &command : {QStringList{QStringLiteral("status")},
                                           QStringList{QStringLiteral("run"), QStringLiteral("showmigrations"), QStringLiteral("--dry-run")}}) {
            QProcess cli;
            cli.start(QStringLiteral(MIGRATIONDESK_BINARY), command + TestBed::localCliArgs(project));
            QVERIFY(cli.waitForFinished(60000));
            const QString err = QString::fromLocal8Bit(cli.readAllStandardError());
            QVERIFY2(err.contains(QStringLiteral("note: an unfinished run: Test test-stop")), qPrintable(command.join(u' ') + QLatin1Char('\n') + err));
            QVERIFY2(err.contains(QStringLiteral("migrationdesk restore ")), qPrintable(err));
        }
    }

    // The next start names the operation that did not finish, and only that one.
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    QTRY_VERIFY(window.operationBanner()->isVisible());
    const QString text = window.operationBanner()->text();
    QVERIFY2(text.contains(QStringLiteral("Test test-stop")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Test all done")), qPrintable(text));
}

void TestPgGuidedFlows::consoleKeepsTheHeightItWasGiven()
{
    // No window was closed before (closing saves the dock state): this is a first start.
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("height"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    int given = 0;
    {
        MainWindow window;
        QVERIFY(GuiTest::openAndLoad(window, project.config, QSize(1300, 900)));
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("consoleDock"));
        QVERIFY(dock);
        // A useful height on the first start: a third of the window, not a strip.
        QTRY_VERIFY2(dock->height() >= window.height() / 4, qPrintable(QString::number(dock->height())));
        const int first = dock->height();
        window.resizeDocks({dock}, {first - 60}, Qt::Vertical);
        QTRY_VERIFY(dock->height() < first - 20); // the user made it smaller
        QTest::qWait(100);
        given = dock->height();
        window.close();
    }
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, QSize(1300, 900)));
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("consoleDock"));
    QTest::qWait(200);
    QVERIFY2(qAbs(dock->height() - given) <= 8, qPrintable(QStringLiteral("%1 vs %2").arg(dock->height()).arg(given)));
}

void TestPgGuidedFlows::keysTooltipsAndASmallWindow()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("keys"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();

    // The everyday steps have keys; the tooltip shows the key and the exact command from the
    // first hover. The one-step destructive ones have no key.
    QAction *make = panel->action(QStringLiteral("makemigrations"));
    QCOMPARE(make->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    const QString key = make->shortcut().toString(QKeySequence::NativeText);
    QVERIFY2(make->toolTip().contains(key), qPrintable(make->toolTip()));
    QVERIFY2(make->toolTip().contains(QStringLiteral("manage.py makemigrations")), qPrintable(make->toolTip()));
    QVERIFY(panel->action(QStringLiteral("clear-history"))->shortcut().isEmpty());
    QVERIFY(panel->action(QStringLiteral("reset-database"))->shortcut().isEmpty());

    // The key opens the preview, as the button does.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    QVERIFY(panel->previewDialog()->windowTitle().contains(QStringLiteral("Show migrations")));
    panel->previewDialog()->reject();
    QTRY_VERIFY(!panel->previewDialog());

    // Help lists what the menus' keys do, the operations' among them.
    const QString keys = window.mainActions()->shortcutsText();
    for (const QString &expected : {key, QStringLiteral("F5"), QKeySequence(Qt::CTRL | Qt::Key_J).toString(QKeySequence::NativeText),
                                    QStringLiteral("Make migrations"), QStringLiteral("Esc")})
        QVERIFY2(keys.contains(expected), qPrintable(expected + QStringLiteral(" missing in ") + keys));

    // Usable at 900×600: the window really gets that small.
    window.resize(900, 600);
    QTRY_COMPARE(window.size(), QSize(900, 600));
    QVERIFY2(window.minimumSizeHint().width() <= 900 && window.minimumSizeHint().height() <= 600,
             qPrintable(QStringLiteral("%1×%2").arg(window.minimumSizeHint().width()).arg(window.minimumSizeHint().height())));
    GuiTest::screenshot(&window, QStringLiteral("window-900x600"));
}

// Clears the history of app, after a snapshot of every row (backup of "clear-history").
Plan clearAppPlan(const TestBed::MigratedProject &project, const QString &app)
{
    const BackupLocation backup = SafetySteps::newBackup(project.config, QStringLiteral("clear-history"));
    Plan plan;
    plan.id = QStringLiteral("clear-history");
    plan.title = QStringLiteral("Clear %1 history").arg(app);
    plan.projectRoot = project.dir;
    plan.destructive = true;
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::historySnapshot(project.config, backup);
    SqlStep del;
    del.description = QStringLiteral("Delete the rows of %1").arg(app);
    del.db = project.db;
    SqlStatement statement;
    statement.sql = QStringLiteral("DELETE FROM django_migrations WHERE app = ?");
    statement.values = {app};
    del.statements << statement;
    plan.steps << del;
    return plan;
}

int historyRows(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
}

void TestPgGuidedFlows::undoIsAStackAndSaysWhatComesBack()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("undo"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    BackupsPanel *backups = window.backupsPanel();

    // Two changes, each after its own snapshot.
    const int all = historyRows(project.db);
    QVERIFY(startPlan(window, clearAppPlan(project, QStringLiteral("flows"))));
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message));
    const int afterFirst = historyRows(project.db);
    QVERIFY(afterFirst < all);
    QVERIFY(startPlan(window, clearAppPlan(project, QStringLiteral("customer_data"))));
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message));
    const int afterSecond = historyRows(project.db);
    QVERIFY(afterSecond < afterFirst);

    // Labelled with what made them and what they hold.
    QTRY_COMPARE(backups->model()->rowCount(), 2);
    const QString newest = backups->model()->index(0, BackupModel::OperationColumn).data().toString();
    QCOMPARE(newest, QStringLiteral("before Clear migration history · %1 rows").arg(afterFirst));
    QCOMPARE(backups->model()->index(1, BackupModel::OperationColumn).data().toString(),
             QStringLiteral("before Clear migration history · %1 rows").arg(all));

    // Undo takes back the last change, saying what comes back, counted...
    auto undo = [&](int expectedRows) {
        QTRY_VERIFY(backups->undoButton()->isEnabled());
        QTest::mouseClick(backups->undoButton(), Qt::LeftButton);
        QTRY_VERIFY(window.runFlow()->previewDialog() && window.runFlow()->previewDialog()->isVisible());
        window.runFlow()->previewDialog()->accept();
        QTRY_VERIFY(window.runFlow()->confirmationDialog() && window.runFlow()->confirmationDialog()->isVisible());
        ConfirmationDialog *confirm = window.runFlow()->confirmationDialog();
        const QString items = confirm->items().join(QLatin1Char('\n'));
        QVERIFY2(items.contains(QStringLiteral("%1 rows of django_migrations as of ").arg(expectedRows)), qPrintable(items));
        QVERIFY(!items.contains(QStringLiteral("DELETE"))); // what comes back, not SQL
        QCOMPARE(confirm->typedWord(), QStringLiteral("RESTORE"));
        GuiTest::screenshot(confirm, QStringLiteral("undo-confirmation"));
        confirm->setTypedText(QStringLiteral("RESTORE"));
        QSignalSpy finished(window.operations(), &OperationController::runFinished);
        QTest::mouseClick(confirm->confirmButton(), Qt::LeftButton);
        QVERIFY(finished.wait(kRunTimeoutMs));
        const RunResult undone = finished.first().first().value<RunResult>();
        QVERIFY2(undone.success, qPrintable(undone.message + undone.errorTail));
        QCOMPARE(historyRows(project.db), expectedRows);
    };
    undo(afterFirst);
    // ...then the one before it: a stack, not a toggle that undoes the undo.
    QTRY_COMPARE(backups->model()->rowCount(), 3); // the restore backed up what it overwrote
    undo(all);
}

bool addUser(const DbSettings &db, const QString &name)
{
    QString error;
    const bool ok = TestBed::execSql(db, QStringLiteral("INSERT INTO auth_user (password, is_superuser, username, first_name, "
                                                       "last_name, email, is_staff, is_active, date_joined) VALUES "
                                                       "('!', false, '%1', '', '', '', false, true, now())").arg(name), &error);
    if (!ok)
        qWarning() << error;
    return ok;
}

bool userExists(const DbSettings &db, const QString &name)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM auth_user WHERE username = '%1'").arg(name)).value(0) == QLatin1String("1");
}

ResetWizard *openWizard(MainWindow &window)
{
    OperationsPanel *panel = window.operationsPanel();
    panel->trigger(QStringLiteral("reset-migrations"));
    if (!QTest::qWaitFor([panel] { return panel->resetWizard() && panel->resetWizard()->isVisible(); }, 10000))
        return nullptr;
    return panel->resetWizard();
}

void TestPgGuidedFlows::resetWizardChecksOptionsFirstAndNeverStrands()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("wizard"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QVERIFY(addUser(project.db, QStringLiteral("taken")));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    ResetWizard *wizard = openWizard(window);
    QVERIFY(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 30000);

    // The options' preconditions are checked before the first destructive step.
    wizard->setSuperuser(QStringLiteral("taken"), QString(), QStringLiteral("pw-sentinel-1"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->problems().join(u' ').contains(QStringLiteral("already exists")), 30000);
    QVERIFY2(wizard->problems().join(u' ').contains(QStringLiteral("no e-mail")), qPrintable(wizard->problems().join(u' ')));
    wizard->setConfirmText(QStringLiteral("RESET"));
    QVERIFY(!wizard->runButton()->isEnabled());
    wizard->setSuperuser(QStringLiteral("fresh"), QStringLiteral("fresh@hanna.example"), QStringLiteral("pw-sentinel-2"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() && wizard->problems().isEmpty(), 30000);
    QTRY_VERIFY(wizard->runButton()->isEnabled());
    const int superuserStep = int(wizard->plan().steps.size()) - 1;
    QVERIFY(stepDescription(wizard->plan().steps.at(superuserStep)).contains(QStringLiteral("superuser fresh")));

    // Someone takes the name meanwhile: the last, optional step fails after the reset itself.
    QVERIFY(addUser(project.db, QStringLiteral("fresh")));
    QSignalSpy finished(wizard, &ResetWizard::runFinished);
    QTest::mouseClick(wizard->runButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kRunTimeoutMs));
    RunResult result = finished.takeFirst().first().value<RunResult>();
    QVERIFY(!result.success);
    QCOMPARE(result.failedStep, superuserStep);
    QVERIFY(wizard->skipButton()->isVisible() && wizard->skipButton()->isEnabled());
    GuiTest::screenshot(wizard, QStringLiteral("wizard-skip"));

    // Change Options: a new wizard in its place offers to resume that run with the options
    // editable (as closing and reopening it does), and what was typed comes along.
    QVERIFY(wizard->changeOptionsButton()->isVisible() && wizard->changeOptionsButton()->isEnabled());
    const QPointer<ResetWizard> failed = wizard;
    QTest::mouseClick(wizard->changeOptionsButton(), Qt::LeftButton);
    QTRY_VERIFY(!failed);
    wizard = window.operationsPanel()->resetWizard();
    QVERIFY(wizard && wizard->isVisible());
    // It starts from the failed run's choices: the superuser whose name was taken meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() || !wizard->problems().isEmpty(), 30000);
    QVERIFY(wizard->options().flag(GuideOption::Superuser));
    QCOMPARE(wizard->options().values.value(GuideOption::Username), QStringLiteral("fresh"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->problems().join(u' ').contains(QStringLiteral("already exists")), 30000);
    QTRY_COMPARE(wizard->confirmText(), QStringLiteral("RESET")); // the same run to resume: the words came along
    QVERIFY(!wizard->resumeButton()->isEnabled()); // but not with a name that is taken
    // Without the superuser the plan is no longer that run's: a reset anew asks for the words again.
    wizard->findChild<QCheckBox *>(QStringLiteral("superuserCheck"))->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() && !wizard->resumeMatches(), 30000);
    QVERIFY(wizard->confirmText().isEmpty());
    QVERIFY(!wizard->runButton()->isEnabled());
    wizard->setSuperuser(QStringLiteral("fresh-two"), QStringLiteral("two@hanna.example"), QStringLiteral("pw-sentinel-3"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->resumeMatches() && wizard->isReady(), 30000);
    QVERIFY(wizard->confirmText().isEmpty()); // the words are typed again, for this resume
    QCOMPARE(wizard->failedStep(), superuserStep);
    QVERIFY(wizard->resumeButton()->isVisible());
    QVERIFY(wizard->skipButton()->isVisible()); // or go on without it
    QVERIFY(!wizard->changeOptionsButton()->isVisible()); // they are editable here
    wizard->setConfirmText(QStringLiteral("RESET"));
    QTRY_VERIFY(wizard->resumeButton()->isEnabled());
    QSignalSpy resumed(wizard, &ResetWizard::runFinished); // another wizard: the first one is gone
    QTest::mouseClick(wizard->resumeButton(), Qt::LeftButton);
    QVERIFY(resumed.wait(kRunTimeoutMs));
    result = resumed.takeFirst().first().value<RunResult>();
    QVERIFY2(result.success, qPrintable(result.message + result.errorTail));
    QCOMPARE(result.firstStep, superuserStep); // nothing before it ran again
    QVERIFY(userExists(project.db, QStringLiteral("fresh-two")));
    wizard->close();
    QTRY_VERIFY(!window.operationsPanel()->resetWizard());

    // A failed optional step can be skipped: the run is done without it, and not unfinished.
    wizard = openWizard(window);
    QVERIFY(wizard);
    QVERIFY(!wizard->resumeMatches());
    wizard->setSuperuser(QStringLiteral("fresh-three"), QStringLiteral("three@hanna.example"), QStringLiteral("pw-sentinel-4"));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() && wizard->problems().isEmpty(), 30000);
    QVERIFY(addUser(project.db, QStringLiteral("fresh-three")));
    wizard->setConfirmText(QStringLiteral("RESET"));
    QTRY_VERIFY(wizard->runButton()->isEnabled());
    QSignalSpy third(wizard, &ResetWizard::runFinished);
    QTest::mouseClick(wizard->runButton(), Qt::LeftButton);
    QVERIFY(third.wait(kRunTimeoutMs));
    result = third.takeFirst().first().value<RunResult>();
    QCOMPARE(result.failedStep, superuserStep);
    QTRY_VERIFY(wizard->skipButton()->isEnabled());
    QTest::mouseClick(wizard->skipButton(), Qt::LeftButton);
    QVERIFY(!wizard->skipButton()->isVisible());
    QCOMPARE(wizard->stepState(superuserStep), ResetWizard::StepState::Skipped);
    QVERIFY(Journal::unfinished(project.config).isEmpty());
    // The password never reached the console.
    QVERIFY(!window.console()->plainText().contains(QStringLiteral("pw-sentinel")));
}

void TestPgGuidedFlows::commitRefusedWhenGitIgnoresTheMigrations()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("ignored"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QString error;
    QVERIFY2(TestBed::initGitRepo(project.dir, m_tmp.path() + QStringLiteral("/ignored-remote.git"), &error), qPrintable(error));
    // The migrations are untracked and ignored, as some teams keep them.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    QFile ignore(project.dir + QStringLiteral("/.gitignore"));
    QVERIFY(ignore.open(QIODevice::Append));
    ignore.write("**/migrations/*.py\n!**/migrations/__init__.py\n");
    ignore.close();
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("rm"), QStringLiteral("-r"), QStringLiteral("-q"), QStringLiteral("--cached"),
                                                  QStringLiteral("whatsappcrm_backend")}, project.dir, env), 0);
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("add"), QStringLiteral(".")}, project.dir, env), 0);
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("-c"), QStringLiteral("user.name=t"), QStringLiteral("-c"),
                                                  QStringLiteral("user.email=t@t"), QStringLiteral("commit"), QStringLiteral("-q"),
                                                  QStringLiteral("-m"), QStringLiteral("ignore migrations")}, project.dir, env), 0);

    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    ResetWizard *wizard = openWizard(window);
    QVERIFY(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 30000);
    wizard->findChild<QCheckBox *>(QStringLiteral("commitCheck"))->setChecked(true);
    QTRY_VERIFY2_WITH_TIMEOUT(wizard->problems().join(u' ').contains(QStringLiteral("git ignores the migration files")),
                              qPrintable(wizard->problems().join(u'|')), 30000);
    wizard->setConfirmText(QStringLiteral("RESET"));
    QVERIFY(!wizard->runButton()->isEnabled()); // refused before anything ran
    wizard->findChild<QCheckBox *>(QStringLiteral("commitCheck"))->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 30000);
    QVERIFY(!wizard->problems().join(u' ').contains(QStringLiteral("git ignores")));
    wizard->close();
}

QTEST_MAIN(TestPgGuidedFlows)
#include "tst_pg_guidedflows.moc"
