// `migrationdesk backups` and `migrationdesk restore`, called in process (main.cpp wiring is the
// lead's): the listing as JSON, restore refusing without --yes, and an undo through the CLI.

#include "testbed.h"

#include "cli/backupcommand.h"
#include "safety/guardedrunner.h"
#include "safety/backupstore.h"
#include "safety/safetysteps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <cstdio>
#include <unistd.h>

namespace {

// Runs a command with fd 1 redirected to a file; returns its exit code, out gets stdout.
int capture(int (*command)(const QStringList &), const QStringList &args, QString *out)
{
    QTemporaryFile file;
    file.open();
    std::fflush(stdout);
    const int saved = ::dup(1);
    ::dup2(file.handle(), 1);
    const int code = command(args);
    std::fflush(stdout);
    ::dup2(saved, 1);
    ::close(saved);
    file.seek(0);
    *out = QString::fromUtf8(file.readAll());
    return code;
}

} // namespace

class TestPgBackupCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;

    QStringList projectArgs() const { return TestBed::localCliArgs(m_project); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_tmp.filePath(QStringLiteral("state")).toLocal8Bit());
        QVERIFY2(TestBed::available(), "the test PostgreSQL cluster is not running (CTest fixture pg)");
        m_project = TestBed::migratedProject(m_tmp.filePath(QStringLiteral("cli project")));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
        qputenv("MIGRATIONDESK_DB_PASSWORD", m_project.db.password.toUtf8());
    }

    void cleanupTestCase()
    {
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

    void listRestoreUndo()
    {
        QString out;
        QCOMPARE(capture(runBackupsCommand, projectArgs(), &out), 0);
        QVERIFY2(out.contains(QStringLiteral("No backups yet")), qPrintable(out));

        // A destructive run: snapshot, then the DELETE.
        const ProjectConfig &config = m_project.config;
        Plan plan;
        plan.id = QStringLiteral("clear-history");
        plan.title = QStringLiteral("Clear migration history");
        plan.projectRoot = config.root;
        plan.destructive = true;
        plan.steps = SafetySteps::historySnapshot(config, SafetySteps::newBackup(config, plan.id));
        SqlStep clear;
        clear.description = QStringLiteral("Delete all rows of django_migrations");
        clear.db = config.db;
        clear.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations"), {}, false, {}};
        plan.steps << clear;
        const int rows = TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt();
        QVERIFY(rows > 0);
        {
            GuardedRunner runner;
            QSignalSpy finished(&runner, &PlanRunner::finished);
            runner.start(plan);
            QVERIFY(finished.wait(60000));
            QVERIFY(finished.constFirst().constFirst().value<RunResult>().success);
        }

        QCOMPARE(capture(runBackupsCommand, projectArgs() << QStringLiteral("--json"), &out), 0);
        const QJsonArray backups = QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("backups")).toArray();
        QCOMPARE(backups.size(), 1);
        QCOMPARE(backups.at(0).toObject().value(QStringLiteral("operation")).toString(), QStringLiteral("clear-history"));
        QVERIFY(backups.at(0).toObject().value(QStringLiteral("hasHistory")).toBool());
        const QString id = backups.at(0).toObject().value(QStringLiteral("id")).toString();

        // Without --yes: the plan is shown, nothing changes.
        QCOMPARE(capture(runRestoreCommand, QStringList{id} + projectArgs(), &out), 2);
        QVERIFY2(out.contains(QStringLiteral("DELETE FROM django_migrations")), qPrintable(out));
        QCOMPARE(TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt(), 0);

        QCOMPARE(capture(runRestoreCommand, QStringList{QStringLiteral("last"), QStringLiteral("--yes")} + projectArgs(), &out), 0);
        QCOMPARE(TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt(), rows);
        QCOMPARE(BackupStore(config).list().size(), 2); // the restore backed up the empty table first

        // Pruning deletes for good: without --yes nothing goes; with it, the newest stays.
        QCOMPARE(capture(runBackupsCommand, projectArgs() << QStringLiteral("--prune") << QStringLiteral("1"), &out), 2);
        QCOMPARE(BackupStore(config).list().size(), 2);
        QCOMPARE(capture(runBackupsCommand,
                         projectArgs() << QStringLiteral("--prune") << QStringLiteral("1") << QStringLiteral("--yes"), &out),
                 0);
        QCOMPARE(BackupStore(config).list().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPgBackupCommand)
#include "tst_pg_backupcommand.moc"
