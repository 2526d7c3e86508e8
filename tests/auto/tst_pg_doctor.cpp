// The migration doctor on real Django and PostgreSQL: each scenario breaks a migrated fixture
// the way users break it, asserts the exact findings, applies the recommended fix, and checks
// that real `manage.py migrate` then succeeds and nothing outside django_migrations changed.
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "doctor/statusenricher.h"
#include "plan/planrenderer.h"
#include "safety/backupstore.h"
#include "safety/restoreplans.h"
#include "status/statusloader.h"
#include "testbed.h"

#include <QtTest>

namespace {

const QString kFlows2 = QStringLiteral("flows.0002_auto_20261124_0227");
const QString kFlows3 = QStringLiteral("flows.0003_flowcontext");
const QString kConv3 = QStringLiteral("conversations.0003_message_sent_by_step");

// "Kind: migrations" for every finding, in order: the exact findings in one comparable list.
QStringList summary(const Diagnosis &d)
{
    QStringList list;
    for (const Finding &f : d.findings)
        list << findingKindName(f.kind) + QStringLiteral(": ") + f.migrations.join(QLatin1Char(' '));
    return list;
}

// Every django_migrations row, "id|app|name|applied" in id order (applied to the microsecond).
QStringList historyRows(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT id, app, name, applied::text FROM django_migrations ORDER BY id"));
}

QProcessEnvironment gitEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Upstream"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("upstream@migrationdesk.invalid"));
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Upstream"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("upstream@migrationdesk.invalid"));
    return env;
}

bool writeFile(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text.toUtf8()) > 0;
}

QString addFieldMigration(const QString &dependency, const QString &field)
{
    return QStringLiteral("from django.db import migrations, models\n\n\n"
                          "class Migration(migrations.Migration):\n\n"
                          "    dependencies = [\n        ('flows', '%1'),\n    ]\n\n"
                          "    operations = [\n"
                          "        migrations.AddField(\n"
                          "            model_name='flow',\n"
                          "            name='%2',\n"
                          "            field=models.CharField(blank=True, default='', max_length=20),\n"
                          "        ),\n"
                          "    ]\n")
        .arg(dependency, field);
}

} // namespace

class TestPgDoctor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void healthyProjectHasNoFindings();
    void inconsistentHistory();
    void inconsistentHistoryInDjangosOwnApps();
    void orphanRows();
    void conflictingLeaves();
    void untrackedFilesBlockPull();
    void tablesAlreadyExist();

private:
    TestBed::MigratedProject project(const QString &folder);
    Diagnosis diagnose(const TestBed::MigratedProject &p);
    // Runs the plan, then checks the snapshot it wrote holds expectedRows rows.
    void run(const Plan &plan, int expectedSnapshotRows);
    void migrateSucceeds(const TestBed::MigratedProject &p);

    QTemporaryDir m_tmp;
};

void TestPgDoctor::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
    QVERIFY(m_tmp.isValid());
    // Operation logs and backups of this run stay in the temporary folder.
    qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(m_tmp.filePath(QStringLiteral("state"))));
}

TestBed::MigratedProject TestPgDoctor::project(const QString &folder)
{
    return TestBed::migratedProject(m_tmp.path(), folder);
}

Diagnosis TestPgDoctor::diagnose(const TestBed::MigratedProject &p)
{
    DoctorOptions options;
    options.backupsDir = m_tmp.filePath(QStringLiteral("backups/") + QFileInfo(p.dir).fileName());
    return MigrationDoctor::diagnose(p.config, options);
}

void TestPgDoctor::run(const Plan &plan, int expectedSnapshotRows)
{
    QVERIFY(!plan.steps.isEmpty());
    QString output;
    const RunResult r = PlanExecution::runBlocking(plan, [&](const QString &text, OutputChannel) { output += text; });
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    if (expectedSnapshotRows < 0)
        return;
    // The snapshot is the safety net's history backup, in the plan's backup folder.
    QVERIFY(DoctorPlans::isSnapshotStep(plan.steps.constFirst()));
    QVERIFY(!plan.backupDir.isEmpty());
    QFile file(DoctorPlans::snapshotPath(plan));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    // {"columns": [...], "rows": [[...], ...]}: one row per django_migrations row, with its time.
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    QCOMPARE(int(doc.object().value(QStringLiteral("rows")).toArray().size()), expectedSnapshotRows);
    QVERIFY(doc.object().value(QStringLiteral("columns")).toArray().contains(QStringLiteral("applied")));
    // The Backups panel lists it as the change to undo.
    const BackupInfo last = BackupStore(plan.projectRoot).lastDestructive();
    QCOMPARE(last.dir, plan.backupDir);
    QCOMPARE(last.operation, QStringLiteral("doctor-fix"));
    QVERIFY(last.complete);
    QVERIFY(last.hasHistory);
}

