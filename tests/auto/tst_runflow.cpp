// The one path every GUI run takes, without a window: preview → typed confirmation when
// destructive → production guard → output folders → run → result. Real processes (true,
// false), a real OperationController; the dialogs are answered as the user would.
#include "gui/confirmationdialog.h"
#include "gui/operationcontroller.h"
#include "gui/planpreviewdialog.h"
#include "gui/runflow.h"
#include "guitestsupport.h"

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWidget>
#include <QtTest>

namespace {

Plan plan(const QString &root, const QString &program, bool destructive, const QString &stdoutFile = QString())
{
    ProcessStep step;
    step.description = program;
    step.program = program;
    step.stdoutFile = stdoutFile;
    Plan p;
    p.id = QStringLiteral("test-") + program;
    p.title = QStringLiteral("Test %1").arg(program);
    p.projectRoot = root;
    p.destructive = destructive;
    p.steps << step;
    return p;
}

// A controller on config's project and a flow whose dialogs belong to a (hidden) window.
struct Fixture
{
    explicit Fixture(const ProjectConfig &config)
        : flow(&controller, &window)
    {
        controller.setProject(config);
    }
    QWidget window;
    OperationController controller;
    RunFlow flow;
};

} // namespace

class TestRunFlow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void previewThenRunThenResult();
    void rejectedPreviewRunsNothing();
    void destructiveAsksForTheTypedWord();
    void enterConfirmsOnlyOnceTheWordMatches();
    void productionGuardRefusesBeforeAnythingRuns();
    void failedRunIsOffered();

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
    QString m_root;
    ProjectConfig m_config;
};

void TestRunFlow::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    qRegisterMetaType<RunResult>();
}

void TestRunFlow::init()
{
    static int n = 0;
    m_root = m_tmp.filePath(QStringLiteral("project%1").arg(++n));
    QVERIFY(QDir().mkpath(m_root));
    m_config = ProjectConfig();
    m_config.root = m_root;
    m_config.target = TargetKind::Local;
    m_config.db.host = QStringLiteral("127.0.0.1");
    m_config.db.name = QStringLiteral("hanna");
}

void TestRunFlow::previewThenRunThenResult()
{
    Fixture fixture(m_config);
    OperationController &controller = fixture.controller;
    RunFlow &flow = fixture.flow;
    QSignalSpy ended(&flow, &RunFlow::runEnded);
    const QString out = m_root + QStringLiteral("/backups/1/out.txt");
    RunRequest request;
    request.plan = plan(m_root, QStringLiteral("true"), false, out);
    request.createOutputFolders = true;
    QList<RunResult> finished;
    request.finished = [&finished](const RunResult &result) { finished << result; };
    QVERIFY(flow.start(request));

    QVERIFY(flow.isAsking());
    QVERIFY(flow.previewDialog() && flow.previewDialog()->isVisible());
    QVERIFY(flow.previewDialog()->planText().contains(QLatin1String("true")));
    QVERIFY(!flow.start(request)); // one flow at a time
    QVERIFY(!QDir(m_root + QStringLiteral("/backups")).exists()); // nothing before the yes
    flow.previewDialog()->accept();
    QVERIFY(controller.isRunning());
    QVERIFY(QDir(m_root + QStringLiteral("/backups/1")).exists());
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(finished.size(), 1);
    QVERIFY2(finished.first().success, qPrintable(finished.first().message));
    QVERIFY(!flow.isAsking());
}

void TestRunFlow::rejectedPreviewRunsNothing()
{
    Fixture fixture(m_config);
    OperationController &controller = fixture.controller;
    RunFlow &flow = fixture.flow;
    QSignalSpy started(&controller, &OperationController::runStarted);
    RunRequest request;
    request.plan = plan(m_root, QStringLiteral("true"), false);
    bool called = false;
    request.starting = [&called] { called = true; };
    QVERIFY(flow.start(request));
    flow.previewDialog()->reject();
    QVERIFY(!flow.isAsking());
    QVERIFY(!called);
    QCOMPARE(started.size(), 0);
    QTRY_VERIFY(!flow.previewDialog()); // closed and gone
    QVERIFY(flow.start(request));       // not stuck
    flow.abandon();                     // the project changed under the dialog
    QVERIFY(!flow.isAsking());
    QCOMPARE(started.size(), 0);
}

