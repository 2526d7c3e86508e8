// Plans are pure functions of the project config: the exact argv, environment and preview text
// of the shipped operations for the Hanna defaults and for a path with spaces and non-ASCII,
// secrets never in argv or the preview, and quoting that a real POSIX shell reads back exactly.

#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "platform/shellquote.h"
#include "targets/targets.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kSentinel = QStringLiteral("S3ntinel-pw-\u00e4'x");

ProjectConfig hannaConfig(const QString &root, const QString &projectName, TargetKind target)
{
    ProjectConfig c;
    c.root = root;
    c.composeFile = root + QStringLiteral("/docker-compose.yml");
    c.envFile = root + QStringLiteral("/.env");
    c.composeProjectName = projectName;
    c.composeFileChosen = projectName != QLatin1String("hanna"); // hanna: compose finds its files
    c.backendDir = root + QStringLiteral("/whatsappcrm_backend");
    c.db.host = QStringLiteral("127.0.0.1");
    c.db.port = 5432;
    c.db.name = QStringLiteral("whatsappcrm_db");
    c.db.user = QStringLiteral("hanna_user");
    c.db.password = kSentinel;
    c.python = root + QStringLiteral("/venv/bin/python");
    c.target = target;
    return c;
}

const ProcessStep &onlyProcess(const Plan &plan)
{
    Q_ASSERT(plan.steps.size() == 1);
    return std::get<ProcessStep>(plan.steps.constFirst());
}

} // namespace

class TestPlan : public QObject
{
    Q_OBJECT

private slots:
    void showMigrations_data()
    {
        QTest::addColumn<QString>("root");
        QTest::addColumn<QString>("projectName");
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("workingDir");
        QTest::addColumn<QString>("command");

        const QString hanna = QStringLiteral("/home/dev/hanna");
        const QString odd = QStringLiteral("/tmp/Mein Projekt \u00fc/hanna crm");
        const int compose = int(TargetKind::Compose);
        const int local = int(TargetKind::Local);
        const int plugin = int(ComposeVariant::Plugin);
        const int standalone = int(ComposeVariant::Standalone);

        QTest::addRow("hanna compose v2")
            << hanna << QStringLiteral("hanna") << compose << plugin << QStringLiteral("docker")
            << QStringList{QStringLiteral("compose"), QStringLiteral("exec"), QStringLiteral("-T"),
                           QStringLiteral("backend"), QStringLiteral("python"), QStringLiteral("-u"),
                           QStringLiteral("manage.py"), QStringLiteral("showmigrations")}
            << hanna
            << QStringLiteral("cd /home/dev/hanna && docker compose exec -T backend python -u manage.py showmigrations");
        QTest::addRow("hanna compose v1")
            << hanna << QStringLiteral("hanna") << compose << standalone << QStringLiteral("docker-compose")
            << QStringList{QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("backend"), QStringLiteral("python"),
                           QStringLiteral("-u"), QStringLiteral("manage.py"), QStringLiteral("showmigrations")}
            << hanna
            << QStringLiteral("cd /home/dev/hanna && docker-compose exec -T backend python -u manage.py showmigrations");
        QTest::addRow("hanna local")
            << hanna << QStringLiteral("hanna") << local << plugin
            << QStringLiteral("/home/dev/hanna/venv/bin/python")
            << QStringList{QStringLiteral("-u"), QStringLiteral("manage.py"), QStringLiteral("showmigrations")}
            << QStringLiteral("/home/dev/hanna/whatsappcrm_backend")
            << QStringLiteral("cd /home/dev/hanna/whatsappcrm_backend && DB_NAME=whatsappcrm_db "
                              "DB_USER=hanna_user DB_PASSWORD=\u2022\u2022\u2022\u2022 DB_HOST=127.0.0.1 "
                              "DB_PORT=5432 /home/dev/hanna/venv/bin/python -u manage.py showmigrations");
        QTest::addRow("spaces and umlaut compose")
            << odd << QStringLiteral("hannacrm") << compose << plugin << QStringLiteral("docker")
            << QStringList{QStringLiteral("compose"), QStringLiteral("-f"),
                           odd + QStringLiteral("/docker-compose.yml"), QStringLiteral("exec"), QStringLiteral("-T"),
                           QStringLiteral("backend"), QStringLiteral("python"), QStringLiteral("-u"),
                           QStringLiteral("manage.py"), QStringLiteral("showmigrations")}
            << odd
            << QStringLiteral("cd '/tmp/Mein Projekt \u00fc/hanna crm' && docker compose -f "
                              "'/tmp/Mein Projekt \u00fc/hanna crm/docker-compose.yml' exec -T "
                              "backend python -u manage.py showmigrations");
        QTest::addRow("spaces and umlaut local")
            << odd << QStringLiteral("hannacrm") << local << plugin
            << odd + QStringLiteral("/venv/bin/python")
            << QStringList{QStringLiteral("-u"), QStringLiteral("manage.py"), QStringLiteral("showmigrations")}
            << odd + QStringLiteral("/whatsappcrm_backend")
            << QStringLiteral("cd '/tmp/Mein Projekt \u00fc/hanna crm/whatsappcrm_backend' && "
                              "DB_NAME=whatsappcrm_db DB_USER=hanna_user DB_PASSWORD=\u2022\u2022\u2022\u2022 "
                              "DB_HOST=127.0.0.1 DB_PORT=5432 "
                              "'/tmp/Mein Projekt \u00fc/hanna crm/venv/bin/python' -u manage.py showmigrations");
    }

