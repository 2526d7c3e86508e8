// The operations panel driven like a user drives it, offscreen, against the real test bed: a
// migrated Hanna-shaped fixture (Local target, real Django, the throwaway PostgreSQL cluster).
// Buttons are clicked, dialogs answered, and the effects checked in the console, the database,
// the status table and /proc.
#include "gui/backupspanel.h"
#include "gui/commitdialog.h"
#include "gui/confirmationdialog.h"
#include "gui/consolewidget.h"
#include "gui/mainwindow.h"
#include "gui/messagebanner.h"
#include "gui/migrationtablemodel.h"
#include "gui/operationcontroller.h"
#include "gui/operationspanel.h"
#include "gui/planpreviewdialog.h"
#include "gui/resetwizard.h"
#include "gui/superuserdialog.h"
#include "operations/guideoptions.h"
#include "guitestsupport.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "testbed.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

namespace {

using GuiTest::kLoadTimeoutMs;
using GuiTest::kRunTimeoutMs;

// Processes whose argv is exactly argv (zombies have no argv and do not count).
QList<qint64> processesWithArgv(const QStringList &argv)
{
    QList<qint64> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        QFile file(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray raw = file.readAll();
        if (raw.endsWith('\0'))
            raw.chop(1);
        QStringList args;
        for (const QByteArray &part : raw.split('\0'))
            args << QString::fromLocal8Bit(part);
        if (args == argv)
            pids << pid;
    }
    return pids;
}

// A plan whose only step starts a grandchild (sleep MARKER) and then sleeps itself: what a
// long makemigrations looks like to the runner.
Plan sleepingPlan(const QString &root, const QString &marker)
{
    ProcessStep step;
    step.description = QStringLiteral("Sleep (test)");
    step.program = QString::fromLatin1(TestBed::kPython);
    step.args = {QStringLiteral("-c"),
                 QStringLiteral("import subprocess, time\n"
                                "subprocess.Popen(['sleep', '%1'])\n"
                                "print('sleeper started', flush=True)\n"
                                "time.sleep(600)\n")
                     .arg(marker)};
    Plan plan;
    plan.id = QStringLiteral("test-sleep");
    plan.title = QStringLiteral("Test sleeper");
    plan.projectRoot = root;
    plan.steps << step;
    return plan;
}

} // namespace

class TestPgOperationsGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void panelIsBuiltFromTheCatalog();
    void showMigrationsStreamsIntoTheConsole();
    void clearHistoryNeedsTypedConfirmation();
    void stopButtonAndEscCancelTheRun();
    void superuserDialogValidatesInline();
    void resetWizardResumesFromTheFailedStep();
    void quittingWhileRunningCancelsCleanly();

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // settings, operation logs, journals and backups
};

void TestPgOperationsGui::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test cluster (CTest fixture pg) is not running");
}

