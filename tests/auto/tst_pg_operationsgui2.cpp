// More of the operations panel driven like a user drives it, offscreen, on the real test bed
// (Local target, real Django, the throwaway PostgreSQL cluster, real git with a bare remote):
// the commit dialog end to end and its inline refusal, and createsuperuser end to end.
#include "gui/commitdialog.h"
#include "gui/consolewidget.h"
#include "gui/mainwindow.h"
#include "gui/messagebanner.h"
#include "gui/resetwizard.h"
#include "safety/runjournal.h"
#include "gui/operationcontroller.h"
#include "gui/operationspanel.h"
#include "gui/planpreviewdialog.h"
#include "gui/superuserdialog.h"
#include "operations/guideoptions.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

namespace {

using GuiTest::kLoadTimeoutMs;
using GuiTest::kRunTimeoutMs;

// git in dir (or with --git-dir for the bare remote), nobody's global settings involved.
QString git(const QStringList &args, const QString &dir, int *exitCode = nullptr)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    QString output;
    const int code = TestBed::run(QStringLiteral("git"), args, dir, env, &output);
    if (exitCode)
        *exitCode = code;
    return output.trimmed();
}

bool writeFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile file(path);
    if (!file.open(mode))
        return false;
    return file.write(data) == data.size();
}

} // namespace

class TestPgOperationsGui2 : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void commitDialogCommitsExactlyTheMigrationFiles();
    void createSuperuserEndToEnd();
    void resumeFromTheBannerAfterARestart();
    void makeMigrationsForChosenApps();
    void rehearseBeforeMigrate();
    void refusedFakeOffersAlignment();
    void wizardRehearsesTheReset();

private:
    // Clicks the commit button and waits for git's answer in the commit dialog.
    CommitDialog *openCommitDialog(MainWindow &window);

    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // settings, operation logs, journals and backups
};

void TestPgOperationsGui2::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test cluster (CTest fixture pg) is not running");
}

CommitDialog *TestPgOperationsGui2::openCommitDialog(MainWindow &window)
{
    OperationsPanel *panel = window.operationsPanel();
    QTest::mouseClick(panel->button(QStringLiteral("commit")), Qt::LeftButton);
    if (!QTest::qWaitFor([panel] { return panel->commitDialog() && panel->commitDialog()->isVisible(); }, 20000))
        return nullptr;
    return panel->commitDialog();
}