    void showMigrations()
    {
        QFETCH(QString, root);
        QFETCH(QString, projectName);
        QFETCH(int, target);
        QFETCH(int, variant);
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QString, workingDir);
        QFETCH(QString, command);

        ProjectConfig config = hannaConfig(root, projectName, TargetKind(target));
        config.composeVariant = ComposeVariant(variant);
        OperationOptions options;
        const Plan plan = OperationCatalog::build(QStringLiteral("showmigrations"), config, options);

        QCOMPARE(plan.id, QStringLiteral("showmigrations"));
        QCOMPARE(plan.projectRoot, root);
        QVERIFY(!plan.destructive);
        QVERIFY(plan.secrets.contains(kSentinel));
        const ProcessStep &step = onlyProcess(plan);
        QCOMPARE(step.program, program);
        QCOMPARE(step.args, args);
        QCOMPARE(step.workingDir, workingDir);
        QVERIFY(step.showOutput);

        if (TargetKind(target) == TargetKind::Local) {
            // The connection reaches manage.py through the environment, the password as a secret.
            QStringList names;
            for (const EnvVar &var : step.env) {
                names << var.name;
                QCOMPARE(var.secret, var.name == QStringLiteral("DB_PASSWORD"));
            }
            QCOMPARE(names, (QStringList{QStringLiteral("DB_NAME"), QStringLiteral("DB_USER"),
                                         QStringLiteral("DB_PASSWORD"), QStringLiteral("DB_HOST"),
                                         QStringLiteral("DB_PORT")}));
            QCOMPARE(step.env.at(2).value, kSentinel);
        } else {
            QVERIFY(step.env.isEmpty()); // the container has its own .env
        }

