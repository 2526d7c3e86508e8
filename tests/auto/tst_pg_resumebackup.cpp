// A reset that fails inside its own backup steps, resumed through the CLI, must end with ONE
// complete, restorable backup (the resumed steps complete the journaled folder rather than start
// a second, partial one); and undoing that reset must give back exactly the migration files of
// before: the restored ones byte for byte, and none of those makemigrations created.
// Real PostgreSQL, real Django, the CLI as a user runs it, and the GUI's resume (banner → wizard).

#include "testbed.h"

#include "cli/runcommand.h"
#include "gui/mainwindow.h"
#include "gui/messagebanner.h"
#include "gui/operationspanel.h"
#include "gui/resetwizard.h"
#include "safety/guardedrunner.h"
#include "safety/backupstore.h"
#include "platform/filechecksum.h"
#include "safety/restoreplans.h"
#include "safety/runjournal.h"

#include <QAction>
#include <QDir>
#include <QPushButton>
#include <QSettings>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

RunResult runPlan(const Plan &plan)
{
    GuardedRunner runner;
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(plan) || !finished.wait(300000))
        return RunResult();
    return finished.constFirst().constFirst().value<RunResult>();
}

// Every <backend>/*/migrations/*.py with its SHA-256, keyed by the path relative to the backend.
QMap<QString, QByteArray> migrationSums(const QString &projectDir)
{
    QMap<QString, QByteArray> sums;
    const QDir backend(TestBed::backendDir(projectDir));
    for (const QString &app : backend.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDir dir(backend.filePath(app) + QStringLiteral("/migrations"));
        for (const QString &name : dir.entryList({QStringLiteral("*.py")}, QDir::Files))
            sums.insert(app + QStringLiteral("/migrations/") + name, FileChecksum::sha256(dir.filePath(name)));
    }
    return sums;
}

// A dangling symlink in a migrations cache: the backup's file copy cannot read it, so a reset
// stops after the dump and the snapshot, inside its backup steps. Returns the link.
QString breakFileCopy(const QString &projectDir)
{
    const QString cache = TestBed::backendDir(projectDir) + QStringLiteral("/flows/migrations/__pycache__");
    QDir().mkpath(cache);
    const QString dangling = cache + QStringLiteral("/gone.cpython-311.pyc");
    return QFile::link(projectDir + QStringLiteral("/no-such-file"), dangling) ? dangling : QString();
}

QStringList resetArgs(const QString &projectDir)
{
    return {QStringLiteral("reset-migrations"), QStringLiteral("--project"), projectDir,
            QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
            QString::fromLatin1(TestBed::kPython), QStringLiteral("--yes")};
}