void TestPgDoctor::migrateSucceeds(const TestBed::MigratedProject &p)
{
    QString output;
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output),
             qPrintable(output));
}

void TestPgDoctor::healthyProjectHasNoFindings()
{
    const TestBed::MigratedProject p = project(QStringLiteral("healthy"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), QStringList());
    QVERIFY(d.healthy());
    QCOMPARE(d.inputs.graph.size(), 28);
    QVERIFY(d.fixAllPlan().steps.isEmpty());
    // Real Django's graph and the files' literals, as MigrationFileParser reads them, agree.
    QVERIFY2(d.events.join(QLatin1Char('\n')).contains(QLatin1String("Django's graph agrees with the dependencies the 10 files declare")),
             qPrintable(d.events.join(QLatin1Char('\n'))));
    for (const QString &w : d.warnings)
        QVERIFY2(!w.contains(QLatin1String("disagree")), qPrintable(w));
}

void TestPgDoctor::inconsistentHistory()
{
    const TestBed::MigratedProject p = project(QStringLiteral("inconsistent"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    const int rows = TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
    QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' "
                                                  "AND name = '0002_auto_20261124_0227'")));
    QString output;
    QVERIFY(!TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--plan")}, &output));
    QVERIFY2(output.contains(QLatin1String("InconsistentMigrationHistory")), qPrintable(output));

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), (QStringList{QStringLiteral("InconsistentHistory: ") + kConv3 + QLatin1Char(' ') + kFlows2,
                                      QStringLiteral("InconsistentHistory: ") + kFlows3 + QLatin1Char(' ') + kFlows2}));
    const Finding &f = d.findings.constFirst();
    QCOMPARE(f.severity, Severity::Error);
    QVERIFY(f.recommendedFix());
    QCOMPARE(f.recommendedFix()->id, QStringLiteral("record-dependency"));
    QVERIFY2(f.evidence.join(QLatin1Char('\n')).contains(QLatin1String("column flows_flow.trigger_keywords")),
             qPrintable(f.evidence.join(QLatin1Char('\n'))));

    // The status table learns the same from the graph.
    StatusResult status = StatusLoader::load(p.config);
    QVERIFY(status.ok());
    const StatusGraphInfo info = StatusEnricher::enrich(&status.snapshot, d.inputs.graph);
    QCOMPARE(info.inconsistent, (QStringList{kConv3, kFlows3}));
    QCOMPARE(info.dependencies.value(kFlows3), (QStringList{kConv3, kFlows2}));

    const Plan plan = d.fixAllPlan();
    const QString preview = PlanRenderer::render(plan);
    QVERIFY2(preview.contains(QLatin1String("INSERT INTO django_migrations")), qPrintable(preview));
    QVERIFY2(preview.contains(QLatin1String("migrate --plan")), qPrintable(preview));
    QVERIFY(!preview.contains(p.db.password));
    const QStringList history = historyRows(p.db);
    run(plan, rows - 1);
    QCOMPARE(int(historyRows(p.db).size()), rows);

    // Recorded once, one second before (to the millisecond QDateTime carries) the earlier of its two dependents.
    const QStringList check = TestBed::queryStrings(
        p.db, QStringLiteral("SELECT count(*), round(extract(epoch FROM min(d.applied) - (SELECT min(applied) FROM django_migrations "
                             "WHERE (app, name) IN (('flows', '0003_flowcontext'), "
                             "('conversations', '0003_message_sent_by_step'))))::numeric, 2) "
                             "FROM django_migrations d WHERE app = 'flows' AND name = '0002_auto_20261124_0227'"));
    QCOMPARE(check, QStringList{QStringLiteral("1|-1")});
    const Diagnosis after = diagnose(p);
    QCOMPARE(summary(after), QStringList());
    migrateSucceeds(p);
    QCOMPARE(TestBed::tableRowCounts(p.db), before);

    // "Undo last change" puts back exactly the rows of before the fix (ids and times included).
    QString error;
    const Plan undo = RestorePlans::undoLast(p.config, PlanOptions(), &error);
    QVERIFY2(!undo.steps.isEmpty(), qPrintable(error));
    QString undoOutput;
    const RunResult undone = PlanExecution::runBlocking(undo, [&](const QString &text, OutputChannel) { undoOutput += text; });
    QVERIFY2(undone.success, qPrintable(undone.message + QLatin1Char('\n') + undone.errorTail + QLatin1Char('\n') + undoOutput));
    QCOMPARE(historyRows(p.db), history);
}

