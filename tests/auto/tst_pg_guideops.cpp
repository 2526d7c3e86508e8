// Every operation of the Migration Reset Guide end to end: real PostgreSQL, real Django, real
// git with a bare remote, through the engine (facts → plan → PlanRunner) on both targets, the
// Compose one in tst_docker_guideops on the real engine. Each effect is checked where it
// lands: rows in the database, files on disk, the commit on the remote. Project paths have
// spaces and non-ASCII characters. The automated reset stops at an injected failure and the CLI
// resumes it from the failed step.

#include "guiderun.h"
#include "testbed.h"

#include "cli/runcommand.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "engine/planrunner.h"
#include "targets/targets.h"
#include "safety/runjournal.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace GuideRun;

class TestPgGuideOps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QTemporaryDir m_state;
    QString m_privateCluster;

private slots:
    void initTestCase()
    {
        QVERIFY(TestBed::available());
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_state.path().toUtf8());
        ComposeCli::setDetected(ComposeVariant::Plugin);
    }

    void cleanupTestCase()
    {
        if (!m_privateCluster.isEmpty())
            TestBed::stopPrivateCluster(m_privateCluster);
    }

    // Each button of the guide, one after the other, on the Local target.
    void localGuideSteps()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("Mein Projekt \u00fc steps"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]')")));
        QString error;
        const QString remote = m_tmp.path() + QStringLiteral("/remote steps.git");
        QVERIFY2(TestBed::initGitRepo(p.dir, remote, &error), qPrintable(error));
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const int contribRows = TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations "
                                                                           "WHERE app IN ('auth','contenttypes')"))
                                    .value(0).toInt();
        QVERIFY(contribRows > 0);

        // clear-history: the apps' rows are gone, Django's own stay; the snapshot holds them.
        Outcome o = runOperation(QStringLiteral("clear-history"), p.config, {}, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QVERIFY(appRows(p.db).isEmpty());
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app IN "
                                                            "('auth','contenttypes')")).value(0).toInt(), contribRows);
        bool snapshot = false;
        for (QDirIterator it(m_state.path(), {QStringLiteral("django_migrations.json")}, QDir::Files,
                             QDirIterator::Subdirectories); it.hasNext();) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            snapshot |= file.readAll().contains("0003_flowcontext");
        }
        QVERIFY(snapshot);

        // delete-files: only __init__.py left in each migrations folder, the files in the backup.
        // Python's bytecode cache, as a run in the container leaves it (PYTHONDONTWRITEBYTECODE may be set here).
        const QString cache = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/__pycache__");
        QVERIFY(QDir().mkpath(cache));
        QFile pyc(cache + QStringLiteral("/0001_initial.cpython-311.pyc"));
        QVERIFY(pyc.open(QIODevice::WriteOnly));
        pyc.write("bytecode");
        pyc.close();
        QVERIFY(migrationFiles(p.dir).contains(QStringLiteral("flows/migrations/__pycache__")));
        o = runOperation(QStringLiteral("delete-files"), p.config, {}, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QStringList onlyInit;
        for (const QString &app : kApps)
            onlyInit << app + QStringLiteral("/migrations/__init__.py");
        QCOMPARE(migrationFiles(p.dir), onlyInit);
        bool copied = false;
        for (QDirIterator it(m_state.path(), {QStringLiteral("0003_flowcontext.py")}, QDir::Files,
                             QDirIterator::Subdirectories); it.hasNext(); it.next())
            copied = true;
        QVERIFY(copied);

        // makemigrations: a new 0001_initial.py per app.
        o = runOperation(QStringLiteral("makemigrations"), p.config, {}, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        for (const QString &app : kApps)
            QVERIFY(migrationFiles(p.dir).contains(app + QStringLiteral("/migrations/0001_initial.py")));

        // migrate without --fake-initial fails on the existing tables; the hint says so.
        o = runOperation(QStringLiteral("migrate"), p.config, {}, env);
        QVERIFY(!o.result.success);
        QVERIFY2(o.text.contains(QStringLiteral("already exists")), qPrintable(describe(o)));
        // migrate --fake-initial records them.
        OperationOptions fake;
        fake.values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
        o = runOperation(QStringLiteral("migrate"), p.config, fake, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QVERIFY(o.text.contains(QStringLiteral("FAKED")));
        verifyRegenerated(p.dir, p.db);

        // createsuperuser: the row exists, the password went nowhere visible.
        o = runOperation(QStringLiteral("createsuperuser"), p.config, superuserOptions(), env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT username || '|' || email || '|' || is_superuser::text "
                                                            "FROM auth_user")),
                 QStringList{QStringLiteral("admin|admin@hanna.example|true")});
        QVERIFY(!o.text.contains(kSuperPassword));
        QVERIFY(!PlanRenderer::render(o.plan).contains(kSuperPassword));

        // commit: refused while something else is staged (named), then exactly the migration files.
        QFile readme(p.dir + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::Append));
        readme.write("local edit\n");
        readme.close();
        git({QStringLiteral("add"), QStringLiteral("README.md")}, p.dir);
        OperationOptions push;
        push.values.insert(GuideOption::Push, QStringLiteral("1"));
        o = runOperation(QStringLiteral("commit"), p.config, push, env);
        QVERIFY(!o.blockers.isEmpty());
        QVERIFY2(o.blockers.join(u' ').contains(QStringLiteral("README.md")), qPrintable(o.blockers.join(u' ')));
        git({QStringLiteral("restore"), QStringLiteral("--staged"), QStringLiteral("README.md")}, p.dir);
        o = runOperation(QStringLiteral("commit"), p.config, push, env);
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        const QString shown = git({QStringLiteral("--git-dir"), remote, QStringLiteral("show"), QStringLiteral("--no-renames"), QStringLiteral("--name-only"),
                                   QStringLiteral("--format=%s"), QStringLiteral("main")},
                                  QString());
        QStringList lines = shown.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.takeFirst(), GuideOption::DefaultCommitMessage);
        static const QRegularExpression migration(QStringLiteral("^whatsappcrm_backend/[a-z_]+/migrations/[0-9a-z_]+\\.py$"));
        for (const QString &file : lines)
            QVERIFY2(migration.match(file).hasMatch() && !file.endsWith(QStringLiteral("__init__.py")), qPrintable(file));
        for (const QString &app : kApps) {
            QVERIFY(lines.contains(QStringLiteral("whatsappcrm_backend/%1/migrations/0001_initial.py").arg(app)));
            if (app == QStringLiteral("conversations") || app == QStringLiteral("flows")) // the old files' deletion too
                QVERIFY2(lines.contains(QStringLiteral("whatsappcrm_backend/%1/migrations/0002_auto_20261124_0227.py").arg(app)),
                         qPrintable(lines.join(u' ')));
        }
        // README's change stayed out of the commit and in the working tree.
        QCOMPARE(git({QStringLiteral("diff"), QStringLiteral("--name-only")}, p.dir), QStringLiteral("README.md"));
        // A detached HEAD is refused.
        git({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("--detach")}, p.dir);
        const CommitCheck detached = GuideFactsReader::checkCommit(p.config);
        QVERIFY(detached.detachedHead);
        QVERIFY(detached.blockers(false).join(u' ').contains(QStringLiteral("detached")));
        TestBed::dropDatabase(p.dbName);
    }

    // Local full reset: DROP + CREATE DATABASE on the maintenance connection, migrate, superuser.
    void localResetDatabase()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("l\u00f6cal reset db"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]')")));
        OperationOptions options = superuserOptions();
        options.values.insert(GuideOption::Superuser, QStringLiteral("1"));
        const Outcome o = runOperation(QStringLiteral("reset-database"), p.config, options, QProcessEnvironment::systemEnvironment());
        QVERIFY2(o.result.success, qPrintable(describe(o)));
        QVERIFY(TestBed::queryStrings(p.db, QStringLiteral("SELECT name FROM flows_flow")).isEmpty());
        QCOMPARE(appRows(p.db).size(), 10); // the fixture's migrations, applied anew
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT username FROM auth_user WHERE is_superuser")),
                 QStringList{QStringLiteral("admin")});
        QVERIFY(!o.text.contains(kSuperPassword));
        TestBed::dropDatabase(p.dbName);
    }

    // The automated reset through the CLI. A broken models.py is found by the schema check on the
    // scratch copy before anything changed. Then it stops at createsuperuser (a trigger refuses
    // new users) after the history, the files and migrate are done; once the trigger is gone,
    // --resume continues from the failed step.
    void localAutomatedResetResumes()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("r\u00e9sum\u00e9 project"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]');"
                                                      "CREATE FUNCTION refuse_users() RETURNS trigger LANGUAGE plpgsql AS "
                                                      "$$ BEGIN RAISE EXCEPTION 'no new users today (test)'; END $$;"
                                                      "CREATE TRIGGER refuse_users BEFORE INSERT ON auth_user "
                                                      "FOR EACH ROW EXECUTE FUNCTION refuse_users()")));
        const QString models = TestBed::backendDir(p.dir) + QStringLiteral("/flows/models.py");
        QFile file(models);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray good = file.readAll();
        file.close();
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(good + "\nthis is not python (injected failure)\n");
        file.close();

        qputenv("MIGRATIONDESK_SUPERUSER_PASSWORD", kSuperPassword.toUtf8());
        const QStringList args{QStringLiteral("reset-migrations"), QStringLiteral("--project"), p.dir,
                               QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
                               QString::fromLatin1(TestBed::kPython), QStringLiteral("--yes"), QStringLiteral("--superuser"),
                               QStringLiteral("--username"), QStringLiteral("admin"), QStringLiteral("--email"),
                               QStringLiteral("admin@example.org")};
        const QStringList rowsBefore = appRows(p.db);
        const QStringList filesBefore = migrationFiles(p.dir);
        QVERIFY(runOperationCommand(args) != 0);
        // Refused by the check on the copy: nothing of the project changed.
        QCOMPARE(appRows(p.db), rowsBefore);
        QCOMPARE(migrationFiles(p.dir), filesBefore);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(good);
        file.close();

        QVERIFY(runOperationCommand(args) != 0);
        // Stopped at the superuser, after the history was cleared and the migrations regenerated.
        QVERIFY(migrationFiles(p.dir).contains(QStringLiteral("flows/migrations/0001_initial.py")));
        QVERIFY(!appRows(p.db).contains(QStringLiteral("flows.0003_flowcontext")));
        const QList<JournalEntry> unfinished = Journal::unfinished(p.dir);
        QVERIFY(!unfinished.isEmpty());
        const JournalEntry entry = unfinished.constFirst();
        QCOMPARE(entry.planId, QStringLiteral("reset-migrations"));
        QVERIFY2(entry.steps.value(entry.resumeFrom()).contains(QStringLiteral("Create the superuser")),
                 qPrintable(entry.summary()));

        QVERIFY(entry.inputs.contains(QStringLiteral("target=local")));

        // Other flags make another plan: --resume refuses it and runs nothing.
        QVERIFY(runOperationCommand(args + QStringList{QStringLiteral("--resume"), QStringLiteral("--db-host"), QStringLiteral("localhost")}) != 0);
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM auth_user")), QStringList{QStringLiteral("0")});
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("DROP TRIGGER refuse_users ON auth_user")));
        QCOMPARE(runOperationCommand(args + QStringList{QStringLiteral("--resume")}), 0);
        verifyRegenerated(p.dir, p.db);
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT username FROM auth_user WHERE is_superuser")),
                 QStringList{QStringLiteral("admin")});
        qunsetenv("MIGRATIONDESK_SUPERUSER_PASSWORD");
        TestBed::dropDatabase(p.dbName);
    }
};

QTEST_GUILESS_MAIN(TestPgGuideOps)
#include "tst_pg_guideops.moc"
