// The guide on a real Docker engine, once per compose CLI (v2 plugin and v1 docker-compose):
// fixture stacks really run (a postgres:15 stand-in, tagged migrationdesk-testbed/postgres:15, built from Debian's PostgreSQL, the backend
// built on Debian's Django), and every command is the app's own `compose exec -T …`. Checked where
// it lands: rows in the containerised database, files on disk, volumes on the engine, the commit
// on a bare remote. Nothing imitates docker.

#include "dockerbed.h"
#include "guiderun.h"
#include "doctor/planexecution.h"
#include "schema/rehearsal.h"
#include "testbed.h"

#include "cli/runcommand.h"
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "plan/planrenderer.h"
#include "project/projectloader.h"
#include "safety/backupstore.h"
#include "safety/productionguard.h"
#include "safety/restoreplans.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace GuideRun;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString volumeId(const QString &name)
{
    QString out;
    DockerBed::docker({QStringLiteral("volume"), QStringLiteral("inspect"), QStringLiteral("--format"),
                       QStringLiteral("{{.CreatedAt}}"), name}, &out);
    return out.trimmed();
}


} // namespace

using DockerBed::StackGuard;
using DockerBed::addVariantRows;
using DockerBed::historyRows;

class TestDockerGuideOps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QTemporaryDir m_state;

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_state.path().toUtf8());
    }

    // The guide end to end on the engine: reset-migrations with superuser, commit and push, then
    // the full database reset (down, the volume really recreated, up -d, migrate) and the dump
    // taken before it restores the rows.
    void guideResetsOnTheEngine_data() { addVariantRows(); }
    void guideResetsOnTheEngine()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("Hanna CRM \u00fc %1").arg(variant), ComposeVariant(variant))};
        const DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        const ProjectConfig &config = s.config;
        QCOMPARE(config.target, TargetKind::Compose);
        QVERIFY(!config.composeResolvedBy.isEmpty());
        QCOMPARE(config.composeProjectName, s.project);
        QCOMPARE(config.db.port, s.db.port);
        const DbSettings &db = s.db;
        QVERIFY(TestBed::execSql(db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                     "VALUES ('marker', '', true, '[]')")));
        const QString remote = m_tmp.path() + QStringLiteral("/remote %1.git").arg(variant);
        QString error;
        QVERIFY2(TestBed::initGitRepo(s.dir, remote, &error), qPrintable(error));
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();

        OperationOptions options = superuserOptions();
        options.values.insert(GuideOption::Superuser, QStringLiteral("1"));
        options.values.insert(GuideOption::Commit, QStringLiteral("1"));
        options.values.insert(GuideOption::Push, QStringLiteral("1"));
        Outcome o = runOperation(QStringLiteral("reset-migrations"), config, options, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        const QString rendered = PlanRenderer::render(o.plan);
        QVERIFY(rendered.contains(QStringLiteral("exec -T")));
        // No -f and no -p: compose finds the same files and name as the user's own commands.
        QVERIFY2(!rendered.contains(QRegularExpression(QStringLiteral("compose (-f|-p) "))), qPrintable(rendered));
        // The fake was proven first: regenerated in a one-off container on a copy, migrated on a
        // scratch database of the db service's server, compared, dropped.
        QVERIFY2(rendered.contains(QStringLiteral("Check that the tables match what the regenerated migrations create")), qPrintable(rendered));
        QVERIFY2(o.text.contains(QStringLiteral("flows.0001_initial: matches")), qPrintable(o.text));
        QVERIFY2(o.text.contains(QRegularExpression(QStringLiteral("Scratch database \\S+_mdcheck_[0-9_]+ dropped"))), qPrintable(o.text));
        verifyRegenerated(s.dir, db);
        QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT username FROM auth_user WHERE is_superuser")),
                 QStringList{QStringLiteral("admin")});
        QVERIFY(!o.text.contains(kSuperPassword));
        const QString pushed = git({QStringLiteral("--git-dir"), remote, QStringLiteral("log"), QStringLiteral("-1"),
                                    QStringLiteral("--format=%s"), QStringLiteral("main")}, QString());
        QCOMPARE(pushed, GuideOption::DefaultCommitMessage);

        // A rehearsal of migrate on the engine: the db container copies the database into a
        // scratch one, a one-off backend container migrates it from a copy of the backend.
        const Plan migrate = OperationCatalog::build(QStringLiteral("migrate"), config, OperationOptions());
        QString rehearsed;
        const RunResult rehearsal = PlanExecution::runBlocking(Rehearsal::plan(config, migrate),
                                                               [&](const QString &text, OutputChannel) { rehearsed += text; });
        QVERIFY2(rehearsal.exitCode == 0, qPrintable(rehearsal.message + rehearsed));
        QVERIFY2(rehearsed.contains(QStringLiteral("Rehearsal passed: 1 step(s)")), qPrintable(rehearsed));
        QVERIFY2(rehearsed.contains(QStringLiteral("No migrations to apply")), qPrintable(rehearsed));

        // The volume is found by compose's labels, removed and made anew by `up -d`.
        const GuideFacts found = GuideFactsReader::read(QStringLiteral("reset-database"), config, OperationOptions(), env);
        const QString volume = s.project + QStringLiteral("_postgres_data");
        QCOMPARE(found.postgresVolumes, QStringList{volume});
        const QString createdBefore = volumeId(volume);
        QVERIFY(!createdBefore.isEmpty());
        QTest::qWait(1100); // CreatedAt has a resolution of one second
        o = runOperation(QStringLiteral("reset-database"), config, superuserOptions(), env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QVERIFY(o.text.contains(QStringLiteral("accepts connections")));
        const QString createdAfter = volumeId(volume);
        QVERIFY2(!createdAfter.isEmpty() && createdAfter != createdBefore, qPrintable(createdBefore + QStringLiteral(" / ") + createdAfter));
        QVERIFY(TestBed::queryStrings(db, QStringLiteral("SELECT name FROM flows_flow")).isEmpty());
        QCOMPARE(appRows(db).size(), 5); // the regenerated migrations, applied on the empty database
        QVERIFY(TestBed::queryStrings(db, QStringLiteral("SELECT username FROM auth_user")).isEmpty());

        // Undo: the verified dump taken before the reset puts every row back, through the engine.
        const BackupInfo backup = BackupStore(config).lastDestructive();
        QCOMPARE(backup.operation, QStringLiteral("reset-database"));
        QVERIFY(backup.complete && backup.hasDatabase);
        QString error2;
        const Plan undo = RestorePlans::undoLast(config, OperationOptions(), &error2);
        QVERIFY2(!undo.id.isEmpty(), qPrintable(error2));
        const RunResult restored = PlanExecution::runBlocking(undo);
        QVERIFY2(restored.success, qPrintable(restored.message + restored.errorTail));
        QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT name FROM flows_flow")), QStringList{QStringLiteral("marker")});
        QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT username FROM auth_user WHERE is_superuser")),
                 QStringList{QStringLiteral("admin")});
        verifyRegenerated(s.dir, db);
    }

    // Container truth before work: with the backend stopped, reset-migrations refuses in its
    // pre-flight, names the service and the command that starts it, and changes nothing.
    void stoppedBackendChangesNothing_data() { addVariantRows(); }
    void stoppedBackendChangesNothing()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("stopped%1").arg(variant), ComposeVariant(variant))};
        const DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        QVERIFY(DockerBed::compose(s, {QStringLiteral("stop"), QStringLiteral("backend")}) == 0);
        const int rowsBefore = historyRows(s.db);
        const QStringList filesBefore = migrationFiles(s.dir);
        QVERIFY(rowsBefore > 20 && !filesBefore.isEmpty());

        Outcome o = runOperation(QStringLiteral("reset-migrations"), s.config, OperationOptions(), QProcessEnvironment::systemEnvironment());
        QVERIFY2(!o.result.success, qPrintable(describe(o)));
        const QString said = o.result.message + o.blockers.join(QLatin1Char(' '));
        QVERIFY2(said.contains(QStringLiteral("backend service is not running")), qPrintable(describe(o)));
        QVERIFY2(said.contains(QStringLiteral("up -d backend")), qPrintable(describe(o)));
        QCOMPARE(historyRows(s.db), rowsBefore);
        QCOMPARE(migrationFiles(s.dir), filesBefore);

        // A read-only operation says the same instead of "exit code 1".
        o = runOperation(QStringLiteral("showmigrations"), s.config, OperationOptions(), QProcessEnvironment::systemEnvironment());
        QVERIFY(!o.result.success);
        QVERIFY2(o.result.message.contains(QStringLiteral("backend service is not running")), qPrintable(describe(o)));

        // --start-services brings it up first, then the operation runs in it.
        QCOMPARE(runOperationCommand({QStringLiteral("showmigrations"), QStringLiteral("--project"), s.dir,
                                      QStringLiteral("--start-services")}), 0);
        QString running;
        QCOMPARE(DockerBed::compose(s, {QStringLiteral("ps"), QStringLiteral("--services"), QStringLiteral("--filter"),
                                        QStringLiteral("status=running")}, &running), 0);
        QVERIFY2(running.split(QLatin1Char('\n')).contains(QStringLiteral("backend")), qPrintable(running));
    }

    // Two checkouts with the same compose project name: the doctor of the second must not read
    // Django's graph from the first one's container.
    void doctorRefusesAnotherCheckoutsContainer_data() { addVariantRows(); }
    void doctorRefusesAnotherCheckoutsContainer()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        QDir(m_tmp.path()).mkpath(QStringLiteral("a%1").arg(variant));
        QDir(m_tmp.path()).mkpath(QStringLiteral("b%1").arg(variant));
        StackGuard g{DockerBed::startStack(m_tmp.path() + QStringLiteral("/a%1").arg(variant), QStringLiteral("hanna"), ComposeVariant(variant))};
        QVERIFY2(g.stack.ok(), qPrintable(g.stack.error));
        DockerBed::StackOptions second;
        second.start = false;
        second.projectName = g.stack.project;
        const DockerBed::Stack other = DockerBed::startStack(m_tmp.path() + QStringLiteral("/b%1").arg(variant), QStringLiteral("hanna"),
                                                             ComposeVariant(variant), second);
        QVERIFY2(other.ok(), qPrintable(other.error));
        ProjectConfig config = other.config;
        config.db = g.stack.db; // the same database server (what status reads)

        const Diagnosis d = MigrationDoctor::diagnose(config, DoctorOptions());
        QVERIFY2(d.error.contains(QStringLiteral("another checkout")), qPrintable(d.error));
        QVERIFY2(d.error.contains(TestBed::backendDir(g.stack.dir)), qPrintable(d.error));

        // Its own checkout is served by that container: the doctor runs.
        const Diagnosis own = MigrationDoctor::diagnose(g.stack.config, DoctorOptions());
        QVERIFY2(own.error.isEmpty(), qPrintable(own.error));
        QVERIFY(own.inputs.graph.size() > 20);
    }

    // Compose resolves the project: an override file that alone publishes the db port, and
    // COMPOSE_PROJECT_NAME from .env, are what the app sees and what its commands reach.
    void overrideFileAndProjectNameHonoured_data() { addVariantRows(); }
    void overrideFileAndProjectNameHonoured()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        DockerBed::StackOptions options;
        options.start = false;
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("override%1").arg(variant), ComposeVariant(variant), options)};
        DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        QByteArray base = readFile(s.dir + QStringLiteral("/docker-compose.yml"));
        QVERIFY(base.contains("      - \"${DB_HOST_PORT:-5432}:5432\"\n"));
        base.replace("    ports:\n      - \"${DB_HOST_PORT:-5432}:5432\"\n", "");
        QVERIFY(writeFile(s.dir + QStringLiteral("/docker-compose.yml"), base));
        QVERIFY(writeFile(s.dir + QStringLiteral("/docker-compose.override.yml"),
                          "services:\n  db:\n    ports:\n      - \"127.0.0.1:${DB_HOST_PORT}:5432\"\n"
                          "  backend:\n    environment:\n      DJANGO_DEBUG: \"False\"\n"));

        const ProjectLoadResult detected = ProjectDetector::detect(s.dir);
        QVERIFY2(detected.ok(), qPrintable(detected.errors.join(u'\n')));
        const ProjectConfig &config = detected.config;
        QVERIFY(!config.composeResolvedBy.isEmpty());
        QCOMPARE(config.db.port, s.db.port);
        QCOMPARE(config.composeProjectName, s.project);
        for (const QString &w : detected.warnings)
            QVERIFY2(!w.contains(QStringLiteral("publishes no port")), qPrintable(w));
        QVERIFY2(ProductionGuard::reasons(config).join(u' ').contains(QStringLiteral("DJANGO_DEBUG=False")),
                 qPrintable(ProductionGuard::reasons(config).join(u' ')));

        // The app's own commands reach the override's stack: up, then showmigrations through it.
        QString out;
        QVERIFY2(DockerBed::compose(s, {QStringLiteral("up"), QStringLiteral("-d")}, &out) == 0, qPrintable(out));
        QVERIFY(DockerBed::waitForDatabase(s.db));
        const Outcome o = runOperation(QStringLiteral("showmigrations"), config, OperationOptions(), QProcessEnvironment::systemEnvironment());
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QVERIFY2(o.text.contains(QStringLiteral("[ ] 0001_initial")), qPrintable(o.text.right(2000)));
    }

    // A db service that publishes no port: the app reaches PostgreSQL at the container's address
    // on the compose network, says so, and the guard still knows it is this machine.
    void unpublishedDbPortUsesTheContainerAddress_data() { addVariantRows(); }
    void unpublishedDbPortUsesTheContainerAddress()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        DockerBed::StackOptions options;
        options.start = false;
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("unpublished%1").arg(variant), ComposeVariant(variant), options)};
        DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        QByteArray base = readFile(s.dir + QStringLiteral("/docker-compose.yml"));
        base.replace("    ports:\n      - \"${DB_HOST_PORT:-5432}:5432\"\n", "");
        QVERIFY(writeFile(s.dir + QStringLiteral("/docker-compose.yml"), base));
        QString out;
        QVERIFY2(DockerBed::compose(s, {QStringLiteral("up"), QStringLiteral("-d"), QStringLiteral("db")}, &out) == 0, qPrintable(out));

        ProjectLoadResult detected;
        // The container gets its address when it starts; the server accepts a little later.
        QTRY_VERIFY_WITH_TIMEOUT((detected = ProjectDetector::detect(s.dir)).config.dbViaContainerAddress, 30000);
        const ProjectConfig &config = detected.config;
        QVERIFY2(config.db.host.startsWith(QStringLiteral("172.")) || config.db.host.startsWith(QStringLiteral("192.168.")),
                 qPrintable(config.db.host));
        QCOMPARE(config.db.port, 5432);
        QVERIFY2(detected.warnings.join(u' ').contains(QStringLiteral("container's address")), qPrintable(detected.warnings.join(u'\n')));
        QVERIFY(DockerBed::waitForDatabase(config.db));
        QCOMPARE(TestBed::queryStrings(config.db, QStringLiteral("SELECT current_database()")), QStringList{QStringLiteral("whatsappcrm_db")});
        QVERIFY2(!ProductionGuard::reasons(config).join(u' ').contains(QStringLiteral("not this machine")),
                 qPrintable(ProductionGuard::reasons(config).join(u' ')));
    }

    // Shaped like the real Hanna tree: container_name on every service, a redis service whose
    // image is not on this machine, the backend's env_file ./whatsappcrm_backend/.env.prod, and
    // migrations gitignored. The production signal is seen, and a database reset refuses before
    // it removes anything because the stack could not come back up.
    void hannaShapedStack_data() { addVariantRows(); }
    void hannaShapedStack()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        DockerBed::StackOptions options;
        options.start = false;
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("hannashaped%1").arg(variant), ComposeVariant(variant), options)};
        DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        QByteArray compose = readFile(s.dir + QStringLiteral("/docker-compose.yml"));
        const QByteArray container = s.project.toUtf8();
        compose.replace("  db:\n    image: ${DB_IMAGE:-postgres:15}\n", "  db:\n    image: migrationdesk-testbed/postgres:15-alpine\n    container_name: " + container + "_db\n");
        compose.replace("  backend:\n    build: ./whatsappcrm_backend\n",
                        "  redis:\n    image: redis:7-alpine\n    container_name: " + container + "_redis\n"
                        "  backend:\n    build: ./whatsappcrm_backend\n    container_name: " + container + "_backend_app\n");
        compose.replace("    env_file: .env\n", "    env_file:\n      - ./whatsappcrm_backend/.env.prod\n");
        QVERIFY(writeFile(s.dir + QStringLiteral("/docker-compose.yml"), compose));
        QVERIFY(writeFile(s.dir + QStringLiteral("/whatsappcrm_backend/.env.prod"),
                          readFile(s.dir + QStringLiteral("/.env")).replace("DEBUG=True", "DJANGO_DEBUG=False\nDEBUG=False")
                              .replace("ALLOWED_HOSTS=localhost,127.0.0.1", "ALLOWED_HOSTS=crm.hanna.example,localhost")));
        QVERIFY(writeFile(s.dir + QStringLiteral("/.gitignore"), "**/migrations/*.py\n!**/migrations/__init__.py\n"));

        QString out;
        // redis cannot start (its image is missing): bring up what can run, as a user would.
        QVERIFY2(DockerBed::compose(s, {QStringLiteral("up"), QStringLiteral("-d"), QStringLiteral("db"), QStringLiteral("backend")}, &out) == 0,
                 qPrintable(out));
        QVERIFY(DockerBed::waitForDatabase(s.db));
        QVERIFY2(DockerBed::compose(s, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("backend"), QStringLiteral("python"),
                                        QStringLiteral("manage.py"), QStringLiteral("migrate")}, &out) == 0, qPrintable(out));

        ProjectLoadResult detected = ProjectDetector::detect(s.dir);
        QVERIFY2(detected.ok(), qPrintable(detected.errors.join(u'\n')));
        const ProjectConfig config = detected.config;
        QCOMPARE(config.backendContainer, s.project + QStringLiteral("_backend_app"));
        const QString reasons = ProductionGuard::reasons(config).join(u' ');
        QVERIFY2(reasons.contains(QStringLiteral(".env.prod")), qPrintable(reasons));
        QVERIFY2(reasons.contains(QStringLiteral("crm.hanna.example")), qPrintable(reasons));

        // Past the guard (a development copy whose profile allows it), the reset stops in its
        // pre-flight on the missing image, before the volume is touched.
        const QString volume = s.project + QStringLiteral("_postgres_data");
        const QString createdBefore = volumeId(volume);
        QVERIFY(!createdBefore.isEmpty());
        const int rowsBefore = historyRows(s.db);
        const Outcome o = runOperation(QStringLiteral("reset-database"), config, superuserOptions(),
                                       QProcessEnvironment::systemEnvironment());
        QVERIFY2(!o.result.success, qPrintable(describe(o)));
        QVERIFY2(o.result.message.contains(QStringLiteral("redis:7-alpine")) && o.result.message.contains(QStringLiteral("pull redis")),
                 qPrintable(describe(o)));
        QCOMPARE(volumeId(volume), createdBefore);
        QCOMPARE(historyRows(s.db), rowsBefore);
    }
};

QTEST_GUILESS_MAIN(TestDockerGuideOps)
#include "tst_docker_guideops.moc"