void TestPgOperationsGui2::commitDialogCommitsExactlyTheMigrationFiles()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("commit ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    const QString remote = m_tmp.path() + QStringLiteral("/commit-remote.git");
    QString error;
    QVERIFY2(TestBed::initGitRepo(project.dir, remote, &error), qPrintable(error));
    const QString headBefore = git({QStringLiteral("--git-dir"), remote, QStringLiteral("rev-parse"), QStringLiteral("main")}, QString());

    // What makemigrations leaves behind: one migration changed, one new.
    const QString backend = TestBed::backendDir(project.dir);
    QVERIFY(writeFile(backend + QStringLiteral("/flows/migrations/0003_flowcontext.py"),
                      "\n# regenerated (test)\n", QIODevice::Append));
    QVERIFY(writeFile(backend + QStringLiteral("/customer_data/migrations/0003_noop.py"),
                      "from django.db import migrations\n\n\n"
                      "class Migration(migrations.Migration):\n"
                      "    dependencies = [('customer_data', '0002_customerprofile_contact')]\n"
                      "    operations = []\n"));
    const QStringList expected = {QStringLiteral("whatsappcrm_backend/customer_data/migrations/0003_noop.py"),
                                  QStringLiteral("whatsappcrm_backend/flows/migrations/0003_flowcontext.py")};
    // Another change, staged: the commit must refuse and name it.
    QVERIFY(writeFile(project.dir + QStringLiteral("/README.md"), "local edit\n", QIODevice::Append));
    int code = 0;
    git({QStringLiteral("add"), QStringLiteral("README.md")}, project.dir, &code);
    QCOMPARE(code, 0);

    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();

    // Refused inline, README.md named, Commit disabled.
    CommitDialog *dialog = openCommitDialog(window);
    QVERIFY(dialog);
    QStringList files = dialog->files();
    files.sort();
    QCOMPARE(files, expected);
    QVERIFY(!dialog->okButton()->isEnabled());
    QVERIFY2(dialog->blockers().join(u' ').contains(QStringLiteral("README.md")), qPrintable(dialog->blockers().join(u' ')));
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("problemLabel"))->text().contains(QStringLiteral("README.md")));
    dialog->reject();
    QTRY_VERIFY(!panel->commitDialog());
    QVERIFY(!window.operations()->isRunning());

    // Unstaged, the same button commits exactly the migration files and pushes.
    git({QStringLiteral("restore"), QStringLiteral("--staged"), QStringLiteral("README.md")}, project.dir, &code);
    QCOMPARE(code, 0);
    dialog = openCommitDialog(window);
    QVERIFY(dialog);
    files = dialog->files();
    files.sort();
    QCOMPARE(files, expected);
    QCOMPARE(dialog->findChild<QListWidget *>(QStringLiteral("filesList"))->count(), 2);
    QCOMPARE(dialog->message(), GuideOption::DefaultCommitMessage);
    QVERIFY(dialog->blockers().isEmpty());
    dialog->setPush(true);
    QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->blockers().join(u' ')));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    QVERIFY(preview->planText().contains(QStringLiteral("git")));
    QVERIFY(preview->planText().contains(QStringLiteral("push")));
    QVERIFY(!preview->planText().contains(QStringLiteral("--force")));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));

    // The remote's HEAD is one new commit with the default message and exactly those files.
    const QString shown = git({QStringLiteral("--git-dir"), remote, QStringLiteral("show"), QStringLiteral("--no-renames"),
                               QStringLiteral("--name-only"), QStringLiteral("--format=%P%n%s"), QStringLiteral("main")},
                              QString());
    QStringList lines = shown.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.takeFirst(), headBefore);
    QCOMPARE(lines.takeFirst(), GuideOption::DefaultCommitMessage);
    lines.sort();
    QCOMPARE(lines, expected);
    // README's change stayed out of the commit and in the working tree.
    QCOMPARE(git({QStringLiteral("status"), QStringLiteral("--porcelain")}, project.dir), QStringLiteral("M README.md"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs); // the reload after the run
    TestBed::dropDatabase(project.dbName);
}

void TestPgOperationsGui2::createSuperuserEndToEnd()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("superuser ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QVERIFY(TestBed::queryStrings(project.db, QStringLiteral("SELECT username FROM auth_user")).isEmpty());
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    const QString password = QStringLiteral("Gui-Secret-7731-xyz");

    QTest::mouseClick(panel->button(QStringLiteral("createsuperuser")), Qt::LeftButton);
    QTRY_VERIFY(panel->superuserDialog() && panel->superuserDialog()->isVisible());
    SuperuserDialog *dialog = panel->superuserDialog();
    QVERIFY(!dialog->okButton()->isEnabled());
    dialog->setUsername(QStringLiteral("guiadmin"));
    dialog->setEmail(QStringLiteral("guiadmin@hanna.example"));
    dialog->setPasswords(password, password);
    QVERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    QVERIFY(preview->planText().contains(QStringLiteral("createsuperuser")));
    QVERIFY(preview->planText().contains(QStringLiteral("guiadmin")));
    QVERIFY(!preview->planText().contains(password));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));

    QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT username || '|' || email || '|' || is_superuser::text "
                                                              "FROM auth_user")),
             QStringList{QStringLiteral("guiadmin|guiadmin@hanna.example|true")});
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("createsuperuser")));
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("Create superuser")));
    QVERIFY(!window.console()->plainText().contains(password));
    QVERIFY(!window.console()->plainText().contains(project.db.password));
    // Nothing else keeps the password: the operation's tooltip neither.
    QVERIFY(!panel->action(QStringLiteral("createsuperuser"))->toolTip().contains(password));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs); // the reload after the run
    TestBed::dropDatabase(project.dbName);
}

