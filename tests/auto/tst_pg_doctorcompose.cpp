// The migration doctor through the Compose target, as users run it: every Django and psql
// command goes `docker compose -f FILE -p NAME exec -T SERVICE …`. The fake docker CLI (first
// on PATH) runs those commands locally against the real test PostgreSQL and Django, so a
// command the doctor builds wrong (service, working dir, environment) fails here.
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "ops/planrenderer.h"
#include "ops/shellquote.h"
#include "safety/backupstore.h"
#include "testbed.h"

#include <QtTest>

namespace {

const QString kFlows2 = QStringLiteral("flows.0002_auto_20261124_0227");
const QString kFlows3 = QStringLiteral("flows.0003_flowcontext");
const QString kConv3 = QStringLiteral("conversations.0003_message_sent_by_step");
const QString kDeleteFlows2 = QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' AND name = '0002_auto_20261124_0227'");

QStringList summary(const Diagnosis &d)
{
    QStringList list;
    for (const Finding &f : d.findings)
        list << findingKindName(f.kind) + QStringLiteral(": ") + f.migrations.join(QLatin1Char(' '));
    return list;
}

int rowCount(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
}

const QStringList kInconsistent = {QStringLiteral("InconsistentHistory: ") + kConv3 + QLatin1Char(' ') + kFlows2,
                                   QStringLiteral("InconsistentHistory: ") + kFlows3 + QLatin1Char(' ') + kFlows2};

} // namespace

class TestPgDoctorCompose : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void inconsistentHistoryThroughCompose();
    void daemonDownIsAnErrorWithoutThePassword();
    void cliThroughCompose();
    void cleanupTestCase();

private:
    Diagnosis diagnose(const ProjectConfig &config);
    int cli(const QString &projectDir, const QStringList &extra, QByteArray *out, QByteArray *err);

    QTemporaryDir m_tmp;
    QStringList m_databases;
};

void TestPgDoctorCompose::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
    QVERIFY(m_tmp.isValid());
    // Every process the doctor and the runner start inherits this: docker is the fake, and the
    // fake finds the shared cluster (it refuses to stop or wipe it).
    const QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    for (const QString &name : {QStringLiteral("PATH"), QStringLiteral("FAKE_DOCKER_PG_DIR"), QStringLiteral("MIGRATIONDESK_TESTBED")})
        qputenv(name.toLatin1().constData(), env.value(name).toLocal8Bit());
    qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(m_tmp.filePath(QStringLiteral("state"))));
    qunsetenv("FAKE_DOCKER_NO_DAEMON");
}

Diagnosis TestPgDoctorCompose::diagnose(const ProjectConfig &config)
{
    DoctorOptions options;
    options.composeVariant = ComposeVariant::Plugin;
    options.backupsDir = m_tmp.filePath(QStringLiteral("backups/") + QFileInfo(config.root).fileName());
    return MigrationDoctor::diagnose(config, options);
}

void TestPgDoctorCompose::inconsistentHistoryThroughCompose()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("compose doctor"));
    m_databases << p.dbName;
    QVERIFY2(p.ok(), qPrintable(p.error));
    const ProjectConfig config = TestBed::composeConfig(p.dir, p.db);
    QCOMPARE(config.target, TargetKind::Compose);

    const Diagnosis healthy = diagnose(config);
    QVERIFY2(healthy.ok(), qPrintable(healthy.error));
    QCOMPARE(summary(healthy), QStringList());
    QCOMPARE(healthy.inputs.graph.size(), 28); // Django's graph came back through `compose exec`

    const QStringList before = TestBed::tableRowCounts(p.db);
    const int rows = rowCount(p.db);
    QVERIFY(TestBed::execSql(p.db, kDeleteFlows2));

    const Diagnosis d = diagnose(config);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QCOMPARE(summary(d), kInconsistent);
    QVERIFY(d.findings.constFirst().recommendedFix());
    QCOMPARE(d.findings.constFirst().recommendedFix()->id, QStringLiteral("record-dependency"));

    const Plan plan = d.fixAllPlan();
    QVERIFY(!plan.steps.isEmpty());
    const QString preview = PlanRenderer::render(plan);
    // The folder name has a space: the preview quotes it as a shell would need.
    const QString compose = QStringLiteral("docker compose -f %1 -p %2 exec -T")
                                .arg(ShellQuote::quote(config.composeFile), config.composeProjectName);
    QVERIFY2(preview.contains(compose), qPrintable(preview));
    // The verification goes through manage.py in the backend container; the snapshot (the safety
    // net's history backup) and the repair itself are bound SQL on the published port.
    QVERIFY2(!preview.contains(QLatin1String("exec -T db psql")), qPrintable(preview));
    QVERIFY2(preview.contains(QLatin1String("FROM django_migrations ORDER BY id")), qPrintable(preview));
    QVERIFY2(preview.contains(QLatin1String("exec -T -w /app backend python -u manage.py migrate --plan")), qPrintable(preview));
    QVERIFY2(preview.contains(QLatin1String("INSERT INTO django_migrations")), qPrintable(preview));
    QVERIFY2(!preview.contains(p.db.password), qPrintable(preview));
    // Both findings recommend the same row: the transaction inserts and names it once.
    QCOMPARE(int(preview.count(QStringLiteral("Record %1 as applied").arg(kFlows2))), 1);
    QCOMPARE(int(preview.count(QLatin1String("INSERT INTO django_migrations"))), 1);
    QVERIFY(DoctorPlans::isSnapshotStep(plan.steps.constFirst()));
    QVERIFY(!plan.backupDir.isEmpty());

    QString output;
    const RunResult r = PlanExecution::runBlocking(plan, [&](const QString &text, OutputChannel) { output += text; });
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    QVERIFY(!output.contains(p.db.password));

    // The snapshot is in the plan's backup folder as JSON, one object per row before the fix.
    QFile file(DoctorPlans::snapshotPath(plan));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    QCOMPARE(int(doc.object().value(QStringLiteral("rows")).toArray().size()), rows - 1);
    // ... and the Backups panel lists it as the change to undo.
    const BackupInfo last = BackupStore(config).lastDestructive();
    QCOMPARE(last.dir, plan.backupDir);
    QCOMPARE(last.operation, QStringLiteral("doctor-fix"));
    QVERIFY(last.complete && last.hasHistory);

    QCOMPARE(rowCount(p.db), rows);
    const Diagnosis after = diagnose(config);
    QVERIFY2(after.ok(), qPrintable(after.error));
    QCOMPARE(summary(after), QStringList());
    QString migrateOutput;
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &migrateOutput),
             qPrintable(migrateOutput));
    QCOMPARE(TestBed::tableRowCounts(p.db), before);
}