void TestPgOperationsGui::panelIsBuiltFromTheCatalog()
{
    MainWindow window;
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("catalog ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    QVERIFY(window.operationsDock()->isVisible());
    QCOMPARE(window.dockWidgetArea(window.operationsDock()), Qt::RightDockWidgetArea);

    // One button per catalog entry, in its group, with the exact commands as the tooltip.
    const OperationOptions options = window.operations()->baseOptions();
    for (const Operation &op : OperationCatalog::all()) {
        QToolButton *button = panel->button(op.name);
        QVERIFY2(button, qPrintable(op.name));
        QVERIFY(button->isEnabled());
        QCOMPARE(button->parentWidget()->objectName(), QStringLiteral("group_") + op.group);
        const QString commands = PlanRenderer::render(OperationCatalog::build(op.name, project.config, options));
        // Backup folders are named by the second they were planned in: compare the other lines.
        for (const QString &line : commands.split(QLatin1Char('\n'))) {
            if (!line.contains(QLatin1String("backups")))
                QVERIFY2(button->toolTip().contains(line), qPrintable(op.name + QStringLiteral(": ") + line));
        }
        QCOMPARE(button->toolTip().startsWith(QStringLiteral("⚠")), op.destructive);
    }
    // The Operations menu holds the same actions, and Stop.
    QMenu *menu = window.findChild<QMenu *>(QStringLiteral("operationsMenu"));
    QVERIFY(menu);
    for (QAction *action : panel->operationActions())
        QVERIFY(menu->actions().contains(action));
    QVERIFY(menu->actions().contains(panel->stopAction()));
    QVERIFY(!panel->stopAction()->isEnabled());
}

void TestPgOperationsGui::showMigrationsStreamsIntoTheConsole()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("show"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    const int loadsBefore = window.loadsStarted();

    QTest::mouseClick(panel->button(QStringLiteral("showmigrations")), Qt::LeftButton);
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY(preview->runButton()->isEnabled());
    QVERIFY(preview->planText().contains(QStringLiteral("manage.py showmigrations")));
    QVERIFY(!preview->planText().contains(project.db.password));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);

    // While it runs: the other buttons are disabled, Stop is live, the busy bar shows.
    QVERIFY(window.operations()->isRunning());
    QVERIFY(!panel->button(QStringLiteral("history"))->isEnabled());
    QVERIFY(!panel->button(QStringLiteral("clear-history"))->isEnabled());
    QVERIFY(panel->stopAction()->isEnabled());
    QVERIFY(panel->findChild<QWidget *>(QStringLiteral("operationBusy"))->isVisible());

    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message));
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("[X] 0001_initial")));
    QVERIFY(window.console()->plainText().contains(QStringLiteral("manage.py showmigrations")));
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("✔ Show migrations: 1 step(s) succeeded.")));
    QVERIFY(!window.console()->plainText().contains(project.db.password));
    QVERIFY(panel->button(QStringLiteral("history"))->isEnabled());
    QVERIFY(!panel->stopAction()->isEnabled());
    // The status table is read again after the run.
    QTRY_VERIFY(window.loadsStarted() > loadsBefore);
    QTRY_VERIFY(!window.isLoading());
    GuiTest::screenshot(&window, QStringLiteral("operations-dock"));
}

void TestPgOperationsGui::clearHistoryNeedsTypedConfirmation()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("clear"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    const int rowsBefore = TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
    QVERIFY(rowsBefore > 10);

    QTest::mouseClick(panel->button(QStringLiteral("clear-history")), Qt::LeftButton);
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY(preview->runButton()->isEnabled());
    QVERIFY(preview->planText().contains(QStringLiteral("DELETE FROM django_migrations")));
    // Every row, as the guide's psql line: the facts are read again for the new scope.
    auto *allApps = preview->findChild<QCheckBox *>(QStringLiteral("flag_") + GuideOption::AllApps);
    QVERIFY(allApps);
    allApps->setChecked(true);
    QVERIFY(!preview->runButton()->isEnabled());
    QTRY_VERIFY(preview->runButton()->isEnabled());
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);

    QTRY_VERIFY(panel->confirmationDialog() && panel->confirmationDialog()->isVisible());
    ConfirmationDialog *confirm = panel->confirmationDialog();
    QVERIFY(!confirm->confirmButton()->isEnabled());
    const QString word = confirm->typedWord();
    QVERIFY(!word.isEmpty());
    confirm->setTypedText(word.toLower());
    QVERIFY(!confirm->confirmButton()->isEnabled());
    confirm->setTypedText(QString());
    QTest::keyClicks(confirm->findChild<QLineEdit *>(QStringLiteral("typedEdit")), word);
    QVERIFY(confirm->confirmButton()->isEnabled());
    QVERIFY(!window.operations()->isRunning());
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    QTest::mouseClick(confirm->confirmButton(), Qt::LeftButton);

    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + result.problems.join(QLatin1Char('\n'))));
    QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0),
             QStringLiteral("0"));

    // The table is read again: every migration file of the project is Pending, none Applied.
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && !window.isLoading(), kLoadTimeoutMs);
    const QMap<QString, QString> states = GuiTest::viewStates(window.tableView());
    const QStringList keys = TestBed::migrationFileKeys(TestBed::backendDir(project.dir));
    QVERIFY(keys.size() >= 10);
    for (const QString &key : keys)
        QCOMPARE(states.value(key), QStringLiteral("Pending"));
    QCOMPARE(states.keys(QStringLiteral("Applied")), QStringList());
}

