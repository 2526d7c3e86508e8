// The safety net against the real test bed, with faults injected: verified backups (a truncated
// and a TTY-mangled dump are rejected before anything is deleted), restores (database row
// counts, history rows, file checksums), pre-flight refusals, the production guard, the
// one-instance lock across a kill -9, a kill during the DELETE transaction, and the journal.
//
// This executable doubles as its own helper child (--hold-lock, --run-plan): the fault tests
// need a real process to SIGKILL. (Runs as QTEST_GUILESS_MAIN would: QCoreApplication.)

#include "testbed.h"

#include "safety/guardedrunner.h"
#include "safety/backupstore.h"
#include "platform/filechecksum.h"
#include "safety/preflight.h"
#include "safety/productionguard.h"
#include "safety/projectlock.h"
#include "safety/restoreplans.h"
#include "safety/runjournal.h"
#include "safety/safetysteps.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

RunResult runPlan(const Plan &plan, const QProcessEnvironment &env = QProcessEnvironment(), int fromStep = 0,
                  QString *output = nullptr)
{
    GuardedRunner runner;
    if (!env.isEmpty())
        runner.setEnvironment(env);
    runner.setMaskedTextEnabled(true);
    QString text;
    QObject::connect(&runner, &PlanRunner::maskedText, [&](const QString &t, OutputChannel) { text += t; });
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan, fromStep) || !finished.wait(180000))
        return RunResult();
    if (output)
        *output = text;
    return finished.constFirst().constFirst().value<RunResult>();
}

QString describe(const RunResult &r)
{
    return r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + r.problems.join(QLatin1Char('\n'));
}

