// Backups and faults on the real engine, per compose CLI: the verified `pg_dump -Fc` through
// `compose exec -T db`, a dump taken through a real TTY (exec without -T, as hand-written scripts
// do) rejected before anything is deleted, and a daemon that is down or a docker that is missing
// said as such. The "missing" and "down" cases point PATH / DOCKER_HOST elsewhere: no fake.

#include "dockerbed.h"
#include "testbed.h"

#include "doctor/planexecution.h"
#include "operations/operationcatalog.h"
#include "platform/shellquote.h"
#include "project/projectloader.h"
#include "safety/backupstore.h"
#include "safety/safetysteps.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

SqlStep clearHistory(const DbSettings &db)
{
    SqlStep step;
    step.description = QStringLiteral("Clear the history");
    step.db = db;
    step.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations"), {}, false, {}};
    return step;
}

} // namespace

using DockerBed::StackGuard;
using DockerBed::addVariantRows;
using DockerBed::historyRows;

class TestDockerSafety : public QObject
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

    void backupsAndFaults_data() { addVariantRows(); }
    void backupsAndFaults()
    {
        DOCKERBED_REQUIRE();
        QFETCH(int, variant);
        StackGuard g{DockerBed::startStack(m_tmp.path(), QStringLiteral("backups%1").arg(variant), ComposeVariant(variant))};
        const DockerBed::Stack &s = g.stack;
        QVERIFY2(s.ok(), qPrintable(s.error));
        OperationOptions options;

        // A verified dump through `exec -T db`: its TOC names the database, the manifest its hash.
        const RunResult backup = PlanExecution::runBlocking(SafetySteps::backupPlan(s.config, options));
        QVERIFY2(backup.success, qPrintable(backup.message + backup.errorTail));
        const QList<BackupInfo> backups = BackupStore(s.config).list();
        QVERIFY(!backups.isEmpty() && backups.constFirst().complete && backups.constFirst().hasDatabase);
        QFile toc(backups.constFirst().dir + QStringLiteral("/database.toc"));
        QVERIFY(toc.open(QIODevice::ReadOnly));
        const QByteArray list = toc.readAll();
        QVERIFY(list.contains("dbname: whatsappcrm_db"));
        QVERIFY(list.contains("TABLE DATA public flows_flow"));

        // The same dump through a real terminal (exec without -T): the TTY turns \n into \r\n in
        // the binary archive, verification rejects it, and the history is not cleared.
        const int before = historyRows(s.db);
        QVERIFY(before > 20);
        const BackupLocation location = SafetySteps::newBackup(s.config, QStringLiteral("clear-history"));
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.projectRoot = s.config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::databaseBackup(s.config, options, location);
        auto &dump = std::get<ProcessStep>(plan.steps[1]);
        QVERIFY(dump.args.removeOne(QStringLiteral("-T")));
        // util-linux script(1) gives the command a pseudo-terminal, as a user's shell has.
        dump.args = {QStringLiteral("-qefc"), ShellQuote::join(QStringList{dump.program} + dump.args), QStringLiteral("/dev/null")};
        dump.program = QStringLiteral("script");
        dump.service.clear();
        plan.steps << clearHistory(s.db);
        const RunResult mangled = PlanExecution::runBlocking(plan);
        QVERIFY2(!mangled.success, qPrintable(mangled.message));
        QVERIFY2(mangled.failedStep >= 1 && mangled.failedStep < plan.steps.size() - 1, qPrintable(mangled.message));
        qInfo("TTY-mangled dump rejected at step %d: %s", mangled.failedStep + 1, qPrintable(mangled.message));
        QCOMPARE(historyRows(s.db), before);
        QVERIFY(!BackupStore::read(location.dir).complete);
    }

    // A daemon that does not answer and a docker that is not installed: detection falls back and
    // says why, a plan is refused naming docker, and no password appears in what is said.
    void daemonDownAndDockerMissing()
    {
        DOCKERBED_REQUIRE();
        const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("nodaemon"));
        QVERIFY(!dir.isEmpty());
        ComposeCli::setDetected(ComposeVariant::Plugin);
        const QByteArray oldHost = qgetenv("DOCKER_HOST");
        qputenv("DOCKER_HOST", QByteArray("unix://") + m_tmp.path().toUtf8() + "/no-such-docker.sock");
        const ProjectLoadResult down = ProjectDetector::detect(dir);
        OperationOptions options;
        const RunResult run = PlanExecution::runBlocking(OperationCatalog::build(QStringLiteral("showmigrations"), down.config, options));
        if (oldHost.isEmpty())
            qunsetenv("DOCKER_HOST");
        else
            qputenv("DOCKER_HOST", oldHost);
        QVERIFY(!run.success);
        QVERIFY2(run.message.contains(QStringLiteral("Cannot ask compose whether the backend service runs")), qPrintable(run.message));
        QVERIFY2(run.message.contains(QStringLiteral("docker daemon"), Qt::CaseInsensitive), qPrintable(run.message));
        QVERIFY(!run.message.contains(down.config.db.password) || down.config.db.password.size() < 4);

        const QByteArray oldPath = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        ComposeCli::reset();
        bool found = true;
        ComposeCli::detect(&found);
        const ProjectLoadResult missing = ProjectDetector::detect(dir);
        qputenv("PATH", oldPath);
        ComposeCli::reset();
        QVERIFY(!found);
        QVERIFY(missing.ok());
        QVERIFY(missing.config.composeResolvedBy.isEmpty());
        QVERIFY2(missing.warnings.join(u' ').contains(QStringLiteral("neither `docker compose` nor `docker-compose` is installed")),
                 qPrintable(missing.warnings.join(u'\n')));

        // With the test bed's plugin the v2 CLI is found; without its config folder only v1 is.
        bool ok = false;
        QCOMPARE(int(ComposeCli::detect(&ok)), int(ComposeVariant::Plugin));
        QVERIFY(ok);
        const QByteArray oldConfig = qgetenv("DOCKER_CONFIG");
        qputenv("DOCKER_CONFIG", m_tmp.path().toUtf8() + "/empty-docker-config");
        ComposeCli::reset();
        const ComposeVariant withoutPlugin = ComposeCli::detect(&ok);
        qputenv("DOCKER_CONFIG", oldConfig);
        ComposeCli::reset();
        QVERIFY(ok);
        QCOMPARE(int(withoutPlugin), int(ComposeVariant::Standalone));
    }
};

QTEST_GUILESS_MAIN(TestDockerSafety)
#include "tst_docker_safety.moc"
