// Branch-aware migrations on real git (branches, a bare remote, two clones), real Django 3.2 and
// real PostgreSQL: switching branches with switch-branch leaves no migration the code lacks, a
// phantom left by a plain `git checkout` is found with its branch and unapplied by Django, a
// teammate's clone adopts a pushed migration reset with its data kept, and two leaves are merged.
#include "doctor/doctorrule.h"
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "git/gitbranches.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "plan/planrenderer.h"
#include "guiderun.h"
#include "testbed.h"

#include <QtTest>

namespace {

const QString kFlows3 = QStringLiteral("0003_flowcontext");
const QString kFeature = QStringLiteral("flows.0004_flow_priority");

QProcessEnvironment gitEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Teammate"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("teammate@migrationdesk.invalid"));
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Teammate"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("teammate@migrationdesk.invalid"));
    return env;
}

// git in dir; fails the test (through the caller's QVERIFY) on a non-zero exit.
bool git(const QString &dir, const QStringList &args, QString *output = nullptr)
{
    QString out;
    const int rc = TestBed::run(QStringLiteral("git"), args, dir, gitEnvironment(), &out);
    if (output)
        *output = out.trimmed();
    if (rc != 0)
        qWarning("git %s: %s", qPrintable(args.join(QLatin1Char(' '))), qPrintable(out));
    return rc == 0;
}

QString gitOut(const QString &dir, const QStringList &args)
{
    QString out;
    git(dir, args, &out);
    return out;
}

bool writeFile(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) > 0;
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

int columnCount(const DbSettings &db, const QString &column)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                                    "WHERE table_name = 'flows_flow' AND column_name = '%1'")
                                         .arg(column))
        .value(0)
        .toInt();
}

QStringList flowsRows(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT name FROM django_migrations WHERE app = 'flows' ORDER BY name"));
}

bool migrateCheckClean(const QString &dir, const DbSettings &db, QString *output)
{
    return TestBed::runManage(dir, db, {QStringLiteral("migrate"), QStringLiteral("--check")}, output);
}

QString featurePath(const QString &dir)
{
    return TestBed::backendDir(dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py");
}

} // namespace

class TestPgBranches : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void switchBranchBothWays();
    void switchRefusesDirtyTree();
    void phantomFromPlainCheckout();
    void deletedInCommitUnapplied();
    void adoptTeammateReset();
    void mergeTwoLeaves();

private:
    // A migrated project in git (main pushed to a bare remote) with a branch "feature" that adds
    // flows.0004_flow_priority (a column); feature is checked out and migrated.
    TestBed::MigratedProject featureProject(const QString &folder);
    Diagnosis diagnose(const TestBed::MigratedProject &p);
    RunResult runFix(const Plan &plan, QString *output);

    QTemporaryDir m_tmp;
};

void TestPgBranches::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running (ctest starts it: pg_start)");
    QVERIFY(m_tmp.isValid());
    qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(m_tmp.filePath(QStringLiteral("state"))));
}

TestBed::MigratedProject TestPgBranches::featureProject(const QString &folder)
{
    TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), folder);
    if (!p.ok())
        return p;
    QString error;
    if (!TestBed::initGitRepo(p.dir, m_tmp.filePath(folder + QStringLiteral("-remote.git")), &error)) {
        p.error = error;
        return p;
    }
    const QString file = featurePath(p.dir);
    const QString relative = QDir(p.dir).relativeFilePath(file);
    QString output;
    if (!git(p.dir, {QStringLiteral("switch"), QStringLiteral("-q"), QStringLiteral("-c"), QStringLiteral("feature")})
        || !writeFile(file, addFieldMigration(kFlows3, QStringLiteral("priority")))
        || !git(p.dir, {QStringLiteral("add"), QStringLiteral("--"), relative})
        || !git(p.dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Flow priority")})
        || !TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output))
        p.error = QStringLiteral("feature setup failed: ") + output;
    return p;
}

Diagnosis TestPgBranches::diagnose(const TestBed::MigratedProject &p)
{
    DoctorOptions options;
    options.backupsDir = m_tmp.filePath(QStringLiteral("backups/") + QFileInfo(p.dir).fileName());
    return MigrationDoctor::diagnose(p.config, options);
}