void TestPgDoctorCompose::daemonDownIsAnErrorWithoutThePassword()
{
    // Proves the graph is read through the target: with the daemon down there is no graph.
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("compose daemon"));
    m_databases << p.dbName;
    QVERIFY2(p.ok(), qPrintable(p.error));
    qputenv("FAKE_DOCKER_NO_DAEMON", "1");
    const Diagnosis d = diagnose(TestBed::composeConfig(p.dir, p.db));
    qunsetenv("FAKE_DOCKER_NO_DAEMON");
    QVERIFY(!d.ok());
    QVERIFY2(d.error.contains(QLatin1String("showmigrations")) && d.error.contains(QLatin1String("Docker daemon")),
             qPrintable(d.error));
    QVERIFY(!d.error.contains(p.db.password));
}

int TestPgDoctorCompose::cli(const QString &projectDir, const QStringList &extra, QByteArray *out, QByteArray *err)
{
    QProcess process;
    QProcessEnvironment env = TestBed::fakeDockerEnvironment();
    env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), m_tmp.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(MIGRATIONDESK_BINARY),
                  QStringList{QStringLiteral("doctor"), QStringLiteral("--project"), projectDir, QStringLiteral("--target"),
                              QStringLiteral("compose")}
                      + extra);
    if (!process.waitForFinished(240000))
        return -1;
    *out = process.readAllStandardOutput();
    *err = process.readAllStandardError();
    return process.exitCode();
}

void TestPgDoctorCompose::cliThroughCompose()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("compose cli"));
    m_databases << p.dbName;
    QVERIFY2(p.ok(), qPrintable(p.error));
    QByteArray out, err;
    QCOMPARE(cli(p.dir, {QStringLiteral("--json")}, &out, &err), 0);
    QVERIFY2(QJsonDocument::fromJson(out).object().value(QStringLiteral("healthy")).toBool(), out.constData());

    QVERIFY(TestBed::execSql(p.db, kDeleteFlows2));
    const int code = cli(p.dir, {QStringLiteral("--json")}, &out, &err);
    QVERIFY2(code == 1, err.constData());
    const QJsonObject report = QJsonDocument::fromJson(out).object();
    QStringList kinds;
    for (const QJsonValue &f : report.value(QStringLiteral("findings")).toArray())
        kinds << f.toObject().value(QStringLiteral("kind")).toString();
    QCOMPARE(kinds, (QStringList{QStringLiteral("InconsistentHistory"), QStringLiteral("InconsistentHistory")}));
    QVERIFY(!out.contains(p.db.password.toUtf8()));
    QVERIFY(!err.contains(p.db.password.toUtf8()));

    // Preview only: the plan runs the Django part in the container, the snapshot (the safety
    // net's history backup) and the repair as bound SQL on the published port.
    QCOMPARE(cli(p.dir, {QStringLiteral("--fix"), QStringLiteral("--json")}, &out, &err), 2);
    const QString fixPlan = QJsonDocument::fromJson(out).object().value(QStringLiteral("fixPlan")).toString();
    QVERIFY2(fixPlan.contains(QLatin1String("exec -T -w /app backend python -u manage.py migrate --plan")), qPrintable(fixPlan));
    QVERIFY2(!fixPlan.contains(QLatin1String("exec -T db psql")), qPrintable(fixPlan));
    QVERIFY2(fixPlan.contains(QLatin1String("django_migrations.json")), qPrintable(fixPlan));
    QVERIFY2(fixPlan.contains(QLatin1String("INSERT INTO django_migrations")), qPrintable(fixPlan));
    QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows' "
                                                        "AND name = '0002_auto_20261124_0227'")),
             QStringList{QStringLiteral("0")});

    QVERIFY2(cli(p.dir, {QStringLiteral("--fix"), QStringLiteral("--yes"), QStringLiteral("--json")}, &out, &err) == 0,
             err.constData());
    QVERIFY2(QJsonDocument::fromJson(out).object().value(QStringLiteral("healthy")).toBool(), out.constData());
    QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows' "
                                                        "AND name = '0002_auto_20261124_0227'")),
             QStringList{QStringLiteral("1")});
    QString migrateOutput;
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &migrateOutput),
             qPrintable(migrateOutput));
}

void TestPgDoctorCompose::cleanupTestCase()
{
    for (const QString &name : std::as_const(m_databases)) {
        if (!name.isEmpty())
            TestBed::dropDatabase(name);
    }
}

QTEST_GUILESS_MAIN(TestPgDoctorCompose)
#include "tst_pg_doctorcompose.moc"
