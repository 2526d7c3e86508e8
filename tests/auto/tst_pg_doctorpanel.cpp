// The Doctor panel on real Django and PostgreSQL: break a migrated fixture (delete a dependency
// row), click Diagnose, see the InconsistentHistory finding with the exact INSERT previewed,
// click Apply, run the emitted plan with a real PlanRunner, diagnose again: healthy.
#include "doctor/migrationdoctor.h"
#include "gui/doctorpanel.h"
#include "gui/evidencemodel.h"
#include "gui/findingmodel.h"
#include "gui/messagebanner.h"
#include "plan/planrenderer.h"
#include "safety/guardedrunner.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QAbstractItemModelTester>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeView>
#include <QCheckBox>
#include <QtTest>

namespace {

constexpr int kDiagnoseTimeoutMs = 180000;

} // namespace

class TestPgDoctorPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
        qRegisterMetaType<RunResult>();
    }

    void diagnoseApplyAndVerify()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("doctor panel"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' "
                                                      "AND name = '0002_auto_20261124_0227'")));

        DoctorPanel panel;
        panel.resize(760, 860);
        DoctorOptions options;
        options.backupsDir = m_tmp.filePath(QStringLiteral("doctor-backups"));
        panel.setProject(p.config, options);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.pageName(), QStringLiteral("start"));
        QVERIFY(!panel.fixAllButton()->isEnabled());
        QAbstractItemModelTester evidenceTester(panel.evidenceModel(),
                                                QAbstractItemModelTester::FailureReportingMode::QtTest);

        QList<Diagnosis> diagnoses;
        connect(&panel, &DoctorPanel::diagnosed, this, [&](const Diagnosis &d) { diagnoses << d; });
        QList<QPair<Plan, QString>> requests;
        connect(&panel, &DoctorPanel::runPlanRequested, this,
                [&](const Plan &plan, const QString &title) { requests << qMakePair(plan, title); });

        QTest::mouseClick(panel.diagnoseButton(), Qt::LeftButton);
        QVERIFY(panel.isDiagnosing());
        QVERIFY(!panel.diagnoseButton()->isEnabled()); // one diagnosis at a time
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDiagnosing(), kDiagnoseTimeoutMs);
        QCOMPARE(diagnoses.size(), 1);
        QVERIFY2(diagnoses.constFirst().ok(), qPrintable(diagnoses.constFirst().error));
        QCOMPARE(panel.pageName(), QStringLiteral("findings"));
        QVERIFY(diagnoses.constFirst().inputs.schemaChecked); // "Compare tables" starts ticked

        // The list shows the InconsistentHistory findings, the first one selected.
        FindingModel *model = panel.model();
        QVERIFY(model->rowCount() >= 1);
        QCOMPARE(model->index(0, 0).data(FindingModel::KindNameRole).toString(), QStringLiteral("InconsistentHistory"));
        QCOMPARE(model->index(0, FindingModel::KindColumn).data().toString(), QStringLiteral("Inconsistent history"));
        QVERIFY(panel.findingsView()->currentIndex().isValid());
        QVERIFY(panel.selectedFinding());
        QVERIFY(panel.selectedFinding()->migrations.contains(QStringLiteral("flows.0002_auto_20261124_0227")));
        // Its migrations and evidence are listed in the view, built once for this diagnosis.
        QCOMPARE(panel.evidenceView()->model(), panel.evidenceModel());
        QVERIFY(panel.evidenceModel()->plainText().contains(QLatin1String("flows.0002_auto_20261124_0227")));
        QCOMPARE(panel.evidenceModel()->rowCount(),
                 panel.selectedFinding()->migrations.size() + panel.selectedFinding()->evidence.size()
                     + (panel.selectedFinding()->evidence.isEmpty() ? 1 : 2));
        QCOMPARE(panel.detailsBuilds(), 1);

        // The recommended fix is selected and its exact SQL previewed.
        const DoctorFix *fix = panel.selectedFix();
        QVERIFY(fix);
        QVERIFY(fix->recommended);
        QCOMPARE(fix->id, QStringLiteral("record-dependency"));
        QVERIFY(panel.fixesList()->currentItem()->text().contains(QLatin1String("recommended")));
        QCOMPARE(panel.previewText(), PlanRenderer::render(fix->plan));
        QVERIFY2(panel.previewText().contains(QLatin1String("INSERT INTO django_migrations")), qPrintable(panel.previewText()));
        QVERIFY(!panel.previewText().contains(p.db.password));
        QVERIFY(panel.previewEdit()->isReadOnly());
        QVERIFY(panel.fixAllButton()->isEnabled());
        GuiTest::screenshot(&panel, QStringLiteral("doctor-findings.png"));

        // Apply emits exactly that plan; the panel runs nothing itself.
        QVERIFY(panel.applyButton()->isEnabled());
        const Plan expected = fix->plan;
        QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
        QCOMPARE(requests.size(), 1);
        const Plan plan = requests.constFirst().first;
        QCOMPARE(plan.id, expected.id);
        QCOMPARE(PlanRenderer::render(plan), PlanRenderer::render(expected));
        QVERIFY(!requests.constFirst().second.isEmpty());

        // The owner's runner executes it, with the panel told a plan runs.
        panel.setPlanRunning(true);
        QVERIFY(!panel.applyButton()->isEnabled());
        QVERIFY(!panel.diagnoseButton()->isEnabled());
        GuardedRunner runner;
        QSignalSpy finished(&runner, &PlanRunner::finished);
        QVERIFY(runner.start(plan));
        QVERIFY(finished.wait(120000));
        const RunResult result = finished.constFirst().constFirst().value<RunResult>();
        QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));
        panel.setPlanRunning(false);

        // Re-verify: healthy, and Django itself agrees.
        panel.diagnose();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDiagnosing(), kDiagnoseTimeoutMs);
        QCOMPARE(diagnoses.size(), 2);
        QVERIFY2(diagnoses.constLast().healthy(), qPrintable(QStringLiteral("%1 findings, error: %2")
                                                                 .arg(diagnoses.constLast().findings.size())
                                                                 .arg(diagnoses.constLast().error)));
        QCOMPARE(panel.pageName(), QStringLiteral("healthy"));
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!panel.fixAllButton()->isEnabled());
        GuiTest::screenshot(&panel, QStringLiteral("doctor-healthy.png"));
        // Unticked, a diagnosis leaves the scratch migrate out.
        auto *compareTables = panel.findChild<QCheckBox *>(QStringLiteral("schemaCheck"));
        QVERIFY(compareTables);
        compareTables->setChecked(false);
        panel.diagnose();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDiagnosing(), kDiagnoseTimeoutMs);
        QCOMPARE(diagnoses.size(), 3);
        QVERIFY(diagnoses.constLast().healthy());
        QVERIFY(!diagnoses.constLast().inputs.schemaChecked);
        QString output;
        QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &output),
                 qPrintable(output));
        TestBed::dropDatabase(p.dbName);
    }

    void staleResultIsDropped()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("stale"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        DoctorPanel panel;
        int delivered = 0;
        connect(&panel, &DoctorPanel::diagnosed, this, [&] { ++delivered; });
        panel.setProject(p.config);
        panel.diagnose();
        QVERIFY(panel.isDiagnosing());
        // Switching project while it runs: that diagnosis must never reach the panel.
        ProjectConfig other = p.config;
        other.root = m_tmp.filePath(QStringLiteral("elsewhere"));
        panel.setProject(other);
        QVERIFY(!panel.isDiagnosing());
        QThreadPool::globalInstance()->waitForDone(kDiagnoseTimeoutMs);
        QTest::qWait(100); // let a (wrongly) queued delivery arrive
        QCOMPARE(delivered, 0);
        QVERIFY(!panel.hasDiagnosis());
        QCOMPARE(panel.pageName(), QStringLiteral("start"));
        TestBed::dropDatabase(p.dbName);
    }

    void errorNeverShowsThePassword()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("wrong password"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        ProjectConfig config = p.config;
        const QString sentinel = QStringLiteral("Sentinel-Pw-7731");
        config.db.password = sentinel;
        DoctorPanel panel;
        panel.resize(760, 600);
        panel.setProject(config);
        panel.show();
        panel.diagnose();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDiagnosing(), kDiagnoseTimeoutMs);
        QVERIFY(panel.hasDiagnosis());
        QVERIFY(panel.banner()->isVisible());
        const QString text = panel.banner()->text();
        QVERIFY2(!text.isEmpty(), "a failed connection must be reported");
        QVERIFY2(!text.contains(sentinel), qPrintable(text));
        QVERIFY(!panel.diagnosis().error.contains(sentinel));
        GuiTest::screenshot(&panel, QStringLiteral("doctor-error.png"));
        TestBed::dropDatabase(p.dbName);
    }

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // backups, journals and logs
};

QTEST_MAIN(TestPgDoctorPanel)
#include "tst_pg_doctorpanel.moc"