RunResult TestPgBranches::runFix(const Plan &plan, QString *output)
{
    QString error;
    if (!PlanExecution::prepareOutputFolders(plan, &error)) {
        RunResult r;
        r.message = error;
        return r;
    }
    return PlanExecution::runBlocking(plan, [output](const QString &text, OutputChannel) { *output += text; });
}

void TestPgBranches::switchBranchBothWays()
{
    const TestBed::MigratedProject p = featureProject(QStringLiteral("switching"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);
    QVERIFY(flowsRows(p.db).contains(kFeature.section(QLatin1Char('.'), 1)));
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();

    // feature → main: 0004 is unapplied with feature's file (the column goes), then git switches.
    OperationOptions toMain;
    toMain.values.insert(GuideOption::To, QStringLiteral("main"));
    GuideRun::Outcome o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, toMain, env);
    QVERIFY2(o.result.success, qPrintable(GuideRun::describe(o)));
    const QString rendered = PlanRenderer::render(o.plan);
    QVERIFY2(rendered.contains(QStringLiteral("pg_dump")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("migrate flows 0003_flowcontext --noinput")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("git switch main")), qPrintable(rendered));
    QVERIFY(!o.plan.backupDir.isEmpty());
    QVERIFY(QFileInfo::exists(o.plan.backupDir + QStringLiteral("/database.dump")));
    QCOMPARE(GitBranches::currentBranch(p.dir), QStringLiteral("main"));
    QVERIFY(!QFileInfo::exists(featurePath(p.dir)));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 0);
    QVERIFY(!flowsRows(p.db).contains(kFeature.section(QLatin1Char('.'), 1))); // no phantom row
    QString output;
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));
    const Diagnosis onMain = diagnose(p);
    QVERIFY2(onMain.ok(), qPrintable(onMain.error));
    QVERIFY(!onMain.find(FindingKind::PhantomMigrations));
    QVERIFY(!onMain.find(FindingKind::OrphanRows));

    // main → feature: nothing to unapply; migrate applies 0004 again.
    OperationOptions toFeature;
    toFeature.values.insert(GuideOption::To, QStringLiteral("feature"));
    toFeature.facts = GuideFactsReader::read(QStringLiteral("switch-branch"), p.config, toFeature);
    QVERIFY(toFeature.facts.branchSwitch.checked);
    QVERIFY2(toFeature.facts.branchSwitch.lacking.isEmpty(), qPrintable(toFeature.facts.branchSwitch.lacking.join(u',')));
    o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, toFeature, env);
    QVERIFY2(o.result.success, qPrintable(GuideRun::describe(o)));
    QCOMPARE(GitBranches::currentBranch(p.dir), QStringLiteral("feature"));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);
    QVERIFY(flowsRows(p.db).contains(kFeature.section(QLatin1Char('.'), 1)));
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));

    // Switching to the branch already checked out only migrates (how a run that failed after
    // its switch is finished).
    o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, toFeature, env);
    QVERIFY2(o.result.success, qPrintable(GuideRun::describe(o)));
    QCOMPARE(GitBranches::currentBranch(p.dir), QStringLiteral("feature"));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);

    // And back once more: the way out works after the way in.
    o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, toMain, env);
    QVERIFY2(o.result.success, qPrintable(GuideRun::describe(o)));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 0);
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));
}