void TestPgOperationsGui2::resumeFromTheBannerAfterARestart()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("restart ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    // The cause the user will fix: a models.py that stops importing once the schema check (on a
    // copy) has passed, so makemigrations fails after the history and the files are gone.
    const QString models = TestBed::backendDir(project.dir) + QStringLiteral("/flows/models.py");
    QFile file(models);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray good = file.readAll();
    file.close();

    int makeMigrations = -1;
    {
        MainWindow window;
        QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
        OperationsPanel *panel = window.operationsPanel();
        QVERIFY(!window.operationBanner()->isVisible());
        QTest::mouseClick(panel->button(QStringLiteral("reset-migrations")), Qt::LeftButton);
        QTRY_VERIFY(panel->resetWizard() && panel->resetWizard()->isVisible());
        ResetWizard *wizard = panel->resetWizard();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 20000);
        for (int i = 0; i < wizard->plan().steps.size(); ++i) {
            const auto *step = std::get_if<ProcessStep>(&wizard->plan().steps.at(i));
            if (step && step->args.contains(QStringLiteral("makemigrations")))
                makeMigrations = i;
        }
        QVERIFY(makeMigrations > 0);
        wizard->setConfirmText(QStringLiteral("RESET"));
        QSignalSpy finished(wizard, &ResetWizard::runFinished);
        bool broken = false;
        connect(window.operations(), &OperationController::stepStarted, this, [&](int index, const QString &) {
            if (index == 1 && !broken)
                broken = writeFile(models, "\nthis is not python (broken on purpose by the test)\n", QIODevice::Append);
        });
        QTest::mouseClick(wizard->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QVERIFY(broken);
        const RunResult result = finished.first().first().value<RunResult>();
        QVERIFY(!result.success);
        QCOMPARE(result.failedStep, makeMigrations);
        wizard->close();
    } // the app quits: only the journal remembers the run

    const QList<JournalEntry> unfinished = Journal::unfinished(project.config);
    QCOMPARE(unfinished.size(), 1);
    QCOMPARE(unfinished.first().planId, QStringLiteral("reset-migrations"));
    QCOMPARE(unfinished.first().resumeFrom(), makeMigrations);
    QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows'"))
                 .value(0),
             QStringLiteral("0"));

    // The user fixes the model and opens the project again: the banner offers Resume.
    QVERIFY(writeFile(models, good, QIODevice::WriteOnly | QIODevice::Truncate));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    QVERIFY(window.operationBanner()->isVisible());
    QVERIFY(window.operationBanner()->text().contains(QStringLiteral("did not finish")));
    QAction *resume = nullptr;
    for (QAction *action : window.operationBanner()->actions()) {
        if (action->objectName() == QLatin1String("resumeResetAction"))
            resume = action;
    }
    QVERIFY(resume);
    QCOMPARE(resume->text(), QStringLiteral("Resume…"));
    QVERIFY(resume->toolTip().contains(QStringLiteral("step %1").arg(makeMigrations + 1)));
    resume->trigger();

    QTRY_VERIFY(panel->resetWizard() && panel->resetWizard()->isVisible());
    ResetWizard *wizard = panel->resetWizard();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() && wizard->resumeMatches(), 20000);
    QCOMPARE(wizard->failedStep(), makeMigrations);
    for (int i = 0; i < makeMigrations; ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Done);
    QCOMPARE(wizard->stepState(makeMigrations), ResetWizard::StepState::Failed);
    QVERIFY(wizard->resumeButton()->isVisible());
    QVERIFY(wizard->resumeButton()->text().contains(QString::number(makeMigrations + 1)));
    // A run of an earlier session needs the typed word again.
    QVERIFY(!wizard->resumeButton()->isEnabled());
    wizard->setConfirmText(QStringLiteral("RESET"));
    QVERIFY(wizard->resumeButton()->isEnabled());

    QSignalSpy finished(wizard, &ResetWizard::runFinished);
    QTest::mouseClick(wizard->resumeButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kRunTimeoutMs));
    const RunResult result = finished.first().first().value<RunResult>();
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    QCOMPARE(result.firstStep, makeMigrations);
    QCOMPARE(result.steps.first().index, makeMigrations);
    for (int i = 0; i < wizard->stepCount(); ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Done);
    QVERIFY(!wizard->resumeButton()->isVisible());
    for (const QString &app : {QStringLiteral("flows"), QStringLiteral("conversations"), QStringLiteral("customer_data"),
                               QStringLiteral("meta_integration")}) {
        QVERIFY2(QFile::exists(TestBed::backendDir(project.dir) + QLatin1Char('/') + app
                               + QStringLiteral("/migrations/0001_initial.py")),
                 qPrintable(app));
        QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = '%1' "
                                                                  "AND name = '0001_initial'")
                                                       .arg(app))
                     .value(0),
                 QStringLiteral("1"));
    }
    // Finished: nothing is left to remind of.
    QVERIFY(Journal::unfinished(project.config).isEmpty());
    wizard->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs); // the reload after the run
    TestBed::dropDatabase(project.dbName);
}