void TestPgDoctor::inconsistentHistoryInDjangosOwnApps()
{
    const TestBed::MigratedProject p = project(QStringLiteral("auth"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'auth' AND name = '0001_initial'")));
    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    const QString auth1 = QStringLiteral("auth.0001_initial");
    QCOMPARE(summary(d), (QStringList{QStringLiteral("InconsistentHistory: admin.0001_initial ") + auth1,
                                      QStringLiteral("InconsistentHistory: auth.0002_alter_permission_name_max_length ") + auth1}));
    // Django's own files are not in the project: the doctor cannot check the tables, so it
    // offers both fixes and chooses neither; "fix all" has nothing to run.
    QVERIFY(!d.findings.constFirst().recommendedFix());
    QVERIFY(d.fixAllPlan().steps.isEmpty());
    // The user picks "record auth.0001_initial as applied".
    const DoctorFix &record = d.findings.constFirst().fixes.constFirst();
    QCOMPARE(record.id, QStringLiteral("record-dependency"));
    run(record.plan, -1);
    QCOMPARE(summary(diagnose(p)), QStringList());
    migrateSucceeds(p);
    QCOMPARE(TestBed::tableRowCounts(p.db), before);
}

void TestPgDoctor::orphanRows()
{
    const TestBed::MigratedProject p = project(QStringLiteral("orphans"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    // Applied on another branch (the file is not here), and an app outside the project that Django
    // does not know here (removed, or not installed): the status calls the latter External, and
    // the doctor's definition of an orphan is the status table's.
    QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO django_migrations (app, name, applied) VALUES "
                                                  "('flows', '0004_from_other_branch', now()), "
                                                  "('billing', '0001_initial', now())")));
    const int rows = TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), QStringList{QStringLiteral("OrphanRows: flows.0004_from_other_branch")});
    QCOMPARE(d.findings.constFirst().recommendedFix()->id, QStringLiteral("delete-orphans"));

    StatusResult status = StatusLoader::load(p.config);
    QVERIFY(status.ok());
    StatusEnricher::enrich(&status.snapshot, d.inputs.graph);
    QHash<QString, MigrationState> states;
    for (const MigrationRow &row : status.snapshot.rows)
        states.insert(row.key(), row.state);
    QCOMPARE(states.value(QStringLiteral("billing.0001_initial")), MigrationState::External);
    QCOMPARE(states.value(QStringLiteral("flows.0004_from_other_branch")), MigrationState::Orphan);

    run(d.fixAllPlan(), rows);
    QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt(), rows - 1);
    QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT app FROM django_migrations WHERE name = '0001_initial' "
                                                        "AND app = 'billing'")),
             QStringList{QStringLiteral("billing")});
    QCOMPARE(summary(diagnose(p)), QStringList());
    migrateSucceeds(p);
    QCOMPARE(TestBed::tableRowCounts(p.db), before);
}