void TestPgBranches::switchRefusesDirtyTree()
{
    const TestBed::MigratedProject p = featureProject(QStringLiteral("dirty"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    // An uncommitted edit of a file the switch would remove: refused before anything runs.
    QVERIFY(writeFile(featurePath(p.dir), addFieldMigration(kFlows3, QStringLiteral("priority")) + QStringLiteral("# edited\n")));
    OperationOptions options;
    options.values.insert(GuideOption::To, QStringLiteral("main"));
    GuideRun::Outcome o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, options, QProcessEnvironment::systemEnvironment());
    QVERIFY(!o.blockers.isEmpty());
    QVERIFY2(o.blockers.join(u' ').contains(QStringLiteral("flows/migrations/0004_flow_priority.py")), qPrintable(o.blockers.join(u'\n')));
    QCOMPARE(GitBranches::currentBranch(p.dir), QStringLiteral("feature"));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);
    // A branch that does not exist, and no branch at all, are refused too.
    options.values.insert(GuideOption::To, QStringLiteral("no-such-branch"));
    o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, options, QProcessEnvironment::systemEnvironment());
    QVERIFY2(o.blockers.join(u' ').contains(QStringLiteral("no branch no-such-branch")), qPrintable(o.blockers.join(u'\n')));
    options.values.remove(GuideOption::To);
    // The Operations panel offers it (Repair) with the branch as a typed value in its preview.
    const Operation *op = OperationCatalog::find(QStringLiteral("switch-branch"));
    QVERIFY(op);
    QCOMPARE(op->group, OperationGroup::Repair);
    QVERIFY(op->destructive);
    QCOMPARE(op->options.size(), 1);
    QCOMPARE(op->options.constFirst().kind, OperationOption::Kind::Value);
    QVERIFY(!op->options.constFirst().label.isEmpty());
    o = GuideRun::runOperation(QStringLiteral("switch-branch"), p.config, options, QProcessEnvironment::systemEnvironment());
    QVERIFY(o.blockers.join(u' ').contains(QStringLiteral("--to BRANCH")));
}