void TestPgOperationsGui2::makeMigrationsForChosenApps()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("apps ü"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();

    QTest::mouseClick(panel->button(QStringLiteral("makemigrations")), Qt::LeftButton);
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    // Every app of the project, none checked: makemigrations for all of them.
    auto *list = preview->findChild<QListWidget *>(QStringLiteral("choices_") + GuideOption::Apps);
    QVERIFY(list);
    QStringList apps;
    for (int i = 0; i < list->count(); ++i) {
        apps << list->item(i)->text();
        QCOMPARE(list->item(i)->checkState(), Qt::Unchecked);
    }
    apps.sort();
    QCOMPARE(apps, (QStringList{QStringLiteral("conversations"), QStringLiteral("customer_data"), QStringLiteral("flows"),
                                QStringLiteral("meta_integration")}));
    QVERIFY(preview->planText().contains(QStringLiteral("manage.py makemigrations\n"))
            || preview->planText().trimmed().endsWith(QStringLiteral("manage.py makemigrations")));

    // The user checks one app: the preview is rebuilt for it alone.
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text() == QLatin1String("flows"))
            list->item(i)->setCheckState(Qt::Checked);
    }
    QCOMPARE(preview->values().value(GuideOption::Apps), QStringLiteral("flows"));
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled()
                                 && preview->planText().contains(QStringLiteral("makemigrations flows")),
                             20000);
    QVERIFY(!preview->planText().contains(QStringLiteral("conversations")));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    // Django was asked about that app only (the models match their migrations).
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("No changes detected in app 'flows'")));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs); // the reload after the run
    TestBed::dropDatabase(project.dbName);
}

// Apply migrations with a pending migration: the preview offers Rehearse and says Run would go
// without one; the rehearsal runs on a scratch copy (the real database keeps its state) and the
// preview comes back saying it passed; Run then applies the migration for real.
void TestPgOperationsGui2::rehearseBeforeMigrate()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("rehearse"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QVERIFY(writeFile(TestBed::backendDir(project.dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py"),
                      "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
                      "    dependencies = [('flows', '0003_flowcontext')]\n"
                      "    operations = [migrations.AddField('flow', 'priority', models.IntegerField(default=1))]\n"));
    const QString columnSql = QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_name = 'flows_flow' "
                                             "AND column_name = 'priority'");
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();

    QTest::mouseClick(panel->button(QStringLiteral("migrate")), Qt::LeftButton);
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    QVERIFY(preview->rehearseButton()->isVisible() && preview->rehearseButton()->isEnabled());
    QCOMPARE(preview->runButton()->text(), QStringLiteral("&Run without rehearsal"));
    QTest::mouseClick(preview->rehearseButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    QCOMPARE(result.planId, QStringLiteral("rehearse-migrate"));
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("Applying flows.0004_flow_priority... OK")));
    QVERIFY(window.console()->plainText().contains(QStringLiteral("Rehearsal passed")));
    QCOMPARE(TestBed::queryStrings(project.db, columnSql), QStringList{QStringLiteral("0")});

    // The same preview again, now with the rehearsal's verdict on Run.
    QTRY_VERIFY_WITH_TIMEOUT(panel->previewDialog() && panel->previewDialog()->isVisible(), kLoadTimeoutMs);
    preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    QVERIFY2(preview->runButton()->text().contains(QStringLiteral("rehearsal passed")), qPrintable(preview->runButton()->text()));
    GuiTest::screenshot(&window, QStringLiteral("rehearsal-console"));
    GuiTest::screenshot(preview, QStringLiteral("preview-rehearsed"));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    QCOMPARE(TestBed::queryStrings(project.db, columnSql), QStringList{QStringLiteral("1")});
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs);
    TestBed::dropDatabase(project.dbName);
}