// Every user table with its row count: "schema.table=N", sorted.
QStringList rowCounts(const DbSettings &db)
{
    const QStringList tables = TestBed::queryStrings(db, QStringLiteral(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"));
    QStringList counts;
    for (const QString &table : tables) {
        const QStringList n = TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM %1").arg(table));
        counts << table + QLatin1Char('=') + n.value(0);
    }
    return counts;
}

int historyCount(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
}

SqlStep clearHistory(const DbSettings &db, bool slow = false)
{
    SqlStep step;
    step.description = QStringLiteral("Delete all rows of django_migrations");
    step.db = db;
    if (slow) // the server notices a dead client while the statement still runs
        step.statements << SqlStatement{QStringLiteral("SELECT set_config('client_connection_check_interval', '100ms', true)"), {}, false, {}};
    step.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations"), {}, false, {}};
    if (slow)
        step.statements << SqlStatement{QStringLiteral("SELECT pg_sleep(60)"), {}, false, {}};
    return step;
}

QString migrationFilesOf(const QString &root, QStringList *relative)
{
    QDirIterator it(root, {QStringLiteral("*.py")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(QStringLiteral("/migrations/")) && !path.endsWith(QStringLiteral("__init__.py")))
            *relative << QDir(root).relativeFilePath(path);
    }
    relative->sort();
    return QString();
}

ProjectConfig configFromArgs(const QStringList &args)
{
    // root, host, port, name, user; the password comes in the environment.
    ProjectConfig config = TestBed::localConfig(args.value(0), args.value(3));
    config.db.host = args.value(1);
    config.db.port = args.value(2).toInt();
    config.db.user = args.value(4);
    config.db.password = qEnvironmentVariable("MIGRATIONDESK_DB_PASSWORD");
    return config;
}

// Helper child: holds the project lock until killed.
int holdLock(const QStringList &args)
{
    ProjectLock lock;
    const ProjectLock::Result result = lock.acquire(configFromArgs(args));
    std::printf("%s\n", result == ProjectLock::Result::Acquired ? "LOCKED" : "REFUSED");
    std::fflush(stdout);
    if (result != ProjectLock::Result::Acquired)
        return 1;
    for (;;)
        QThread::sleep(1);
}

// Helper child: runs the slow DELETE transaction (journaled) until killed.
int runSlowDelete(const QStringList &args)
{
    const ProjectConfig config = configFromArgs(args);
    Plan plan;
    plan.id = QStringLiteral("clear-history");
    plan.title = QStringLiteral("Clear migration history");
    plan.projectRoot = config.root;
    plan.destructive = true; // journaled, and pre-flight checked, as the real operation
    plan.steps << clearHistory(config.db, true);
    plan.addSecret(config.db.password);
    GuardedRunner runner;
    runner.setLogPath(QStringLiteral("-"));
    QObject::connect(&runner, &PlanRunner::finished, qApp, &QCoreApplication::quit);
    runner.start(plan);
    return QCoreApplication::exec();
}

} // namespace

class TestPgSafety : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;

    QStringList childArgs(const ProjectConfig &config) const
    {
        return {config.root, config.db.host, QString::number(config.db.port), config.db.name, config.db.user};
    }

    QProcess *startChild(const QString &mode, const ProjectConfig &config, const QString &stateDir)
    {
        auto *child = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), stateDir);
        env.insert(QStringLiteral("MIGRATIONDESK_DB_PASSWORD"), config.db.password);
        child->setProcessEnvironment(env);
        child->start(QCoreApplication::applicationFilePath(), QStringList{mode} + childArgs(config));
        return child;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
        QVERIFY2(TestBed::available(), "the test PostgreSQL cluster is not running (CTest fixture pg)");
        m_project = TestBed::migratedProject(m_tmp.filePath(QStringLiteral("Sicher \u00e4 projekt")));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
        // Rows in more than one table, so a restore has something to bring back.
        QString error;
        QVERIFY2(TestBed::execSql(m_project.db, QStringLiteral(
                     "CREATE TABLE safety_notes (id serial PRIMARY KEY, body text NOT NULL);"
                     "INSERT INTO safety_notes (body) SELECT 'note ' || g FROM generate_series(1, 500) g;"
                     "INSERT INTO auth_group (name) SELECT 'group ' || g FROM generate_series(1, 7) g;"), &error),
                 qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

    // Through `compose exec -T db` in tst_docker_safety.
    void verifiedBackup()
    {
        const ProjectConfig config = m_project.config;
        const Plan plan = SafetySteps::backupPlan(config, PlanOptions());
        const RunResult result = runPlan(plan, QProcessEnvironment());
        QVERIFY2(result.success, qPrintable(describe(result)));
        const QList<BackupInfo> backups = BackupStore(config).list();
        QVERIFY(!backups.isEmpty());
        const BackupInfo &b = backups.constFirst();
        QVERIFY(b.complete);
        QVERIFY(b.hasDatabase);
        QCOMPARE(b.operation, QStringLiteral("backup"));
        QCOMPARE(b.databaseName, m_project.dbName);
        QVERIFY(b.size > 1000);
        QFile toc(b.dir + QStringLiteral("/database.toc"));
        QVERIFY(toc.open(QIODevice::ReadOnly));
        const QByteArray list = toc.readAll();
        QVERIFY(list.contains("dbname: " + m_project.dbName.toUtf8()));
        QVERIFY(list.contains("TABLE DATA public safety_notes"));
        QFile manifest(b.dir + QStringLiteral("/manifest.json"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QByteArray m = manifest.readAll();
        QVERIFY(m.contains(FileChecksum::sha256(b.dir + QStringLiteral("/database.dump"))));
        QVERIFY(!m.contains(m_project.db.password.toUtf8()) || m_project.db.password.size() < 4);
    }

    void truncatedDumpIsRejectedAndNothingDeleted()
    {
        const int before = historyCount(m_project.db);
        QVERIFY(before > 10);
        const ProjectConfig &config = m_project.config;
        const BackupLocation backup = SafetySteps::newBackup(config, QStringLiteral("clear-history"));
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.projectRoot = config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::databaseBackup(config, PlanOptions(), backup);
        // Fault: the dump loses its second half right after pg_dump wrote it (disk full, killed copy).
        CallStep cut;
        cut.description = QStringLiteral("fault: truncate the dump");
        const QString dump = backup.dir + QStringLiteral("/database.dump");
        cut.run = [dump](const CallContext &) {
            QFile f(dump);
            return f.resize(f.size() / 2) ? QString() : QStringLiteral("cannot truncate");
        };
        plan.steps.insert(2, cut);
        plan.steps << clearHistory(config.db);
        const RunResult result = runPlan(plan);
        QVERIFY2(!result.success, qPrintable(describe(result)));
        QVERIFY2(result.failedStep > 2 && result.failedStep < plan.steps.size() - 1, qPrintable(describe(result)));
        qInfo("truncated dump rejected at step %d: %s", result.failedStep + 1, qPrintable(result.message));
        QCOMPARE(historyCount(m_project.db), before);
        QVERIFY(!BackupStore::read(backup.dir).complete); // no manifest: never offered for restore
    }

    void preflightRefusesUnwritableBackupFolder()
    {
        // Running as root, chmod does not stop writes: a backup folder whose parent is a regular
        // file can never be created, by anyone.
        const int before = historyCount(m_project.db);
        const QString blocker = m_tmp.filePath(QStringLiteral("a-file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        BackupLocation backup;
        backup.id = QStringLiteral("x");
        backup.operation = QStringLiteral("clear-history");
        backup.dir = blocker + QStringLiteral("/backups/x");
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.destructive = true;
        plan.steps = SafetySteps::historySnapshot(m_project.config, backup);
        plan.steps << clearHistory(m_project.db);
        const RunResult result = runPlan(plan);
        QVERIFY(!result.success);
        QVERIFY(result.steps.isEmpty()); // nothing ran
        QVERIFY2(result.problems.join(QLatin1Char(' ')).contains(QStringLiteral("is not a folder")),
                 qPrintable(describe(result)));
        QCOMPARE(historyCount(m_project.db), before);
    }

    void preflightRefusesMissingPgDump()
    {
        const int before = historyCount(m_project.db);
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.destructive = true;
        plan.steps = SafetySteps::databaseBackup(m_project.config, PlanOptions(),
                                                 SafetySteps::newBackup(m_project.config, QStringLiteral("clear-history")));
        plan.steps << clearHistory(m_project.db);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), m_tmp.filePath(QStringLiteral("empty-bin")));
        const RunResult result = runPlan(plan, env);
        QVERIFY(!result.success);
        QVERIFY(result.steps.isEmpty());
        QVERIFY2(result.problems.join(QLatin1Char(' ')).contains(QStringLiteral("pg_dump is not on PATH")),
                 qPrintable(describe(result)));
        QCOMPARE(historyCount(m_project.db), before);
        // The same check, as the GUI and CLI call it before asking for confirmation.
        QVERIFY(Preflight::check(plan, env).join(QLatin1Char(' ')).contains(QStringLiteral("pg_restore")));
        QVERIFY2(Preflight::check(plan).isEmpty(), qPrintable(Preflight::check(plan).join(QLatin1Char('\n'))));
    }

    void preflightRefusesUnreachableDatabase()
    {
        ProjectConfig config = m_project.config;
        config.db.port = 1; // nothing listens there
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.destructive = true;
        plan.steps = SafetySteps::historySnapshot(config, SafetySteps::newBackup(config, QStringLiteral("x")));
        const QStringList problems = Preflight::check(plan);
        QVERIFY2(problems.join(QLatin1Char(' ')).contains(QStringLiteral("cannot be reached")), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void secondInstanceRefusedAndLockFreedAfterKill()
    {
        const ProjectConfig &config = m_project.config;
        const QString state = QString::fromLocal8Bit(qgetenv("MIGRATIONDESK_STATE_DIR"));
        QProcess *child = startChild(QStringLiteral("--hold-lock"), config, state);
        QVERIFY(child->waitForReadyRead(20000));
        QCOMPARE(child->readLine().trimmed(), QByteArray("LOCKED"));

        ProjectLock second;
        QCOMPARE(second.acquire(config), ProjectLock::Result::Refused);
        QVERIFY2(second.error().contains(QString::number(child->processId())), qPrintable(second.error()));
        // Another machine (its own state dir, so its own lock file): the database lock refuses it.
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("other-machine")).toLocal8Bit());
        ProjectLock remote;
        QCOMPARE(remote.acquire(config), ProjectLock::Result::Refused);
        QVERIFY2(remote.error().contains(QStringLiteral("database lock")), qPrintable(remote.error()));
        qputenv("MIGRATIONDESK_STATE_DIR", state.toLocal8Bit());

        ::kill(pid_t(child->processId()), SIGKILL);
        QVERIFY(child->waitForFinished(10000));
        // The server ends the dead session as soon as it sees the socket close.
        ProjectLock::Result result = ProjectLock::Result::Refused;
        QElapsedTimer clock;
        clock.start();
        ProjectLock third;
        while (clock.elapsed() < 15000 && (result = third.acquire(config)) != ProjectLock::Result::Acquired)
            QThread::msleep(200);
        QCOMPARE(result, ProjectLock::Result::Acquired);
        QVERIFY(third.holdsDatabaseLock());
        third.release();
    }

    void killDuringDeleteKeepsAllRows()
    {
        const ProjectConfig &config = m_project.config;
        const int before = historyCount(m_project.db);
        QVERIFY(before > 10);
        const QString state = QString::fromLocal8Bit(qgetenv("MIGRATIONDESK_STATE_DIR"));
        QProcess *child = startChild(QStringLiteral("--run-plan"), config, state);
        QVERIFY(child->waitForStarted());
        // Wait until the DELETE ran inside the open transaction (the session sleeps after it).
        QElapsedTimer clock;
        clock.start();
        bool inTransaction = false;
        while (!inTransaction && clock.elapsed() < 30000) {
            inTransaction = !TestBed::queryStrings(m_project.db, QStringLiteral(
                "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database() "
                "AND state = 'active' AND xact_start IS NOT NULL")).isEmpty();
            if (!inTransaction)
                QThread::msleep(50);
        }
        QVERIFY2(inTransaction, child->readAllStandardError().constData());
        ::kill(pid_t(child->processId()), SIGKILL);
        QVERIFY(child->waitForFinished(10000));
        // The server rolls the transaction back once it sees the client is gone.
        clock.restart();
        while (clock.elapsed() < 15000 && !TestBed::queryStrings(m_project.db, QStringLiteral(
                   "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()")).isEmpty())
            QThread::msleep(100);
        QCOMPARE(historyCount(m_project.db), before); // all rows, not some
        // The journal says the run was interrupted at its only step.
        const QList<JournalEntry> unfinished = Journal::unfinished(config);
        QVERIFY(!unfinished.isEmpty());
        QCOMPARE(unfinished.constFirst().planId, QStringLiteral("clear-history"));
        QVERIFY2(unfinished.constFirst().interrupted(),
                 qPrintable(QStringLiteral("%1 pid %2 child %3").arg(unfinished.constFirst().state).arg(unfinished.constFirst().pid).arg(child->processId())));
        QCOMPARE(unfinished.constFirst().resumeFrom(), 0);
        QVERIFY(Journal::discard(config.root, QStringLiteral("clear-history")));
    }

    void restoreDatabaseBringsBackEveryRowCount()
    {
        const ProjectConfig config = m_project.config;
        const QStringList before = rowCounts(m_project.db);
        BackupLocation backup = SafetySteps::newBackup(config, QStringLiteral("reset-database"));
        Plan plan;
        plan.id = QStringLiteral("reset-database");
        plan.title = QStringLiteral("damage");
        plan.projectRoot = config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::databaseBackup(config, PlanOptions(), backup);
        SqlStep damage;
        damage.description = QStringLiteral("damage");
        damage.db = config.db;
        damage.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows'"), {}, false, {}};
        damage.statements << SqlStatement{QStringLiteral("DELETE FROM safety_notes WHERE id % 3 = 0"), {}, false, {}};
        damage.statements << SqlStatement{QStringLiteral("INSERT INTO auth_group (name) VALUES ('intruder')"), {}, false, {}};
        plan.steps << damage;
        RunResult result = runPlan(plan);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QVERIFY(rowCounts(m_project.db) != before);

        QCOMPARE(BackupStore(config).lastDestructive().id, backup.id);
        QString error;
        const Plan undo = RestorePlans::undoLast(config, PlanOptions(), &error);
        QVERIFY2(!undo.id.isEmpty(), qPrintable(error));
        result = runPlan(undo);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QCOMPARE(rowCounts(m_project.db), before);
        // The restore backed up what it overwrote first.
        QCOMPARE(BackupStore(config).lastDestructive().operation, QStringLiteral("restore"));
    }

    void restoreHistorySnapshotBringsBackTheRows()
    {
        const ProjectConfig &config = m_project.config;
        const QString select = QStringLiteral("SELECT id, app, name, applied::text FROM django_migrations ORDER BY id");
        const QStringList before = TestBed::queryStrings(m_project.db, select);
        const BackupLocation backup = SafetySteps::newBackup(config, QStringLiteral("clear-history"));
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.projectRoot = config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::historySnapshot(config, backup);
        plan.steps << clearHistory(config.db);
        RunResult result = runPlan(plan);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QCOMPARE(historyCount(m_project.db), 0);

        QString error;
        const Plan restore = RestorePlans::restore(config, PlanOptions(), BackupStore(config).find(backup.id), &error);
        QVERIFY2(!restore.id.isEmpty(), qPrintable(error));
        result = runPlan(restore);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QCOMPARE(TestBed::queryStrings(m_project.db, select), before);
        // The sequence continues after the restored ids.
        QVERIFY(TestBed::execSql(m_project.db, QStringLiteral(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())")));
        QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'x'")));
    }

    void restoreFilesBringsBackIdenticalChecksums()
    {
        const ProjectConfig &config = m_project.config;
        QStringList files;
        migrationFilesOf(config.root, &files);
        QVERIFY(files.size() > 5);
        QHash<QString, QByteArray> sums;
        for (const QString &rel : files)
            sums.insert(rel, FileChecksum::sha256(config.root + QLatin1Char('/') + rel));

        const BackupLocation backup = SafetySteps::newBackup(config, QStringLiteral("delete-files"));
        Plan plan;
        plan.id = QStringLiteral("delete-files");
        plan.title = QStringLiteral("Delete migration files");
        plan.projectRoot = config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::fileBackup(config, files, backup);
        FileStep remove;
        remove.description = QStringLiteral("Delete the migration files");
        remove.baseDir = config.root;
        remove.paths = files;
        remove.remove = true;
        plan.steps << remove;
        RunResult result = runPlan(plan);
        QVERIFY2(result.success, qPrintable(describe(result)));
        QVERIFY(!QFile::exists(config.root + QLatin1Char('/') + files.constFirst()));
        // One file comes back different (regenerated), the rest are gone.
        QFile regenerated(config.root + QLatin1Char('/') + files.constLast());
        QVERIFY(regenerated.open(QIODevice::WriteOnly));
        regenerated.write("# regenerated\n");
        regenerated.close();

        const BackupInfo info = BackupStore(config).find(backup.id);
        QCOMPARE(info.files, files);
        QString error;
        const Plan restore = RestorePlans::restore(config, PlanOptions(), info, &error);
        QVERIFY2(!restore.id.isEmpty(), qPrintable(error));
        result = runPlan(restore);
        QVERIFY2(result.success, qPrintable(describe(result)));
        for (const QString &rel : files)
            QCOMPARE(FileChecksum::sha256(config.root + QLatin1Char('/') + rel), sums.value(rel));

        // A backup whose copy was tampered with is not restored.
        QFile tampered(info.dir + QStringLiteral("/files/") + files.constFirst());
        QVERIFY(tampered.open(QIODevice::Append));
        tampered.write("\n# tampered\n");
        tampered.close();
        result = runPlan(RestorePlans::restore(config, PlanOptions(), info));
        QVERIFY(!result.success);
        QVERIFY2(result.message.contains(QStringLiteral("SHA-256")), qPrintable(describe(result)));
    }

    void productionLookingProjectIsRefused()
    {
        ProjectConfig config = m_project.config;
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.destructive = true;
        QVERIFY2(ProductionGuard::refusal(config, plan).isEmpty(), qPrintable(ProductionGuard::refusal(config, plan)));

        QFile prod(config.root + QStringLiteral("/.env.prod"));
        QVERIFY(prod.open(QIODevice::WriteOnly));
        prod.write("DEBUG=False\n");
        prod.close();
        QString refusal = ProductionGuard::refusal(config, plan);
        QVERIFY2(refusal.contains(QStringLiteral(".env.prod")), qPrintable(refusal));
        QVERIFY(!ProductionGuard::refusal(config, plan, config.db.name).isEmpty()); // typing is not enough
        config.allowDestructiveOnProduction = true;
        QVERIFY(!ProductionGuard::refusal(config, plan, QStringLiteral("wrong")).isEmpty());
        QVERIFY(ProductionGuard::refusal(config, plan, config.db.name).isEmpty());
        QVERIFY(QFile::remove(prod.fileName()));

        config.allowDestructiveOnProduction = false;
        config.db.host = QStringLiteral("db.example.com");
        QVERIFY(ProductionGuard::refusal(config, plan).contains(QStringLiteral("db.example.com")));
        Plan readOnly = plan;
        readOnly.destructive = false;
        QVERIFY(ProductionGuard::refusal(config, readOnly).isEmpty());
        QVERIFY(ProductionGuard::isLocalHost(QStringLiteral("127.0.0.1")));
        QVERIFY(!ProductionGuard::isLocalHost(QStringLiteral("10.0.0.5")));
    }

    void journalResumesFromTheFailedStep()
    {
        const QString counter = m_tmp.filePath(QStringLiteral("ran-steps"));
        const QString gate = m_tmp.filePath(QStringLiteral("gate"));
        Plan plan;
        plan.id = QStringLiteral("reset-migrations");
        plan.title = QStringLiteral("Automated migration reset");
        plan.projectRoot = m_project.dir;
        for (int i = 0; i < 3; ++i) {
            CallStep step;
            step.description = QStringLiteral("step %1").arg(i + 1);
            step.run = [counter, gate, i](const CallContext &) {
                if (i == 1 && !QFile::exists(gate))
                    return QStringLiteral("the gate is closed");
                QFile f(counter);
                f.open(QIODevice::Append);
                f.write(QByteArray::number(i));
                return QString();
            };
            plan.steps << step;
        }
        RunResult result = runPlan(plan);
        QVERIFY(!result.success);
        QCOMPARE(result.failedStep, 1);
        QList<JournalEntry> unfinished = Journal::unfinished(m_project.dir);
        unfinished.removeIf([](const JournalEntry &e) { return e.planId != QLatin1String("reset-migrations"); });
        QCOMPARE(unfinished.size(), 1);
        QCOMPARE(unfinished.constFirst().state, QStringLiteral("failed"));
        QCOMPARE(unfinished.constFirst().resumeFrom(), 1);
        QVERIFY(unfinished.constFirst().summary().contains(QStringLiteral("step 2")));

        QFile g(gate);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.close();
        result = runPlan(plan, QProcessEnvironment(), unfinished.constFirst().resumeFrom());
        QVERIFY2(result.success, qPrintable(describe(result)));
        QCOMPARE(result.firstStep, 1);
        QFile f(counter);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("012")); // step 1 ran once, before the failure
        for (const JournalEntry &e : Journal::unfinished(m_project.dir))
            QVERIFY(e.planId != QLatin1String("reset-migrations"));
    }

    void pruneKeepsTheNewest()
    {
        BackupStore store(m_project.config);
        const QList<BackupInfo> before = store.list();
        QVERIFY(before.size() >= 3);
        const qint64 size = store.totalSize();
        const QStringList removed = store.prune(2);
        QCOMPARE(store.list().size(), 2);
        QCOMPARE(store.list().constFirst().id, before.constFirst().id);
        QVERIFY(!removed.isEmpty());
        QVERIFY(store.totalSize() < size);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.value(0) == QLatin1String("--hold-lock"))
        return holdLock(args.mid(1));
    if (args.value(0) == QLatin1String("--run-plan"))
        return runSlowDelete(args.mid(1));
    TestPgSafety test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pg_safety.moc"