void TestRunFlow::destructiveAsksForTheTypedWord()
{
    Fixture fixture(m_config);
    OperationController &controller = fixture.controller;
    RunFlow &flow = fixture.flow;
    QSignalSpy started(&controller, &OperationController::runStarted);
    RunRequest request;
    request.plan = plan(m_root, QStringLiteral("true"), true);
    request.title = QStringLiteral("Apply fix");
    QVERIFY(flow.start(request));
    flow.previewDialog()->accept();
    ConfirmationDialog *confirm = flow.confirmationDialog();
    QVERIFY(confirm && confirm->isVisible());
    QCOMPARE(confirm->typedWord(), QStringLiteral("APPLY")); // defaultConfirmation()
    QVERIFY(!confirm->confirmButton()->isEnabled());
    confirm->setTypedText(QStringLiteral("APPLY"));
    QVERIFY(confirm->confirmButton()->isEnabled());
    // The project changes while the question is open: nothing runs against the new one.
    ProjectConfig other = m_config;
    other.root = m_tmp.filePath(QStringLiteral("elsewhere"));
    controller.setProject(other);
    confirm->accept();
    QVERIFY(!flow.isAsking());
    QCOMPARE(started.size(), 0);

    // A confirmation of the caller's own: its word is asked.
    controller.setProject(m_config);
    request.confirmation.question = QStringLiteral("Delete 3 rows?");
    request.confirmation.typedWord = QStringLiteral("DELETE");
    QVERIFY(flow.start(request));
    flow.previewDialog()->accept();
    QCOMPARE(flow.confirmationDialog()->typedWord(), QStringLiteral("DELETE"));
    flow.confirmationDialog()->reject();
    QVERIFY(!flow.isAsking());
    QCOMPARE(started.size(), 0);
}

void TestRunFlow::enterConfirmsOnlyOnceTheWordMatches()
{
    Confirmation c;
    c.question = QStringLiteral("Delete 3 row(s) of django_migrations?");
    c.typedWord = QStringLiteral("DELETE");
    ConfirmationDialog dialog(QStringLiteral("Clear history"), c, QString(), {}, QStringLiteral("hanna"));
    QSignalSpy finished(&dialog, &QDialog::finished);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QLineEdit *typed = dialog.findChild<QLineEdit *>(QStringLiteral("typedEdit"));
    QVERIFY(typed);

    // Enter before the word: the dialog stays, says what is missing, and cancels nothing.
    QTest::keyClick(typed, Qt::Key_Return);
    QVERIFY(dialog.isVisible());
    QCOMPARE(finished.size(), 0);
    QVERIFY2(dialog.missingText().contains(QStringLiteral("DELETE")), qPrintable(dialog.missingText()));
    QTest::keyClicks(typed, QStringLiteral("DELET"));
    QTest::keyClick(typed, Qt::Key_Enter);
    QCOMPARE(finished.size(), 0);

    // The word matches: Enter confirms.
    QTest::keyClicks(typed, QStringLiteral("E"));
    QVERIFY(dialog.missingText().isEmpty());
    QTest::keyClick(typed, Qt::Key_Return);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    // Esc still cancels.
    ConfirmationDialog second(QStringLiteral("Clear history"), c, QString(), {}, QStringLiteral("hanna"));
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    QTest::keyClick(&second, Qt::Key_Escape);
    QCOMPARE(second.result(), int(QDialog::Rejected));
}

void TestRunFlow::productionGuardRefusesBeforeAnythingRuns()
{
    // A .env.prod next to the compose file: this looks like production.
    QFile prod(m_root + QStringLiteral("/.env.prod"));
    QVERIFY(prod.open(QIODevice::WriteOnly));
    prod.close();
    Fixture fixture(m_config);
    OperationController &controller = fixture.controller;
    RunFlow &flow = fixture.flow;
    QSignalSpy refused(&flow, &RunFlow::refused);
    QSignalSpy messages(&flow, &RunFlow::message);
    QSignalSpy started(&controller, &OperationController::runStarted);
    RunRequest request;
    request.plan = plan(m_root, QStringLiteral("true"), true);
    request.previewed = request.confirmed = true; // as the reset wizard hands it over
    request.typedDatabaseName = QStringLiteral("hanna");
    QString told;
    request.refused = [&told](const QString &refusal) { told = refusal; };
    bool called = false;
    request.starting = [&called] { called = true; };
    QVERIFY(!flow.start(request));
    QCOMPARE(refused.size(), 1);
    QVERIFY2(told.contains(QLatin1String("looks like production")), qPrintable(told));
    QCOMPARE(refused.first().first().toString(), told);
    QCOMPARE(messages.size(), 1); // for the console
    QVERIFY(!called);
    QCOMPARE(started.size(), 0);
    QVERIFY(!flow.isAsking());
}

void TestRunFlow::failedRunIsOffered()
{
    Fixture fixture(m_config);
    OperationController &controller = fixture.controller;
    RunFlow &flow = fixture.flow;
    QList<MessageLevel> banner;
    connect(&flow, &RunFlow::failureBanner, this, [&banner](MessageLevel level) { banner << level; });
    QSignalSpy cleared(&flow, &RunFlow::failureBannerCleared);
    QSignalSpy ended(&flow, &RunFlow::runEnded);
    RunRequest request;
    request.plan = plan(m_root, QStringLiteral("false"), false);
    request.previewed = true;
    QVERIFY(flow.start(request));
    QCOMPARE(cleared.size(), 1); // the banner about an earlier run is out of date
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(banner.size(), 1);
    QVERIFY(banner.first() == MessageLevel::Error);
    QVERIFY(!ended.first().first().value<RunResult>().success);

    // A run started without a flow ends here too: a success offers nothing.
    QVERIFY(controller.run(plan(m_root, QStringLiteral("true"), false)));
    QTRY_COMPARE(ended.size(), 2);
    QCOMPARE(banner.size(), 1);
}

QTEST_MAIN(TestRunFlow)
#include "tst_runflow.moc"