void TestPgDoctor::conflictingLeaves()
{
    const TestBed::MigratedProject p = project(QStringLiteral("conflict"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    const QString migrations = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/");
    QVERIFY(writeFile(migrations + QStringLiteral("0003_flow_note.py"),
                      addFieldMigration(QStringLiteral("0002_auto_20261124_0227"), QStringLiteral("note"))));
    QString output;
    QVERIFY(!TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--plan")}, &output));
    QVERIFY2(output.contains(QLatin1String("Conflicting migrations")), qPrintable(output));

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), (QStringList{QStringLiteral("ConflictingLeaves: flows.0003_flow_note ") + kFlows3,
                                      QStringLiteral("Pending: flows.0003_flow_note")}));
    QCOMPARE(d.findings.constFirst().recommendedFix()->id, QStringLiteral("merge"));
    const int rows = TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
    run(d.fixAllPlan(), rows);

    const QStringList merges = QDir(migrations).entryList({QStringLiteral("0004_merge_*.py")}, QDir::Files);
    QCOMPARE(merges.size(), 1);
    const QString merge = QStringLiteral("flows.") + merges.constFirst().chopped(3);
    // Merged: what remains is applying the two new migrations, which is the user's call.
    QCOMPARE(summary(diagnose(p)), QStringList{QStringLiteral("Pending: flows.0003_flow_note ") + merge});
    migrateSucceeds(p);
    QCOMPARE(summary(diagnose(p)), QStringList());
    QCOMPARE(TestBed::tableRowCounts(p.db), before);
}

void TestPgDoctor::untrackedFilesBlockPull()
{
    const TestBed::MigratedProject p = project(QStringLiteral("untracked"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    const QString bare = m_tmp.filePath(QStringLiteral("remote.git"));
    QString error;
    QVERIFY2(TestBed::initGitRepo(p.dir, bare, &error), qPrintable(error));

    // A teammate commits a new migration upstream ...
    const QProcessEnvironment env = gitEnvironment();
    const QString clone = m_tmp.filePath(QStringLiteral("teammate"));
    QString out;
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("clone"), QStringLiteral("-q"), bare, clone}, QString(), env, &out), 0);
    const QString rel = QStringLiteral("whatsappcrm_backend/flows/migrations/0004_flow_channel.py");
    const QString content = addFieldMigration(QStringLiteral("0003_flowcontext"), QStringLiteral("channel"));
    QVERIFY(writeFile(clone + QLatin1Char('/') + rel, content));
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("add"), rel}, clone, env, &out), 0);
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                                                  QStringLiteral("Add channel")}, clone, env, &out), 0);
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("push"), QStringLiteral("-q")}, clone, env, &out), 0);
    // ... and it was sent around by chat: the same file sits untracked here.
    QVERIFY(writeFile(p.dir + QLatin1Char('/') + rel, content));
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("fetch"), QStringLiteral("-q")}, p.dir, env, &out), 0);
    QVERIFY(TestBed::run(QStringLiteral("git"), {QStringLiteral("pull"), QStringLiteral("--ff-only")}, p.dir, env, &out) != 0);
    QVERIFY2(out.contains(QLatin1String("untracked working tree files would be overwritten")), qPrintable(out));

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), (QStringList{QStringLiteral("Pending: flows.0004_flow_channel"),
                                      QStringLiteral("UntrackedBlocksPull: flows.0004_flow_channel")}));
    const Finding *blocking = d.find(FindingKind::UntrackedBlocksPull);
    QCOMPARE(blocking->evidence, QStringList{QStringLiteral("untracked: %1, also in origin/main").arg(rel)});
    const Plan plan = d.fixAllPlan();
    run(plan, -1);
    const FileStep *move = nullptr;
    for (const PlanStep &s : plan.steps) {
        if (const auto *f = std::get_if<FileStep>(&s))
            move = f;
    }
    QVERIFY(move);
    QVERIFY(!QFile::exists(p.dir + QLatin1Char('/') + rel));
    QVERIFY2(QFile::exists(move->backupDir + QLatin1Char('/') + rel), qPrintable(move->backupDir));

    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("pull"), QStringLiteral("--ff-only"), QStringLiteral("-q")},
                          p.dir, env, &out), 0);
    QVERIFY(QFile::exists(p.dir + QLatin1Char('/') + rel));
    QCOMPARE(summary(diagnose(p)), QStringList{QStringLiteral("Pending: flows.0004_flow_channel")});
    migrateSucceeds(p);
    QCOMPARE(summary(diagnose(p)), QStringList());
    QCOMPARE(TestBed::tableRowCounts(p.db), before);

    // Editing the applied migration afterwards is reported (a warning, no automatic fix).
    QFile f(p.dir + QLatin1Char('/') + rel);
    QVERIFY(f.open(QIODevice::Append));
    f.write("# edited after it was applied\n");
    f.close();
    const Diagnosis edited = diagnose(p);
    QCOMPARE(summary(edited), QStringList{QStringLiteral("ModifiedAppliedMigration: flows.0004_flow_channel")});
    QCOMPARE(edited.findings.constFirst().severity, Severity::Warning);
    QVERIFY(edited.fixAllPlan().steps.isEmpty());
}

void TestPgDoctor::tablesAlreadyExist()
{
    const TestBed::MigratedProject p = project(QStringLiteral("tables"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QStringList before = TestBed::tableRowCounts(p.db);
    QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'customer_data'")));
    QString output;
    QVERIFY(!TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output));
    QVERIFY2(output.contains(QLatin1String("already exists")), qPrintable(output));

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), QStringList{QStringLiteral(
                             "TablesAlreadyExist: customer_data.0001_initial customer_data.0002_customerprofile_contact")});
    const Finding &f = d.findings.constFirst();
    QVERIFY(f.evidence.contains(QStringLiteral("customer_data.0001_initial: in the database: table customer_data_customerprofile")));
    // 0002's column exists too, so --fake-initial (which runs 0002 for real) is not the choice.
    QCOMPARE(f.recommendedFix()->id, QStringLiteral("record-existing"));
    const int rows = TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
    run(d.fixAllPlan(), rows);
    QCOMPARE(summary(diagnose(p)), QStringList());
    migrateSucceeds(p);
    QCOMPARE(TestBed::tableRowCounts(p.db), before);
}

QTEST_GUILESS_MAIN(TestPgDoctor)
#include "tst_pg_doctor.moc"
