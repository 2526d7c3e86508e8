// `migrationdesk hooks install`: the real binary writes a real post-checkout hook, and a plain
// `git checkout` that leaves an applied migration behind prints the warning; a hook that is not
// MigrationDesk's is never replaced.
#include "testbed.h"

#include <QtTest>

namespace {

QProcessEnvironment cliEnvironment(const QString &configHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Tester"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("tester@migrationdesk.invalid"));
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Tester"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("tester@migrationdesk.invalid"));
    return env;
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPgHooksCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running"); }
    void warnsAfterPlainCheckout();
    void refusesForeignHook();
    void switchBranchCli();

private:
    int cli(const QStringList &args, QString *output);
    int git(const QString &dir, const QStringList &args, QString *output = nullptr);
    QTemporaryDir m_tmp;
};

int TestPgHooksCli::cli(const QStringList &args, QString *output)
{
    return TestBed::run(QStringLiteral(MIGRATIONDESK_BINARY), args, m_tmp.path(),
                        cliEnvironment(m_tmp.filePath(QStringLiteral("config"))), output);
}

int TestPgHooksCli::git(const QString &dir, const QStringList &args, QString *output)
{
    QString out;
    const int rc = TestBed::run(QStringLiteral("git"), args, dir, cliEnvironment(m_tmp.filePath(QStringLiteral("config"))), &out);
    if (output)
        *output = out;
    if (rc != 0)
        qWarning("git %s: %s", qPrintable(args.join(QLatin1Char(' '))), qPrintable(out));
    return rc;
}

void TestPgHooksCli::warnsAfterPlainCheckout()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("hooked"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QString error;
    QVERIFY2(TestBed::initGitRepo(p.dir, m_tmp.filePath(QStringLiteral("hooked.git")), &error), qPrintable(error));
    QString output;
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("install")} + TestBed::localCliArgs(p), &output), 0);
    const QString hook = p.dir + QStringLiteral("/.git/hooks/post-checkout");
    QVERIFY2(output.contains(hook), qPrintable(output));
    QVERIFY(QFileInfo(hook).isExecutable());
    const QByteArray script = readFile(hook);
    QVERIFY(script.contains("# migrationdesk post-checkout hook"));
    QVERIFY(script.contains("hooks check"));
    QVERIFY(!script.contains(p.db.password.toUtf8()) || p.db.password.isEmpty()); // never the password
    // Installing again replaces its own hook.
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("install")} + TestBed::localCliArgs(p), &output), 0);

    // A feature branch applies 0004; back on main with a plain checkout, the hook warns.
    const QString migration = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py");
    QCOMPARE(git(p.dir, {QStringLiteral("switch"), QStringLiteral("-q"), QStringLiteral("-c"), QStringLiteral("feature")}, &output), 0);
    QVERIFY2(!output.contains(QStringLiteral("warning")), qPrintable(output)); // nothing left behind yet
    QVERIFY(writeFile(migration, "from django.db import migrations, models\n\n\n"
                                 "class Migration(migrations.Migration):\n"
                                 "    dependencies = [('flows', '0003_flowcontext')]\n"
                                 "    operations = [migrations.AddField(model_name='flow', name='priority', "
                                 "field=models.CharField(blank=True, default='', max_length=20))]\n"));
    QCOMPARE(git(p.dir, {QStringLiteral("add"), QStringLiteral("--"), QDir(p.dir).relativeFilePath(migration)}), 0);
    QCOMPARE(git(p.dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Priority")}), 0);
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));
    QCOMPARE(git(p.dir, {QStringLiteral("checkout"), QStringLiteral("main")}, &output), 0);
    QVERIFY2(output.contains(QStringLiteral("migrationdesk: warning")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("flows.0004_flow_priority (on feature)")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("switch-branch")), qPrintable(output));
    // The check itself says so in its exit code.
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("check")} + TestBed::localCliArgs(p), &output), 1);
    // Back on feature nothing is left behind: no warning, exit 0.
    QCOMPARE(git(p.dir, {QStringLiteral("checkout"), QStringLiteral("feature")}, &output), 0);
    QVERIFY2(!output.contains(QStringLiteral("migrationdesk: warning")), qPrintable(output));
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("check")} + TestBed::localCliArgs(p), &output), 0);
}