QStringList backupFolders(const ProjectConfig &config)
{
    return QDir(BackupStore::folderForProject(config.root)).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestPgResumeBackup : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QTemporaryDir m_state;

private slots:
    void initTestCase()
    {
        QVERIFY(TestBed::available());
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_state.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_state.path());
        QCoreApplication::setOrganizationName(QStringLiteral("MigrationDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_pg_resumebackup"));
        qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(m_state.path() + QStringLiteral("/state")));
    }

    void resumeInsideBackupThenUndo()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("resume backup \u00e9"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        const QMap<QString, QByteArray> original = migrationSums(p.dir);
        QVERIFY(original.size() > 4);
        const QStringList originalHistory = TestBed::queryStrings(
            p.db, QStringLiteral("SELECT app || '.' || name FROM django_migrations ORDER BY id"));
        QVERIFY(!originalHistory.isEmpty());

        const QString dangling = breakFileCopy(p.dir);
        QVERIFY(!dangling.isEmpty());
        const QStringList args = resetArgs(p.dir);
        QVERIFY(runOperationCommand(args) != 0);
        QCOMPARE(migrationSums(p.dir), original); // nothing deleted
        const QList<JournalEntry> unfinished = Journal::unfinished(p.dir);
        QCOMPARE(unfinished.size(), 1);
        const JournalEntry entry = unfinished.constFirst();
        QVERIFY2(entry.steps.value(entry.resumeFrom()).startsWith(QStringLiteral("Copy ")), qPrintable(entry.summary()));
        QVERIFY(!entry.backupDir.isEmpty());
        QVERIFY(QFile::exists(entry.backupDir + QStringLiteral("/database.dump")));
        QVERIFY(!QFile::exists(entry.backupDir + QStringLiteral("/manifest.json")));
        QCOMPARE(backupFolders(p.config).size(), 1);

        QVERIFY(QFile::remove(dangling));
        QCOMPARE(runOperationCommand(args + QStringList{QStringLiteral("--resume")}), 0);

        // One backup folder, the journaled one, now complete with everything the reset needs.
        QCOMPARE(backupFolders(p.config), QStringList{QFileInfo(entry.backupDir).fileName()});
        const QList<BackupInfo> backups = BackupStore(p.config).list();
        QCOMPARE(backups.size(), 1);
        const BackupInfo backup = backups.constFirst();
        QCOMPARE(backup.dir, entry.backupDir);
        QVERIFY(backup.complete);
        QVERIFY(backup.hasDatabase);
        QVERIFY(backup.hasHistory);
        QVERIFY(!backup.files.isEmpty());
        QCOMPARE(BackupStore(p.config).lastDestructive().id, backup.id);
        // Regenerated, with files the backup does not hold (0002_initial.py of the apps with
        // cross-app foreign keys): the undo must delete those, not only copy the old ones back.
        const QMap<QString, QByteArray> regenerated = migrationSums(p.dir);
        QVERIFY(regenerated != original);
        QStringList made;
        for (auto i = regenerated.constBegin(); i != regenerated.constEnd(); ++i) {
            if (!original.contains(i.key()))
                made << i.key();
        }
        QVERIFY2(!made.isEmpty(), qPrintable(regenerated.keys().join(QLatin1Char(' '))));

        // Undo: the database (history included) and the files of before; files made since are gone.
        QString error;
        const Plan undo = RestorePlans::undoLast(p.config, OperationOptions(), &error);
        QVERIFY2(!undo.id.isEmpty(), qPrintable(error));
        const RunResult restored = runPlan(undo);
        QVERIFY2(restored.success, qPrintable(restored.message + QLatin1Char('\n') + restored.errorTail + restored.problems.join(QLatin1Char(' '))));
        QCOMPARE(migrationSums(p.dir), original);
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT app || '.' || name FROM django_migrations ORDER BY id")),
                 originalHistory);
        QString out;
        QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &out),
                 qPrintable(out));
        TestBed::dropDatabase(p.dbName);
    }

    // The GUI's resume (banner → wizard) rebuilds the plan with the journaled backup folder too.
    void guiResumeInsideBackup()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("gui resume \u00fc"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        const QString dangling = breakFileCopy(p.dir);
        QVERIFY(!dangling.isEmpty());
        QVERIFY(runOperationCommand(resetArgs(p.dir)) != 0);
        const QList<JournalEntry> unfinished = Journal::unfinished(p.dir);
        QCOMPARE(unfinished.size(), 1);
        const JournalEntry entry = unfinished.constFirst();
        QVERIFY(!entry.backupDir.isEmpty());
        QVERIFY(QFile::remove(dangling));

        MainWindow window;
        window.resize(1300, 850);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::statusLoaded);
        window.openConfig(p.config);
        QVERIFY(loaded.wait(30000));
        QAction *resume = nullptr;
        for (QAction *action : window.operationBanner()->actions()) {
            if (action->objectName() == QLatin1String("resumeResetAction"))
                resume = action;
        }
        QVERIFY(resume);
        resume->trigger();
        OperationsPanel *panel = window.operationsPanel();
        QTRY_VERIFY(panel->resetWizard() && panel->resetWizard()->isVisible());
        ResetWizard *wizard = panel->resetWizard();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isReady() && wizard->resumeMatches(), 20000);
        QCOMPARE(wizard->plan().backupDir, entry.backupDir);
        QCOMPARE(wizard->failedStep(), entry.resumeFrom());
        wizard->setConfirmText(QStringLiteral("RESET"));
        QVERIFY(wizard->resumeButton()->isEnabled());
        QSignalSpy finished(wizard, &ResetWizard::runFinished);
        QTest::mouseClick(wizard->resumeButton(), Qt::LeftButton);
        QVERIFY(finished.wait(180000));
        const RunResult result = finished.first().first().value<RunResult>();
        QVERIFY2(result.success, qPrintable(result.message + QLatin1Char('\n') + result.errorTail));

        QCOMPARE(backupFolders(p.config), QStringList{QFileInfo(entry.backupDir).fileName()});
        const QList<BackupInfo> backups = BackupStore(p.config).list();
        QCOMPARE(backups.size(), 1);
        QVERIFY(backups.constFirst().complete && backups.constFirst().hasDatabase && backups.constFirst().hasHistory
                && !backups.constFirst().files.isEmpty());
        wizard->close();
        TestBed::dropDatabase(p.dbName);
    }
};

QTEST_MAIN(TestPgResumeBackup)
#include "tst_pg_resumebackup.moc"