void TestPgOperationsGui::stopButtonAndEscCancelTheRun()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("cancel"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    OperationController *controller = window.operations();
    controller->setGracePeriod(1000);

    for (const bool useEsc : {false, true}) {
        const QString marker = useEsc ? QStringLiteral("4323") : QStringLiteral("4321");
        QVERIFY(controller->run(sleepingPlan(project.dir, marker)));
        QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("sleeper started")));
        QTRY_COMPARE(processesWithArgv({QStringLiteral("sleep"), marker}).size(), 1);
        for (QAction *action : panel->operationActions())
            QVERIFY(!action->isEnabled());
        QSignalSpy finished(controller, &OperationController::runFinished);
        if (useEsc) {
            window.activateWindow();
            QVERIFY(QTest::qWaitForWindowActive(&window)); // Esc is a shortcut of the active window
            QTest::keyClick(&window, Qt::Key_Escape);
        } else {
            QToolButton *stop = panel->findChild<QToolButton *>(QStringLiteral("stopButton"));
            QVERIFY(stop->isEnabled());
            QTest::mouseClick(stop, Qt::LeftButton);
        }
        QVERIFY(finished.wait(15000));
        const RunResult result = finished.first().first().value<RunResult>();
        QVERIFY(result.cancelled);
        QVERIFY(!result.success);
        QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("was cancelled")));
        // The grandchild went with it.
        QTRY_COMPARE_WITH_TIMEOUT(processesWithArgv({QStringLiteral("sleep"), marker}).size(), 0, 5000);
        QVERIFY(panel->action(QStringLiteral("showmigrations"))->isEnabled());
        QVERIFY(!panel->stopAction()->isEnabled());
        // A cancel is not a failure: no failure banner.
        QVERIFY(!window.operationBanner()->isVisible());
    }
}

void TestPgOperationsGui::superuserDialogValidatesInline()
{
    SuperuserDialog dialog;
    dialog.show();
    QVERIFY(!dialog.okButton()->isEnabled());
    dialog.setUsername(QStringLiteral("admin"));
    QVERIFY(!dialog.okButton()->isEnabled());
    dialog.setPasswords(QStringLiteral("s3cret-A"), QStringLiteral("s3cret-B"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QCOMPARE(dialog.problem(), QStringLiteral("The passwords do not match."));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("problemLabel"))->text().contains(QStringLiteral("do not match")));
    dialog.setEmail(QStringLiteral("no-at-sign"));
    QVERIFY(!dialog.okButton()->isEnabled());
    dialog.setEmail(QStringLiteral("admin@example.com"));
    dialog.setPasswords(QStringLiteral("s3cret-A"), QStringLiteral("s3cret-A"));
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.problem(), QString());
}