void TestPgHooksCli::refusesForeignHook()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("foreign"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QString error;
    QVERIFY2(TestBed::initGitRepo(p.dir, m_tmp.filePath(QStringLiteral("foreign.git")), &error), qPrintable(error));
    const QString hook = p.dir + QStringLiteral("/.git/hooks/post-checkout");
    const QByteArray mine = "#!/bin/sh\necho the team's own hook\n";
    QVERIFY(writeFile(hook, mine));
    QString output;
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("install")} + TestBed::localCliArgs(p), &output), 2);
    QVERIFY2(output.contains(QStringLiteral("not MigrationDesk's")), qPrintable(output));
    QCOMPARE(readFile(hook), mine);
    // Outside a repository there is no hook to install.
    const TestBed::MigratedProject bare = TestBed::migratedProject(m_tmp.path(), QStringLiteral("no git"));
    QVERIFY2(bare.ok(), qPrintable(bare.error));
    QCOMPARE(cli(QStringList{QStringLiteral("hooks"), QStringLiteral("install")} + TestBed::localCliArgs(bare), &output), 2);
    QVERIFY2(output.contains(QStringLiteral("not in a git repository")), qPrintable(output));
}

// `run switch-branch --to BRANCH`: the flag comes from the operation's option; --dry-run prints the
// plan, no --yes changes nothing, --yes switches.
void TestPgHooksCli::switchBranchCli()
{
    const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("switch cli"));
    QVERIFY2(p.ok(), qPrintable(p.error));
    QString error;
    QVERIFY2(TestBed::initGitRepo(p.dir, m_tmp.filePath(QStringLiteral("switch.git")), &error), qPrintable(error));
    QString output;
    const QString migration = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py");
    QCOMPARE(git(p.dir, {QStringLiteral("switch"), QStringLiteral("-q"), QStringLiteral("-c"), QStringLiteral("feature")}), 0);
    QVERIFY(writeFile(migration, "from django.db import migrations, models\n\n\n"
                                 "class Migration(migrations.Migration):\n"
                                 "    dependencies = [('flows', '0003_flowcontext')]\n"
                                 "    operations = [migrations.AddField(model_name='flow', name='priority', "
                                 "field=models.CharField(blank=True, default='', max_length=20))]\n"));
    QCOMPARE(git(p.dir, {QStringLiteral("add"), QStringLiteral("--"), QDir(p.dir).relativeFilePath(migration)}), 0);
    QCOMPARE(git(p.dir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Priority")}), 0);
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output), qPrintable(output));

    const QStringList run = QStringList{QStringLiteral("run"), QStringLiteral("switch-branch"), QStringLiteral("--to"), QStringLiteral("main")}
        + TestBed::localCliArgs(p);
    QCOMPARE(cli(run + QStringList{QStringLiteral("--dry-run")}, &output), 0);
    QVERIFY2(output.contains(QStringLiteral("migrate flows 0003_flowcontext --noinput")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("git switch main")), qPrintable(output));
    QCOMPARE(cli(run, &output), 2); // destructive: nothing without --yes
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("branch"), QStringLiteral("--show-current")}, p.dir,
                          QProcessEnvironment::systemEnvironment(), &output), 0);
    QCOMPARE(output.trimmed(), QStringLiteral("feature"));
    QCOMPARE(cli(run + QStringList{QStringLiteral("--yes")}, &output), 0);
    QVERIFY(!QFileInfo::exists(migration));
    QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows' "
                                                        "AND name = '0004_flow_priority'")),
             QStringList{QStringLiteral("0")});
    QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &output), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestPgHooksCli)
#include "tst_pg_hookscli.moc"