// A fake the schema check refuses: the banner offers "Align tables…", whose preview holds the
// exact ALTER TABLE; after it ran the same fake goes through.
void TestPgOperationsGui2::refusedFakeOffersAlignment()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("align"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QVERIFY(TestBed::execSql(project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'meta_integration';"
                                                        "ALTER TABLE meta_integration_metaappconfig ALTER COLUMN name TYPE varchar(20)")));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    panel->trigger(QStringLiteral("migrate"), {{GuideOption::FakeInitial, QStringLiteral("1")}});
    QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
    PlanPreviewDialog *preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 20000);
    QVERIFY(preview->planText().contains(QStringLiteral("Check that the tables to be faked match")));
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY(!result.success);
    QCOMPARE(result.failedStep, 0);
    QTRY_VERIFY(window.operationBanner()->isVisible());
    QVERIFY2(window.operationBanner()->text().contains(QStringLiteral("meta_integration_metaappconfig.name: character varying(20) in the database")),
             qPrintable(window.operationBanner()->text()));
    QAction *align = nullptr;
    for (QAction *action : window.operationBanner()->actions()) {
        if (action->objectName() == QLatin1String("alignSchema"))
            align = action;
    }
    QVERIFY(align);
    QCOMPARE(TestBed::queryStrings(project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'meta_integration'")),
             QStringList{QStringLiteral("0")});
    align->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(panel->previewDialog() && panel->previewDialog()->isVisible(), 20000);
    preview = panel->previewDialog();
    QTRY_VERIFY_WITH_TIMEOUT(preview->runButton()->isEnabled(), 60000);
    QVERIFY2(preview->planText().contains(QStringLiteral("ALTER TABLE \"meta_integration_metaappconfig\" ALTER COLUMN \"name\" TYPE character varying")),
             qPrintable(preview->planText()));
    preview->reject();
    TestBed::dropDatabase(project.dbName);
}

// The reset wizard's Rehearse: the whole reset on scratch copies, the checklist and the project
// untouched, then Run names the rehearsal that passed.
void TestPgOperationsGui2::wizardRehearsesTheReset()
{
    const TestBed::MigratedProject project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("wizard rehearsal"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    const QString rowsSql = QStringLiteral("SELECT app || '.' || name FROM django_migrations ORDER BY 1");
    const QStringList rowsBefore = TestBed::queryStrings(project.db, rowsSql);
    const QStringList filesBefore = TestBed::migrationFileKeys(TestBed::backendDir(project.dir));
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, project.config, GuiTest::kScreenshotSize));
    OperationsPanel *panel = window.operationsPanel();
    QTest::mouseClick(panel->button(QStringLiteral("reset-migrations")), Qt::LeftButton);
    QTRY_VERIFY(panel->resetWizard() && panel->resetWizard()->isVisible());
    ResetWizard *wizard = panel->resetWizard();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady(), 20000);
    QVERIFY(wizard->rehearseButton()->isEnabled()); // no typed word: nothing of the project changes
    QCOMPARE(wizard->runButton()->text(), QStringLiteral("&Run Reset without rehearsal"));
    QTest::mouseClick(wizard->rehearseButton(), Qt::LeftButton);
    RunResult result;
    QVERIFY(GuiTest::waitForRunEnd(window, &result));
    QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
    QCOMPARE(result.planId, QStringLiteral("rehearse-reset-migrations"));
    QVERIFY(window.console()->plainText().contains(QStringLiteral("Rehearsal passed")));
    QVERIFY2(wizard->runButton()->text().contains(QStringLiteral("rehearsal passed")), qPrintable(wizard->runButton()->text()));
    for (int i = 0; i < wizard->stepCount(); ++i)
        QCOMPARE(wizard->stepState(i), ResetWizard::StepState::Pending);
    QCOMPARE(TestBed::queryStrings(project.db, rowsSql), rowsBefore);
    QCOMPARE(TestBed::migrationFileKeys(TestBed::backendDir(project.dir)), filesBefore);
    wizard->close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isLoading(), kLoadTimeoutMs);
    TestBed::dropDatabase(project.dbName);
}

QTEST_MAIN(TestPgOperationsGui2)
#include "tst_pg_operationsgui2.moc"