void TestPgOperationsGui::resetWizardResumesFromTheFailedStep()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("wizard ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();

    // The cause the user will fix: a models.py that does not import, so makemigrations fails
    // after the history and the files are gone.
    const QString models = TestBed::backendDir(project.dir) + QStringLiteral("/flows/models.py");
    QFile file(models);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray good = file.readAll();
    file.close();

    QTest::mouseClick(panel->button(QStringLiteral("reset-migrations")), Qt::LeftButton);
    QTRY_VERIFY(panel->resetWizard() && panel->resetWizard()->isVisible());
    ResetWizard *wizard = panel->resetWizard();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 20000);
    QVERIFY2(wizard->problems().isEmpty(), qPrintable(wizard->problems().join(QLatin1Char('\n'))));
    QVERIFY(wizard->previewText().contains(QStringLiteral("makemigrations")));
    QVERIFY(wizard->previewText().contains(QStringLiteral("--fake-initial"))); // the tables exist
    QVERIFY(!wizard->runButton()->isEnabled());
    wizard->setConfirmText(QStringLiteral("reset"));
    QVERIFY(!wizard->runButton()->isEnabled());
    wizard->setConfirmText(QStringLiteral("RESET"));
    QVERIFY(wizard->runButton()->isEnabled());
    GuiTest::screenshot(wizard, QStringLiteral("reset-wizard-ready"));

    int makeMigrations = -1;
    for (int i = 0; i < wizard->plan().steps.size(); ++i) {
        const auto *step = std::get_if<ProcessStep>(&wizard->plan().steps.at(i));
        if (step && step->args.contains(QStringLiteral("makemigrations")))
            makeMigrations = i;
    }
    QVERIFY(makeMigrations > 0);

    // The fake is proven first, on scratch copies; the model breaks only once that check passed
    // (a model broken before it is refused before any change: tst_pg_guideops).
    QVERIFY(stepDescription(wizard->plan().steps.constFirst()).contains(QStringLiteral("regenerated migrations create")));
    QSignalSpy finished(wizard, &ResetWizard::runFinished);
    bool broken = false;
    connect(window.operations(), &OperationController::stepStarted, this, [&](int index, const QString &) {
        if (index == 1 && !broken && file.open(QIODevice::Append)) {
            broken = file.write("\nthis is not python (broken on purpose by the test)\n") > 0;
            file.close();
        }
    });
    QTest::mouseClick(wizard->runButton(), Qt::LeftButton);
    QVERIFY(wizard->stopButton()->isEnabled());
    QVERIFY(finished.wait(kRunTimeoutMs));
    QVERIFY(broken);
    RunResult result = finished.takeFirst().first().value<RunResult>();
    QVERIFY2(!result.success, qPrintable(result.message));
    QVERIFY2(result.problems.isEmpty(), qPrintable(result.problems.join(QLatin1Char('\n'))));
    QCOMPARE(result.failedStep, makeMigrations);
    QCOMPARE(wizard->failedStep(), makeMigrations);
    QCOMPARE(wizard->stepState(makeMigrations), ResetWizard::StepState::Failed);
    for (int i = 0; i < makeMigrations; ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Done);
    for (int i = makeMigrations + 1; i < wizard->stepCount(); ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Pending);
    QVERIFY(wizard->resumeButton()->isEnabled());
    QVERIFY(!wizard->runButton()->isEnabled());
    // The failure is in a banner too, with the exit code's step and the error tail.
    QTRY_VERIFY(window.operationBanner()->isVisible());
    QVERIFY(window.operationBanner()->text().contains(QStringLiteral("SyntaxError")));
    // Past its backup, the banner's first way out is that backup: it opens the restore's preview.
    QAction *restore = nullptr;
    for (QAction *action : window.operationBanner()->actions()) {
        if (action->objectName() == QLatin1String("restoreRunBackup"))
            restore = action;
    }
    QVERIFY(restore);
    QVERIFY2(restore->text().startsWith(QStringLiteral("Restore the backup of ")), qPrintable(restore->text()));
    QVERIFY(window.operationBanner()->text().contains(QStringLiteral("as it was before this run")));
    QSignalSpy restoreAsked(window.backupsPanel(), &BackupsPanel::runPlanRequested);
    QString restorePreview;
    QTimer::singleShot(300, this, [&restorePreview] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *dialog = qobject_cast<PlanPreviewDialog *>(w); dialog && dialog->isVisible()) {
                restorePreview = dialog->planText();
                dialog->reject(); // the user looks, and decides to resume instead
            }
        }
    });
    restore->trigger();
    QCOMPARE(restoreAsked.size(), 1);
    QVERIFY2(restoreAsked.first().at(1).toString().startsWith(QStringLiteral("Restore backup of")),
             qPrintable(restoreAsked.first().at(1).toString()));
    // The preview is window-modal but does not block the caller (RunFlow opens, never execs).
    QTRY_VERIFY2(restorePreview.contains(QStringLiteral("pg_restore")), qPrintable(restorePreview));
    GuiTest::screenshot(wizard, QStringLiteral("reset-wizard-failed"));
    GuiTest::screenshot(&window, QStringLiteral("main-window-after-failed-step"));
    // The history was cleared, the files are gone.
    QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows'"))
                 .value(0),
             QStringLiteral("0"));

    // The user fixes the model and resumes: the steps before are not repeated.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(good);
    file.close();
    QTest::mouseClick(wizard->resumeButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kRunTimeoutMs));
    result = finished.takeFirst().first().value<RunResult>();
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    QCOMPARE(result.firstStep, makeMigrations);
    QCOMPARE(result.steps.first().index, makeMigrations);
    for (int i = 0; i < wizard->stepCount(); ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Done);
    QVERIFY(!wizard->resumeButton()->isEnabled());
    GuiTest::screenshot(wizard, QStringLiteral("reset-wizard-resumed"));
    for (const QString &app : {QStringLiteral("flows"), QStringLiteral("conversations"), QStringLiteral("customer_data"),
                               QStringLiteral("meta_integration")}) {
        QVERIFY2(QFile::exists(TestBed::backendDir(project.dir) + QLatin1Char('/') + app
                               + QStringLiteral("/migrations/0001_initial.py")),
                 qPrintable(app));
        QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT name FROM django_migrations WHERE app = '%1' "
                                                                  "ORDER BY name LIMIT 1")
                                                       .arg(app))
                     .value(0),
                 QStringLiteral("0001_initial"));
    }
    QTRY_VERIFY(!window.operationBanner()->isVisible() || !window.operationBanner()->text().contains(QStringLiteral("SyntaxError")));
    wizard->close();
}