        const QString expected = QStringLiteral("# Show migrations\n"
                                                "# 1. List every migration and whether it is applied\n")
            + command + QLatin1Char('\n');
        QCOMPARE(PlanRenderer::render(plan), expected);
    }

    void localUsesConfiguredEnvNames()
    {
        ProjectConfig config = hannaConfig(QStringLiteral("/home/dev/hanna"), QStringLiteral("hanna"),
                                           TargetKind::Local);
        config.dbEnv.name = QStringLiteral("POSTGRES_DB");
        config.dbEnv.password = QStringLiteral("POSTGRES_PASSWORD");
        const ProcessStep step = LocalTarget(config).manage({QStringLiteral("check")});
        QCOMPARE(step.env.at(0).name, QStringLiteral("POSTGRES_DB"));
        QCOMPARE(step.env.at(2).name, QStringLiteral("POSTGRES_PASSWORD"));
        QVERIFY(step.env.at(2).secret);
        QVERIFY(PlanRenderer::renderProcess(step).contains(QStringLiteral("POSTGRES_PASSWORD=\u2022\u2022\u2022\u2022")));
    }

    void history()
    {
        const ProjectConfig config = hannaConfig(QStringLiteral("/home/dev/hanna"), QStringLiteral("hanna"),
                                                 TargetKind::Compose);
        const Plan plan = OperationCatalog::build(QStringLiteral("history"), config);
        QCOMPARE(plan.steps.size(), 1);
        const SqlStep &step = std::get<SqlStep>(plan.steps.constFirst());
        QCOMPARE(step.db.name, QStringLiteral("whatsappcrm_db"));
        QCOMPARE(step.statements.size(), 1);
        QVERIFY(step.statements.constFirst().printRows);
        QCOMPARE(PlanRenderer::render(plan),
                 QStringLiteral("# View history\n"
                                "# 1. Read the migration history from django_migrations\n"
                                "-- database whatsappcrm_db on 127.0.0.1:5432 as hanna_user\n"
                                "SELECT app, name, applied FROM django_migrations ORDER BY applied;\n"));
    }

    void sqlRendersTransactionAndBoundValues()
    {
        SqlStep step;
        step.db.name = QStringLiteral("db");
        step.db.user = QStringLiteral("u");
        step.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations WHERE app = ?"),
                                        {QStringLiteral("it's")}, false}
                        << SqlStatement{QStringLiteral("DELETE FROM t WHERE id = ?;"), {5}, false};
        QCOMPARE(PlanRenderer::renderSql(step),
                 QStringLiteral("-- database db on 127.0.0.1:5432 as u\n"
                                "BEGIN;\n"
                                "DELETE FROM django_migrations WHERE app = ?;\n"
                                "-- bound values: 'it''s'\n"
                                "DELETE FROM t WHERE id = ?;\n"
                                "-- bound values: 5\n"
                                "COMMIT;"));
    }

    void fileAndWaitRender()
    {
        FileStep files;
        files.baseDir = QStringLiteral("/home/dev/my app");
        files.paths = {QStringLiteral("crm/migrations/0001_initial.py"), QStringLiteral("crm/migrations/__pycache__")};
        files.backupDir = QStringLiteral("/home/dev/backup 1");
        files.remove = true;
        QCOMPARE(PlanRenderer::renderFiles(files),
                 QStringLiteral("cd '/home/dev/my app' && mkdir -p '/home/dev/backup 1' && cp -a --parents -- "
                                "crm/migrations/0001_initial.py crm/migrations/__pycache__ '/home/dev/backup 1'\n"
                                "cd '/home/dev/my app' && rm -rf -- crm/migrations/0001_initial.py "
                                "crm/migrations/__pycache__"));
        WaitStep wait;
        wait.db.name = QStringLiteral("whatsappcrm_db");
        wait.timeoutMs = 30000;
        QCOMPARE(PlanRenderer::renderWait(wait),
                 QStringLiteral("# wait up to 30 s until PostgreSQL accepts connections\n"
                                "pg_isready -h 127.0.0.1 -p 5432 -d whatsappcrm_db -U postgres"));
    }

    void secretsNeverInArgvOrPreview_data()
    {
        QTest::addColumn<int>("target");
        QTest::addRow("compose") << int(TargetKind::Compose);
        QTest::addRow("local") << int(TargetKind::Local);
    }

    void secretsNeverInArgvOrPreview()
    {
        QFETCH(int, target);
        const ProjectConfig config = hannaConfig(QStringLiteral("/tmp/Mein Projekt \u00fc/x"),
                                                 QStringLiteral("x"), TargetKind(target));
        QVERIFY(!OperationCatalog::all().isEmpty());
        for (const Operation &op : OperationCatalog::all()) {
            const Plan plan = OperationCatalog::build(op.name, config);
            QVERIFY2(!PlanRenderer::render(plan).contains(kSentinel), qPrintable(op.name));
            for (const PlanStep &step : plan.steps) {
                if (const auto *p = std::get_if<ProcessStep>(&step)) {
                    QVERIFY(!p->program.contains(kSentinel));
                    for (const QString &arg : p->args)
                        QVERIFY2(!arg.contains(kSentinel), qPrintable(op.name));
                }
            }
        }
        // A secret handed to a container goes by name: `-e NAME`, value in docker's environment.
        const auto t = Targets::forProject(config);
        ProcessStep step = t->manage({QStringLiteral("createsuperuser"), QStringLiteral("--noinput")},
                                     {{QStringLiteral("DJANGO_SUPERUSER_PASSWORD"), kSentinel, true}});
        for (const QString &arg : step.args)
            QVERIFY(!arg.contains(kSentinel));
        bool inEnv = false;
        for (const EnvVar &var : step.env)
            inEnv |= var.name == QStringLiteral("DJANGO_SUPERUSER_PASSWORD") && var.value == kSentinel && var.secret;
        QVERIFY(inEnv);
        const QString rendered = PlanRenderer::renderProcess(step);
        QVERIFY(!rendered.contains(kSentinel));
        QVERIFY(rendered.contains(QStringLiteral("DJANGO_SUPERUSER_PASSWORD=\u2022\u2022\u2022\u2022")));
        if (TargetKind(target) == TargetKind::Compose) {
            const qsizetype e = step.args.indexOf(QStringLiteral("-e"));
            QVERIFY(e > 0);
            QCOMPARE(step.args.at(e + 1), QStringLiteral("DJANGO_SUPERUSER_PASSWORD"));
            QVERIFY(step.args.indexOf(QStringLiteral("-T")) < e);
            // A scratch copy mounted into the container gets no root-owned __pycache__ folders.
            const ProcessStep scratch = t->manageOn(QStringLiteral("scratch_db"), QStringLiteral("/tmp/copy"),
                                                    {QStringLiteral("migrate")});
            QVERIFY2(scratch.args.join(u' ').contains(QStringLiteral("-e PYTHONDONTWRITEBYTECODE")),
                     qPrintable(scratch.args.join(u' ')));
            bool noBytecode = false;
            for (const EnvVar &var : scratch.env)
                noBytecode |= var.name == QStringLiteral("PYTHONDONTWRITEBYTECODE") && var.value == QStringLiteral("1");
            QVERIFY(noBytecode);
        }
    }

    void quoteKeepsPlainWords()
    {
        QCOMPARE(ShellQuote::quote(QStringLiteral("manage.py")), QStringLiteral("manage.py"));
        QCOMPARE(ShellQuote::quote(QStringLiteral("/a/b-c_d.yml")), QStringLiteral("/a/b-c_d.yml"));
        QCOMPARE(ShellQuote::quote(QString()), QStringLiteral("''"));
        QCOMPARE(ShellQuote::quote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
        QCOMPARE(ShellQuote::quote(QStringLiteral("~")), QStringLiteral("'~'"));
    }

    void quotingRoundTrips_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addRow("plain") << QStringList{QStringLiteral("manage.py"), QStringLiteral("showmigrations")};
        QTest::addRow("spaces") << QStringList{QStringLiteral("/tmp/Mein Projekt \u00fc/x"), QStringLiteral("a  b")};
        QTest::addRow("quotes") << QStringList{QStringLiteral("it's"), QStringLiteral("\"dq\""), QStringLiteral("''")};
        QTest::addRow("expansions") << QStringList{QStringLiteral("$HOME"), QStringLiteral("`id`"),
                                                   QStringLiteral("$(id)"), QStringLiteral("*"), QStringLiteral("~"),
                                                   QStringLiteral("!x"), QStringLiteral("a;b|c&d")};
        QTest::addRow("escapes") << QStringList{QStringLiteral("back\\slash"), QStringLiteral("tab\there"),
                                                QStringLiteral("new\nline"), QStringLiteral("-n"), QString()};
        QTest::addRow("non-ascii") << QStringList{QStringLiteral("\u00fc\u00df\u20ac"), QStringLiteral("\u65e5\u672c")};
    }

    void quotingRoundTrips()
    {
        // Only the test runs a shell: to prove what a user pastes means what the app runs.
        QFETCH(QStringList, words);
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"), QStringLiteral("printf '%s\\0' ") + ShellQuote::join(words)});
        QVERIFY(sh.waitForFinished(10000));
        QCOMPARE(sh.exitCode(), 0);
        QByteArray out = sh.readAllStandardOutput();
        QVERIFY(out.endsWith('\0'));
        out.chop(1);
        QStringList back;
        for (const QByteArray &part : out.split('\0'))
            back << QString::fromUtf8(part);
        QCOMPARE(back, words);
    }

    void catalog()
    {
        QStringList names;
        for (const Operation &op : OperationCatalog::all())
            names << op.name;
        QVERIFY(names.contains(QStringLiteral("showmigrations")));
        QVERIFY(names.contains(QStringLiteral("history")));
        QVERIFY(names.contains(QStringLiteral("check")));
        QCOMPARE(names.removeDuplicates(), 0);
        QVERIFY(OperationCatalog::build(QStringLiteral("no-such-op"), ProjectConfig()).id.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