void TestPgBranches::phantomFromPlainCheckout()
{
    const TestBed::MigratedProject p = featureProject(QStringLiteral("phantom"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    // The usual mistake: a plain checkout leaves 0004's row and column behind.
    QVERIFY(git(p.dir, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")}));
    QVERIFY(!QFileInfo::exists(featurePath(p.dir)));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    const Finding *f = d.find(FindingKind::PhantomMigrations);
    QVERIFY(f);
    QCOMPARE(f->migrations, QStringList{kFeature});
    QVERIFY2(f->title.contains(QStringLiteral("feature")), qPrintable(f->title));
    QVERIFY(!d.find(FindingKind::OrphanRows)); // the same row, not twice
    const DoctorFix *fix = f->recommendedFix();
    QVERIFY(fix);
    QCOMPARE(fix->id, QStringLiteral("unapply-phantoms"));
    QVERIFY(fix->plan.destructive);
    const QString rendered = PlanRenderer::render(fix->plan);
    QVERIFY2(rendered.contains(QStringLiteral("pg_dump")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("git show feature:./")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("migrate flows 0003_flowcontext --noinput")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("git clean")), qPrintable(rendered));
    // The JSON of the finding names the branch.
    QVERIFY(QJsonDocument(f->toJson()).toJson().contains("feature"));

    QString output;
    const RunResult r = runFix(fix->plan, &output);
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 0);
    QVERIFY(!flowsRows(p.db).contains(kFeature.section(QLatin1Char('.'), 1)));
    QVERIFY(!QFileInfo::exists(featurePath(p.dir))); // the restored file went again
    QCOMPARE(gitOut(p.dir, {QStringLiteral("status"), QStringLiteral("--porcelain"), QStringLiteral("--"),
                            QDir(p.dir).relativeFilePath(TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py"))}),
             QString());
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));
    const Diagnosis after = diagnose(p);
    QVERIFY(!after.find(FindingKind::PhantomMigrations));
    QVERIFY(!after.find(FindingKind::OrphanRows));
    // Back on feature the migration applies again (its name was not left "applied").
    QVERIFY(git(p.dir, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("feature")}));
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);
}

void TestPgBranches::deletedInCommitUnapplied()
{
    const TestBed::MigratedProject p = featureProject(QStringLiteral("deleted"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    // feature keeps 0004 applied, then deletes the file in a commit: no branch has it any more.
    const QString relative = QDir(p.dir).relativeFilePath(featurePath(p.dir));
    QVERIFY(git(p.dir, {QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("--"), relative}));
    QVERIFY(git(p.dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Drop priority")}));
    const QString deleting = gitOut(p.dir, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    QVERIFY(!d.find(FindingKind::PhantomMigrations));
    QVERIFY(!d.find(FindingKind::PredatesReset)); // a file deleted is no reset: the initial migrations are as applied
    const Finding *f = d.find(FindingKind::OrphanRows);
    QVERIFY(f);
    QCOMPARE(f->migrations, QStringList{kFeature});
    QCOMPARE(f->recommendedFix()->id, QStringLiteral("delete-orphans")); // still the default: the rows only
    const DoctorFix *unapply = nullptr;
    for (const DoctorFix &fix : f->fixes) {
        if (fix.id == QLatin1String("unapply-phantoms"))
            unapply = &fix;
    }
    QVERIFY(unapply);
    QVERIFY(!unapply->recommended);
    const QString rendered = PlanRenderer::render(unapply->plan);
    QVERIFY2(rendered.contains(QStringLiteral("git show '%1^:./").arg(deleting)), qPrintable(rendered));
    QString output;
    const RunResult r = runFix(unapply->plan, &output);
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 0);
    QVERIFY(!flowsRows(p.db).contains(kFeature.section(QLatin1Char('.'), 1)));
    QVERIFY(!QFileInfo::exists(featurePath(p.dir)));
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));
}

void TestPgBranches::adoptTeammateReset()
{
    // Alice and Bob share a remote; Bob's database is migrated with the old history and has data.
    const TestBed::MigratedProject alice = TestBed::migratedProject(m_tmp.path(), QStringLiteral("alice"));
    QVERIFY2(alice.ok(), qPrintable(alice.error));
    const QString remote = m_tmp.filePath(QStringLiteral("team.git"));
    QString error;
    QVERIFY2(TestBed::initGitRepo(alice.dir, remote, &error), qPrintable(error));
    const QString bobDir = m_tmp.filePath(QStringLiteral("bob"));
    QVERIFY(git(m_tmp.path(), {QStringLiteral("clone"), QStringLiteral("-q"), remote, bobDir}));
    TestBed::MigratedProject bob;
    bob.dir = bobDir;
    bob.dbName = TestBed::createDatabase(QStringLiteral("bob"));
    QVERIFY(!bob.dbName.isEmpty());
    bob.db = TestBed::server();
    bob.db.name = bob.dbName;
    bob.config = TestBed::localConfig(bob.dir, bob.db);
    QString output;
    QVERIFY2(TestBed::runManage(bob.dir, bob.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QVERIFY(TestBed::execSql(bob.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                    "VALUES ('kept', 'Bob''s data', true, '[]')")));
    const QStringList bobTables = TestBed::tableRowCounts(bob.db);
    QTest::qWait(1100); // the reset's commit is later than Bob's rows, to the second git keeps

    // Alice regenerates every migration (the guide's reset) and pushes it.
    const QStringList oldKeys = TestBed::migrationFileKeys(TestBed::backendDir(alice.dir));
    for (const QString &app : GuideRun::kApps) {
        const QDir dir(TestBed::backendDir(alice.dir) + QLatin1Char('/') + app + QStringLiteral("/migrations"));
        for (const QString &file : dir.entryList({QStringLiteral("0*.py")}, QDir::Files))
            QVERIFY(QFile::remove(dir.filePath(file)));
    }
    DbSettings empty = TestBed::server();
    empty.name = TestBed::createDatabase(QStringLiteral("alice_empty"));
    QVERIFY(!empty.name.isEmpty());
    QVERIFY2(TestBed::runManage(alice.dir, empty, {QStringLiteral("makemigrations"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    const QStringList newKeys = TestBed::migrationFileKeys(TestBed::backendDir(alice.dir));
    QVERIFY(newKeys != oldKeys);
    QVERIFY(git(alice.dir, {QStringLiteral("add"), QStringLiteral("-A"), QStringLiteral("--"), QStringLiteral(":(glob)**/migrations/*.py")}));
    QVERIFY(git(alice.dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Regenerate all Django migrations")}));
    QVERIFY(git(alice.dir, {QStringLiteral("push"), QStringLiteral("-q")}));
    const QString resetCommit = gitOut(alice.dir, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});

    // Bob pulls: the doctor names the reset and adopts it.
    QVERIFY(git(bob.dir, {QStringLiteral("pull"), QStringLiteral("-q"), QStringLiteral("--ff-only")}));
    QCOMPARE(TestBed::migrationFileKeys(TestBed::backendDir(bob.dir)), newKeys);
    const Diagnosis d = diagnose(bob);
    QVERIFY2(d.ok(), qPrintable(d.error));
    const Finding *f = d.find(FindingKind::PredatesReset);
    QVERIFY2(f, qPrintable(QStringLiteral("findings: %1").arg(d.findings.size())));
    QVERIFY2(f->title.contains(QStringLiteral("predates the migration reset in commit ") + resetCommit.left(10)), qPrintable(f->title));
    QVERIFY(!d.find(FindingKind::OrphanRows));
    QVERIFY(!d.find(FindingKind::PhantomMigrations));
    const DoctorFix *fix = f->recommendedFix();
    QVERIFY(fix);
    QCOMPARE(fix->id, QStringLiteral("adopt-reset"));
    QVERIFY(std::any_of(fix->plan.steps.cbegin(), fix->plan.steps.cend(), AdoptReset::isFakeInitialStep));
    const QString rendered = PlanRenderer::render(fix->plan);
    QVERIFY2(rendered.contains(QStringLiteral("pg_dump")), qPrintable(rendered));
    QVERIFY2(rendered.contains(QStringLiteral("migrate --fake-initial --noinput")), qPrintable(rendered));
    // Every old row of the project's apps is listed in the plan.
    for (const QString &key : oldKeys)
        QVERIFY2(rendered.contains(key), qPrintable(key + QLatin1Char('\n') + rendered));

    const RunResult r = runFix(fix->plan, &output);
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    QVERIFY2(migrateCheckClean(bob.dir, bob.db, &output), qPrintable(output));
    QStringList rows = GuideRun::appRows(bob.db), expected = newKeys;
    rows.sort();
    expected.sort();
    QCOMPARE(rows, expected);
    QCOMPARE(TestBed::tableRowCounts(bob.db), bobTables);
    QCOMPARE(TestBed::queryStrings(bob.db, QStringLiteral("SELECT description FROM flows_flow WHERE name = 'kept'")),
             QStringList{QStringLiteral("Bob's data")});
    QVERIFY(diagnose(bob).healthy());
    TestBed::dropDatabase(empty.name);
}

void TestPgBranches::mergeTwoLeaves()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("leaves"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    const QString migrations = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/");
    // Two branches each added a migration after 0003: merged in git, they fork Django's history.
    QVERIFY(writeFile(migrations + QStringLiteral("0004_flow_priority.py"), addFieldMigration(kFlows3, QStringLiteral("priority"))));
    QVERIFY(writeFile(migrations + QStringLiteral("0004_flow_channel.py"), addFieldMigration(kFlows3, QStringLiteral("channel"))));
    QString output;
    QVERIFY(!TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output));
    QVERIFY2(output.contains(QStringLiteral("Conflicting migrations")), qPrintable(output));

    const Diagnosis d = diagnose(p);
    QVERIFY2(d.ok(), qPrintable(d.error));
    const Finding *f = d.find(FindingKind::ConflictingLeaves);
    QVERIFY(f);
    QStringList leaves = f->migrations;
    leaves.sort();
    QCOMPARE(leaves, (QStringList{QStringLiteral("flows.0004_flow_channel"), QStringLiteral("flows.0004_flow_priority")}));
    const DoctorFix *fix = f->recommendedFix();
    QVERIFY(fix);
    QCOMPARE(fix->id, QStringLiteral("merge"));
    const QString rendered = PlanRenderer::render(fix->plan); // what the preview shows
    QVERIFY2(rendered.contains(QStringLiteral("makemigrations --merge --noinput")), qPrintable(rendered));

    const RunResult r = runFix(fix->plan, &output);
    QVERIFY2(r.success, qPrintable(r.message + QLatin1Char('\n') + r.errorTail + QLatin1Char('\n') + output));
    const QStringList merged = QDir(migrations).entryList({QStringLiteral("0005_merge_*.py")}, QDir::Files);
    QCOMPARE(merged.size(), 1);
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QCOMPARE(columnCount(p.db, QStringLiteral("priority")), 1);
    QCOMPARE(columnCount(p.db, QStringLiteral("channel")), 1);
    QVERIFY2(migrateCheckClean(p.dir, p.db, &output), qPrintable(output));
    QVERIFY(!diagnose(p).find(FindingKind::ConflictingLeaves));
}

QTEST_GUILESS_MAIN(TestPgBranches)
#include "tst_pg_branches.moc"