void TestPgOperationsGui::quittingWhileRunningCancelsCleanly()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("quit"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    auto *window = new MainWindow;
    QVERIFY(GuiTest::openAndLoad(*window, project.config, GuiTest::kScreenshotSize));
    OperationController *controller = window->operations();
    controller->setGracePeriod(1000);
    const QString marker = QStringLiteral("4322");
    QVERIFY(controller->run(sleepingPlan(project.dir, marker)));
    QTRY_COMPARE(processesWithArgv({QStringLiteral("sleep"), marker}).size(), 1);
    const qint64 group = controller->processId();
    QVERIFY(group > 0);

    // First answer "Keep Running": nothing stops. Then "Stop and Quit".
    for (const QString &answer : {QStringLiteral("Keep Running"), QStringLiteral("Stop and Quit")}) {
        bool answered = false;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || box->objectName() != QLatin1String("quitWhileRunningBox"))
                return;
            for (QAbstractButton *button : box->buttons()) {
                if (button->text() == answer) {
                    answered = true;
                    button->click();
                }
            }
        });
        poll.start();
        QVERIFY(!window->close()); // the close waits for the run (or is refused)
        poll.stop();
        QVERIFY(answered);
        if (answer == QLatin1String("Keep Running")) {
            QVERIFY(controller->isRunning());
            QVERIFY(window->isVisible());
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 15000);
    QVERIFY(!controller->isRunning());
    QCOMPARE(controller->lastResult().cancelled, true);
    // No orphan: neither the child's process group nor the grandchild is left.
    QTRY_COMPARE_WITH_TIMEOUT(processesWithArgv({QStringLiteral("sleep"), marker}).size(), 0, 5000);
    QFile leader(QStringLiteral("/proc/%1/cmdline").arg(group));
    QVERIFY(!leader.open(QIODevice::ReadOnly) || leader.readAll().isEmpty());
    delete window;
}

QTEST_MAIN(TestPgOperationsGui)
#include "tst_pg_operationsgui.moc"
