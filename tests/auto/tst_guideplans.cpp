// The guide's plans are pure functions of config + options + facts: the exact preview of each
// step for Compose and Local (Hanna defaults and a path with spaces and non-ASCII), the
// destructive flag, backups before anything destructive, secrets never in argv or the preview,
// blockers and confirmations, and the hints read from migrate's output.

#include "operations/automatedresetplan.h"
#include "operations/databaseresetplan.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "operations/migrateoutputadvisor.h"
#include "operations/resetstepplans.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "safety/backupstore.h"
#include "safety/productionguard.h"
#include "safety/restoreplans.h"
#include "safety/safetysteps.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kDbSecret = QStringLiteral("Db-S3ntinel-\u00e4'x");
const QString kSuperSecret = QStringLiteral("Su-S3ntinel-\u00df\"y");
const QString kHanna = QStringLiteral("/home/dev/hanna");
const QString kOdd = QStringLiteral("/tmp/Mein Projekt \u00fc/hanna crm");

ProjectConfig hannaConfig(const QString &root, TargetKind target)
{
    ProjectConfig c;
    c.root = root;
    c.composeFile = root + QStringLiteral("/docker-compose.yml");
    c.envFile = root + QStringLiteral("/.env");
    c.composeProjectName = root == kHanna ? QStringLiteral("hanna") : QStringLiteral("hannacrm");
    // Hanna lets compose find its files (no -f: the override file counts); the odd path chose one.
    c.composeFileChosen = root != kHanna;
    c.backendDir = root + QStringLiteral("/whatsappcrm_backend");
    c.containerWorkdir = QStringLiteral("/app");
    c.db.host = QStringLiteral("127.0.0.1");
    c.db.port = 5432;
    c.db.name = QStringLiteral("whatsappcrm_db");
    c.db.user = QStringLiteral("postgres");
    c.db.password = kDbSecret;
    c.python = root + QStringLiteral("/venv/bin/python");
    c.target = target;
    return c;
}

const QStringList kApps{QStringLiteral("conversations"), QStringLiteral("customer_data"), QStringLiteral("flows"),
                        QStringLiteral("meta_integration")};

GuideFacts knownFacts()
{
    GuideFacts f;
    f.appsKnown = true;
    f.projectApps = kApps;
    f.historyCounted = true;
    f.historyRows = 10;
    f.historyRowsByApp = {{QStringLiteral("flows"), 10}};
    f.filesListed = true;
    f.deletableFiles = {QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py"),
                        QStringLiteral("whatsappcrm_backend/flows/migrations/__pycache__")};
    f.volumeChecked = true;
    f.volumeKey = QStringLiteral("postgres_data");
    f.postgresVolumes = {QStringLiteral("hanna_postgres_data")};
    f.tablesChecked = true;
    f.appTablesExist = true;
    f.commit.checked = true;
    f.commit.isRepository = true;
    f.commit.branch = QStringLiteral("main");
    f.commit.upstream = QStringLiteral("origin/main");
    f.commit.remotes = {QStringLiteral("origin")};
    f.commit.migrationFiles = {QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py")};
    return f;
}

OperationOptions fullOptions()
{
    OperationOptions o;
    o.facts = knownFacts();
    o.values.insert(GuideOption::Username, QStringLiteral("admin"));
    o.values.insert(GuideOption::Email, QStringLiteral("admin@hanna.example"));
    o.values.insert(GuideOption::Superuser, QStringLiteral("1"));
    o.values.insert(GuideOption::Commit, QStringLiteral("1"));
    o.values.insert(GuideOption::Push, QStringLiteral("1"));
    o.superuserPassword = kSuperSecret;
    return o;
}

// Each step's masked command text, "# N. description" first, as the preview shows it.
QStringList renderedSteps(const Plan &plan, int from)
{
    QStringList out;
    for (int i = from; i < plan.steps.size(); ++i)
        out << QStringLiteral("# %1\n").arg(stepDescription(plan.steps.at(i)))
                + PlanRenderer::renderStep(plan.steps.at(i), plan.secrets);
    return out;
}

// Index of the first step that changes or removes something the backups protect.
int firstDestructive(const Plan &plan)
{
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStep &step = plan.steps.at(i);
        if (const auto *s = std::get_if<SqlStep>(&step)) {
            for (const SqlStatement &st : s->statements) {
                if (st.sql.startsWith(QStringLiteral("DELETE")))
                    return i;
            }
        }
        if (const auto *f = std::get_if<FileStep>(&step); f && f->remove)
            return i;
        if (const auto *p = std::get_if<ProcessStep>(&step)) {
            if (p->args.contains(QStringLiteral("down")) || p->args.contains(QStringLiteral("rm"))
                || p->args.contains(QStringLiteral("makemigrations")) || p->args.contains(QStringLiteral("migrate")))
                return i;
        }
        // The schema check drops only its own scratch database.
        if (const auto *c = std::get_if<CallStep>(&step);
            c && c->detail.contains(QStringLiteral("DROP DATABASE")) && !c->detail.contains(QStringLiteral("Nothing of yours changes")))
            return i;
    }
    return -1;
}

} // namespace

class TestGuidePlans : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_state;

private slots:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        qputenv("MIGRATIONDESK_STATE_DIR", m_state.path().toUtf8());
    }

    // What a resume compares: the choices, not how a front end spells "not chosen".
    void planInputsNameChoicesOnly()
    {
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Compose);
        OperationOptions cli;
        cli.values.insert(GuideOption::Superuser, QStringLiteral("1"));
        OperationOptions gui = cli;
        gui.values.insert(GuideOption::Commit, QStringLiteral("0"));
        gui.values.insert(GuideOption::Push, QStringLiteral("0"));
        gui.values.insert(SafetySteps::BackupDirOption, QStringLiteral("/tmp/backup-of-the-failed-run"));
        const QStringList a = OperationCatalog::build(QStringLiteral("reset-migrations"), config, cli).inputs;
        QCOMPARE(OperationCatalog::build(QStringLiteral("reset-migrations"), config, gui).inputs, a);
        QVERIFY(a.contains(QStringLiteral("option %1=1").arg(GuideOption::Superuser)));
        ProjectConfig other = config;
        other.composeFileChosen = true;
        other.composeFile = kHanna + QStringLiteral("/docker-compose.prod.yml");
        QVERIFY(OperationCatalog::build(QStringLiteral("reset-migrations"), other, cli).inputs != a);
        for (const QString &input : a)
            QVERIFY2(!input.contains(kDbSecret), qPrintable(input));
    }

    // A db reached at its container's address: a reset is refused (the address dies with the
    // container), and a host the user typed is judged by the guard as given.
    void containerAddressRefusesResetAndNeverHidesAHost()
    {
        ProjectConfig config = hannaConfig(kHanna, TargetKind::Compose);
        config.db.host = QStringLiteral("172.18.0.2");
        config.dbViaContainerAddress = true;
        OperationOptions options;
        options.facts.volumeChecked = true;
        options.facts.postgresVolumes = {QStringLiteral("hanna_postgres_data")};
        const QString blockers = OperationCatalog::blockers(QStringLiteral("reset-database"), config, options).join(u' ');
        QVERIFY2(blockers.contains(QStringLiteral("publishes no port")), qPrintable(blockers));
        QVERIFY(!ProductionGuard::reasons(config).join(u' ').contains(QStringLiteral("not this machine")));
        ProjectOverrides typed;
        typed.dbHost = QStringLiteral("db.prod.example.com");
        typed.applyTo(config);
        QVERIFY(!config.dbViaContainerAddress);
        QVERIFY(ProductionGuard::reasons(config).join(u' ').contains(QStringLiteral("not this machine")));
    }

    void catalogGroups()
    {
        QCOMPARE(OperationCatalog::groups(),
                 (QStringList{QStringLiteral("Inspect"), QStringLiteral("Reset steps"), QStringLiteral("Database"),
                              QStringLiteral("Repair")}));
        const QStringList names{QStringLiteral("clear-history"), QStringLiteral("delete-files"),
                                QStringLiteral("makemigrations"), QStringLiteral("migrate"),
                                QStringLiteral("createsuperuser"), QStringLiteral("commit"),
                                QStringLiteral("showmigrations"), QStringLiteral("history"),
                                QStringLiteral("reset-database"), QStringLiteral("reset-migrations")};
        for (const QString &name : names) {
            const Operation *op = OperationCatalog::find(name);
            QVERIFY2(op, qPrintable(name));
            QVERIFY(OperationCatalog::inGroup(op->group).contains(op));
        }
        const QStringList destructive{QStringLiteral("clear-history"), QStringLiteral("delete-files"),
                                      QStringLiteral("reset-database"), QStringLiteral("reset-migrations"),
                                      QStringLiteral("align-schema"),
                                      QStringLiteral("switch-branch")}; // unapplies what the branch lacks
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Compose);
        for (const Operation &op : OperationCatalog::all()) {
            const Plan plan = OperationCatalog::build(op.name, config, fullOptions());
            QCOMPARE(plan.destructive, destructive.contains(op.name));
            QCOMPARE(op.destructive, destructive.contains(op.name));
            // The tooltip holds the exact commands of the same plan.
            const QString tip = OperationCatalog::tooltip(op.name, config, fullOptions());
            QVERIFY(tip.startsWith(op.summary));
            QVERIFY2(!tip.contains(kSuperSecret) && !tip.contains(kDbSecret), qPrintable(op.name));
        }
    }

    void exactSteps_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("root");
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("backupSteps"); // steps before these (the backups) are checked elsewhere
        QTest::addColumn<QStringList>("expected");

        const int compose = int(TargetKind::Compose);
        const int local = int(TargetKind::Local);
        const QString dc = QStringLiteral("cd /home/dev/hanna && docker compose ");
        const QString dcOdd = QStringLiteral("cd '/tmp/Mein Projekt \u00fc/hanna crm' && docker compose -f "
                                             "'/tmp/Mein Projekt \u00fc/hanna crm/docker-compose.yml' ");
        const QString localEnv = QStringLiteral("DB_NAME=whatsappcrm_db DB_USER=postgres DB_PASSWORD=\u2022\u2022\u2022\u2022 "
                                                "DB_HOST=127.0.0.1 DB_PORT=5432 ");
        const QString suEnv = QStringLiteral("DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_EMAIL=admin@hanna.example "
                                             "DJANGO_SUPERUSER_PASSWORD=\u2022\u2022\u2022\u2022 ");
        const QString suExec = QStringLiteral("exec -T -e DJANGO_SUPERUSER_USERNAME -e DJANGO_SUPERUSER_EMAIL "
                                              "-e DJANGO_SUPERUSER_PASSWORD -w /app backend python -u manage.py "
                                              "createsuperuser --noinput");

        QTest::addRow("makemigrations compose")
            << QStringLiteral("makemigrations") << kHanna << compose << 0
            << QStringList{QStringLiteral("# Generate new migration files for conversations, flows\n") + dc
                           + QStringLiteral("exec -T -w /app backend python -u manage.py makemigrations conversations flows")};
        // Step 0 is the schema check that guards --fake-initial (tst_pg_schemacheck runs it).
        QTest::addRow("migrate local odd path")
            << QStringLiteral("migrate") << kOdd << local << 1
            << QStringList{QStringLiteral("# Apply the migrations; record initial ones whose tables already exist as applied\n"
                                          "cd '/tmp/Mein Projekt \u00fc/hanna crm/whatsappcrm_backend' && ")
                           + localEnv
                           + QStringLiteral("'/tmp/Mein Projekt \u00fc/hanna crm/venv/bin/python' -u manage.py migrate "
                                            "--fake-initial --noinput")};
        QTest::addRow("createsuperuser compose odd path")
            << QStringLiteral("createsuperuser") << kOdd << compose << 0
            << QStringList{QStringLiteral("# Create the superuser admin\n") + dcOdd.left(dcOdd.indexOf(QStringLiteral(" docker")) + 1)
                           + suEnv + dcOdd.mid(dcOdd.indexOf(QStringLiteral("docker"))) + suExec};
        QTest::addRow("commit compose")
            << QStringLiteral("commit") << kHanna << compose << 0
            << QStringList{QStringLiteral("# Stage exactly the migration files under whatsappcrm_backend\n"
                                          "cd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git add -A -- "
                                          "':(glob)whatsappcrm_backend/*/migrations/*.py'"),
                           QStringLiteral("# Commit them\ncd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git commit -m "
                                          "'Regenerate all Django migrations'\n"
                                          "# if it fails: cd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git reset -q -- "
                                          "':(glob)whatsappcrm_backend/*/migrations/*.py'"),
                           QStringLiteral("# Push the commit (never forced)\ncd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 "
                                          "git push origin HEAD:refs/heads/main")};
        QTest::addRow("clear-history local")
            << QStringLiteral("clear-history") << kHanna << local << -1
            << QStringList{QStringLiteral("# Delete the migration history of the project's apps (conversations, "
                                          "customer_data, flows, meta_integration)\n"
                                          "-- database whatsappcrm_db on 127.0.0.1:5432 as postgres\n"
                                          "DELETE FROM django_migrations WHERE app IN (?, ?, ?, ?);\n"
                                          "-- bound values: 'conversations', 'customer_data', 'flows', 'meta_integration'")};
        QTest::addRow("delete-files odd path")
            << QStringLiteral("delete-files") << kOdd << compose << -1
            << QStringList{QStringLiteral("# Delete 2 migration file(s) and caches (every migrations/*.py except "
                                          "__init__.py)\ncd '/tmp/Mein Projekt \u00fc/hanna crm' && rm -rf -- "
                                          "whatsappcrm_backend/flows/migrations/0001_initial.py "
                                          "whatsappcrm_backend/flows/migrations/__pycache__")};
        QTest::addRow("reset-database compose")
            << QStringLiteral("reset-database") << kHanna << compose << -1
            << QStringList{QStringLiteral("# Stop and remove the containers of compose project hanna\n") + dc + QStringLiteral("down"),
                           QStringLiteral("# Remove volume hanna_postgres_data, the database's data\n"
                                          "cd /home/dev/hanna && docker volume rm hanna_postgres_data"),
                           QStringLiteral("# Start the stack again (PostgreSQL initialises an empty database)\n") + dc
                               + QStringLiteral("up -d"),
                           QStringLiteral("# Wait until PostgreSQL accepts connections\n"
                                          "# wait up to 120 s until PostgreSQL accepts connections\n"
                                          "pg_isready -h 127.0.0.1 -p 5432 -d whatsappcrm_db -U postgres"),
                           QStringLiteral("# Apply the migrations\n") + dc
                               + QStringLiteral("exec -T -w /app backend python -u manage.py migrate --noinput"),
                           QStringLiteral("# Create the superuser admin\ncd /home/dev/hanna && ") + suEnv
                               + dc.mid(dc.indexOf(QStringLiteral("docker"))) + suExec};
        QTest::addRow("reset-database local odd path")
            << QStringLiteral("reset-database") << kOdd << local << -1
            << QStringList{QStringLiteral("# Drop database whatsappcrm_db (its sessions are ended)\n"
                                          "# (MigrationDesk) -- maintenance database postgres on 127.0.0.1:5432 as postgres\n"
                                          "DROP DATABASE IF EXISTS \"whatsappcrm_db\" WITH (FORCE);"),
                           QStringLiteral("# Create database whatsappcrm_db again, empty\n"
                                          "# (MigrationDesk) -- maintenance database postgres on 127.0.0.1:5432 as postgres\n"
                                          "CREATE DATABASE \"whatsappcrm_db\";"),
                           QStringLiteral("# Apply the migrations\ncd '/tmp/Mein Projekt \u00fc/hanna crm/whatsappcrm_backend' && ")
                               + localEnv
                               + QStringLiteral("'/tmp/Mein Projekt \u00fc/hanna crm/venv/bin/python' -u manage.py migrate --noinput"),
                           QStringLiteral("# Create the superuser admin\ncd '/tmp/Mein Projekt \u00fc/hanna crm/whatsappcrm_backend' && ")
                               + localEnv + suEnv
                               + QStringLiteral("'/tmp/Mein Projekt \u00fc/hanna crm/venv/bin/python' -u manage.py "
                                                "createsuperuser --noinput")};
        QTest::addRow("reset-migrations compose")
            << QStringLiteral("reset-migrations") << kHanna << compose << -1
            << QStringList{QStringLiteral("# Delete the migration history of the project's apps (conversations, "
                                          "customer_data, flows, meta_integration)\n"
                                          "-- database whatsappcrm_db on 127.0.0.1:5432 as postgres\n"
                                          "DELETE FROM django_migrations WHERE app IN (?, ?, ?, ?);\n"
                                          "-- bound values: 'conversations', 'customer_data', 'flows', 'meta_integration'"),
                           QStringLiteral("# Delete 2 migration file(s) and caches (every migrations/*.py except "
                                          "__init__.py)\ncd /home/dev/hanna && rm -rf -- "
                                          "whatsappcrm_backend/flows/migrations/0001_initial.py "
                                          "whatsappcrm_backend/flows/migrations/__pycache__"),
                           QStringLiteral("# Generate new migration files for every app\n") + dc
                               + QStringLiteral("exec -T -w /app backend python -u manage.py makemigrations"),
                           QStringLiteral("# Apply the migrations; record initial ones whose tables already exist as applied\n") + dc
                               + QStringLiteral("exec -T -w /app backend python -u manage.py migrate --fake-initial --noinput"),
                           QStringLiteral("# Create the superuser admin\ncd /home/dev/hanna && ") + suEnv
                               + dc.mid(dc.indexOf(QStringLiteral("docker"))) + suExec,
                           QStringLiteral("# Stage exactly the migration files under whatsappcrm_backend\n"
                                          "cd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git add -A -- "
                                          "':(glob)whatsappcrm_backend/*/migrations/*.py'"),
                           QStringLiteral("# Commit them\ncd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git commit -m "
                                          "'Regenerate all Django migrations'\n"
                                          "# if it fails: cd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 git reset -q -- "
                                          "':(glob)whatsappcrm_backend/*/migrations/*.py'"),
                           QStringLiteral("# Push the commit (never forced)\ncd /home/dev/hanna && GIT_TERMINAL_PROMPT=0 "
                                          "git push origin HEAD:refs/heads/main")};
    }

    void exactSteps()
    {
        QFETCH(QString, operation);
        QFETCH(QString, root);
        QFETCH(int, target);
        QFETCH(int, backupSteps);
        QFETCH(QStringList, expected);
        OperationOptions options = fullOptions();
        options.values.insert(GuideOption::Apps, QStringLiteral("conversations, flows"));
        options.values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
        const ProjectConfig config = hannaConfig(root, TargetKind(target));
        const Plan plan = OperationCatalog::build(operation, config, options);
        QCOMPARE(plan.id, operation);
        // Destructive plans: everything after the backups (counted as the steps before the first
        // destructive one) is compared.
        const int from = backupSteps >= 0 ? backupSteps : firstDestructive(plan);
        QVERIFY(from >= 0);
        const QStringList actual = renderedSteps(plan, from);
        for (int i = 0; i < std::min(actual.size(), expected.size()); ++i)
            QCOMPARE(actual.at(i), expected.at(i));
        QCOMPARE(actual.size(), expected.size());
        // The whole preview: title, numbered steps, never a secret.
        const QString preview = PlanRenderer::render(plan);
        QVERIFY(preview.startsWith(QStringLiteral("# ") + plan.title));
        QVERIFY(!preview.contains(kDbSecret));
        QVERIFY(!preview.contains(kSuperSecret));
    }

    void fullPreviewOfMigrate()
    {
        // One complete preview, byte for byte, as `run migrate --dry-run` prints it.
        const Plan plan = OperationCatalog::build(QStringLiteral("migrate"), hannaConfig(kHanna, TargetKind::Compose));
        QCOMPARE(PlanRenderer::render(plan),
                 QStringLiteral("# Apply migrations\n# 1. Apply the migrations\ncd /home/dev/hanna && docker compose "
                                "exec -T -w /app backend python -u "
                                "manage.py migrate --noinput\n"));
    }

    void backupsFirst_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<int>("target");
        QTest::addColumn<QStringList>("backupMarks"); // text a backup step before the first destructive one shows
        const QStringList history{QStringLiteral("django_migrations.json")};
        const QStringList files{QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py")};
        const QStringList database{QStringLiteral("pg_dump")};
        for (int target : {int(TargetKind::Compose), int(TargetKind::Local)}) {
            const QString t = target == int(TargetKind::Compose) ? QStringLiteral("compose") : QStringLiteral("local");
            QTest::addRow("clear-history %s", qPrintable(t)) << QStringLiteral("clear-history") << target << history;
            QTest::addRow("delete-files %s", qPrintable(t)) << QStringLiteral("delete-files") << target << files;
            QTest::addRow("reset-database %s", qPrintable(t)) << QStringLiteral("reset-database") << target << database;
            QTest::addRow("reset-migrations %s", qPrintable(t))
                << QStringLiteral("reset-migrations") << target << (database + history + files);
        }
    }

    void backupsFirst()
    {
        QFETCH(QString, operation);
        QFETCH(int, target);
        QFETCH(QStringList, backupMarks);
        const Plan plan = OperationCatalog::build(operation, hannaConfig(kOdd, TargetKind(target)), fullOptions());
        QVERIFY(plan.destructive);
        const int destructive = firstDestructive(plan);
        QVERIFY(destructive > 0);
        QString before;
        for (int i = 0; i < destructive; ++i)
            before += PlanRenderer::renderStep(plan.steps.at(i), plan.secrets) + QLatin1Char('\n');
        for (const QString &mark : backupMarks)
            QVERIFY2(before.contains(mark), qPrintable(QStringLiteral("%1 missing before step %2:\n%3")
                                                            .arg(mark).arg(destructive + 1).arg(before)));
        // A file backup copies exactly the files the plan deletes.
        if (backupMarks.contains(QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py"))) {
            bool copied = false;
            for (int i = 0; i < destructive; ++i) {
                if (const auto *f = std::get_if<FileStep>(&plan.steps.at(i)))
                    copied |= !f->remove && !f->backupDir.isEmpty() && f->paths == knownFacts().deletableFiles;
            }
            QVERIFY(copied);
        }
    }

    void secretsNeverInArgvOrPreview()
    {
        for (TargetKind target : {TargetKind::Compose, TargetKind::Local}) {
            const ProjectConfig config = hannaConfig(kOdd, target);
            for (const Operation &op : OperationCatalog::all()) {
                const Plan plan = OperationCatalog::build(op.name, config, fullOptions());
                QVERIFY(plan.secrets.contains(kSuperSecret));
                const QString preview = PlanRenderer::render(plan);
                QVERIFY2(!preview.contains(kSuperSecret) && !preview.contains(kDbSecret), qPrintable(op.name));
                for (const PlanStep &step : plan.steps) {
                    const auto *p = std::get_if<ProcessStep>(&step);
                    if (!p)
                        continue;
                    QVERIFY(!p->program.contains(kSuperSecret));
                    for (const QString &arg : p->args) {
                        QVERIFY2(!arg.contains(kSuperSecret) && !arg.contains(kDbSecret), qPrintable(op.name));
                    }
                    for (const EnvVar &var : p->env) {
                        if (var.value == kSuperSecret || var.value == kDbSecret)
                            QVERIFY2(var.secret, qPrintable(var.name));
                    }
                }
            }
        }
    }

    void fakeInitialWhenTablesExist()
    {
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Local);
        OperationOptions options;
        options.facts = knownFacts();
        auto migrateArgs = [&] {
            const Plan plan = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
            for (const PlanStep &step : plan.steps) {
                if (const auto *p = std::get_if<ProcessStep>(&step); p && p->args.contains(QStringLiteral("migrate")))
                    return p->args;
            }
            return QStringList();
        };
        // The fake is guarded: the schema check on regenerated copies is the very first step.
        auto guarded = [&] {
            const Plan plan = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
            const auto *check = std::get_if<CallStep>(&plan.steps.constFirst());
            return check && check->description.contains(QStringLiteral("regenerated migrations create"));
        };
        QVERIFY(migrateArgs().contains(QStringLiteral("--fake-initial")));
        QVERIFY(guarded());
        options.facts.appTablesExist = false;
        QVERIFY(!migrateArgs().contains(QStringLiteral("--fake-initial")));
        QVERIFY(!guarded());
        QVERIFY(!migrateArgs().isEmpty());
    }

    void clearHistoryScope()
    {
        SqlStatement all = ResetStepPlans::clearHistoryStatement(kApps, true);
        QCOMPARE(all.sql, QStringLiteral("DELETE FROM django_migrations"));
        QVERIFY(all.values.isEmpty());
        // No app known never widens to every row.
        QCOMPARE(ResetStepPlans::clearHistoryStatement({}, false).sql,
                 QStringLiteral("DELETE FROM django_migrations WHERE false"));
        const SqlStatement some = ResetStepPlans::clearHistoryStatement({QStringLiteral("a'b")}, false);
        QCOMPARE(some.sql, QStringLiteral("DELETE FROM django_migrations WHERE app IN (?)"));
        QCOMPARE(some.values, QVariantList{QStringLiteral("a'b")});
    }

    void perMigrationMigrate()
    {
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Compose);
        OperationOptions options;
        options.values = {{QStringLiteral("app"), QStringLiteral("flows")}, {QStringLiteral("to"), QStringLiteral("0002_x")}};
        const Plan plan = OperationCatalog::build(QStringLiteral("migrate"), config, options);
        QVERIFY(plan.destructive); // going back drops tables: a verified dump comes first
        QVERIFY(!plan.backupDir.isEmpty());
        QVERIFY2(PlanRenderer::render(plan).indexOf(QStringLiteral("pg_dump")) < PlanRenderer::render(plan).indexOf(QStringLiteral("manage.py migrate flows")),
                 qPrintable(PlanRenderer::render(plan)));
        const ProcessStep last = std::get<ProcessStep>(plan.steps.constLast());
        QCOMPARE(last.args.mid(last.args.indexOf(QStringLiteral("manage.py")) + 1),
                 (QStringList{QStringLiteral("migrate"), QStringLiteral("flows"), QStringLiteral("0002_x"), QStringLiteral("--noinput")}));
        QVERIFY(OperationCatalog::blockers(QStringLiteral("migrate"), config, options).isEmpty());
        const Confirmation c = OperationCatalog::confirmation(QStringLiteral("migrate"), config, options);
        QVERIFY2(c.question.contains(QStringLiteral("Migrate flows to 0002_x")), qPrintable(c.question));
        QCOMPARE(c.typedWord, QStringLiteral("flows"));

        // zero and --fake; the plain migrate stays what it was.
        options.values.insert(QStringLiteral("to"), QStringLiteral("zero"));
        options.values.insert(QStringLiteral("fake"), QStringLiteral("1"));
        const Plan fakePlan = OperationCatalog::build(QStringLiteral("migrate"), config, options);
        const ProcessStep fake = std::get<ProcessStep>(fakePlan.steps.constLast());
        QCOMPARE(fake.args.mid(fake.args.size() - 4),
                 (QStringList{QStringLiteral("flows"), QStringLiteral("zero"), QStringLiteral("--fake"), QStringLiteral("--noinput")}));
        const Plan plain = OperationCatalog::build(QStringLiteral("migrate"), config, OperationOptions());
        QVERIFY(!plain.destructive);
        QCOMPARE(plain.steps.size(), 1);

        // Names go to manage.py as arguments: plain ones only, and --to needs its app.
        OperationOptions hostile;
        hostile.values = {{QStringLiteral("app"), QStringLiteral("flows;rm")}, {QStringLiteral("to"), QStringLiteral("../x")}};
        QCOMPARE(OperationCatalog::blockers(QStringLiteral("migrate"), config, hostile).size(), 2);
        OperationOptions noApp;
        noApp.values = {{QStringLiteral("to"), QStringLiteral("zero")}};
        QVERIFY(OperationCatalog::blockers(QStringLiteral("migrate"), config, noApp).join(u' ').contains(QStringLiteral("--app")));

        OperationOptions sql;
        QCOMPARE(OperationCatalog::blockers(QStringLiteral("sqlmigrate"), config, sql).size(), 2);
        sql.values = {{QStringLiteral("app"), QStringLiteral("flows")}, {QStringLiteral("name"), QStringLiteral("0001_initial")}};
        const Plan sqlPlan = OperationCatalog::build(QStringLiteral("sqlmigrate"), config, sql);
        QVERIFY(!sqlPlan.destructive);
        const QStringList sqlArgs = std::get<ProcessStep>(sqlPlan.steps.constFirst()).args;
        QCOMPARE(sqlArgs.mid(sqlArgs.size() - 3),
                 (QStringList{QStringLiteral("sqlmigrate"), QStringLiteral("flows"), QStringLiteral("0001_initial")}));
    }

    void blockers()
    {
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Compose);
        OperationOptions options = fullOptions();
        QVERIFY(OperationCatalog::blockers(QStringLiteral("reset-migrations"), config, options).isEmpty());
        QVERIFY(OperationCatalog::blockers(QStringLiteral("commit"), config, options).isEmpty());

        // Nothing read yet: every destructive operation refuses.
        const OperationOptions empty;
        for (const QString &name : {QStringLiteral("clear-history"), QStringLiteral("delete-files"),
                                    QStringLiteral("reset-database"), QStringLiteral("reset-migrations"),
                                    QStringLiteral("commit"), QStringLiteral("createsuperuser")})
            QVERIFY2(!OperationCatalog::blockers(name, config, empty).isEmpty(), qPrintable(name));
        QVERIFY(OperationCatalog::blockers(QStringLiteral("migrate"), config, empty).isEmpty());

        // git: detached HEAD and other staged files are named.
        options.facts.commit.detachedHead = true;
        options.facts.commit.branch.clear();
        options.facts.commit.stagedOther = {QStringLiteral("README.md"), QStringLiteral("whatsappcrm_backend/flows/models.py")};
        const QString commitBlockers = OperationCatalog::blockers(QStringLiteral("commit"), config, options).join(QLatin1Char('\n'));
        QVERIFY(commitBlockers.contains(QStringLiteral("HEAD is detached")));
        QVERIFY(commitBlockers.contains(QStringLiteral("README.md, whatsappcrm_backend/flows/models.py")));

        // Compose reset without exactly one volume.
        options = fullOptions();
        options.facts.postgresVolumes.clear();
        QVERIFY(OperationCatalog::blockers(QStringLiteral("reset-database"), config, options)
                    .join(QLatin1Char(' ')).contains(QStringLiteral("com.docker.compose.project=hanna")));
        options.facts.postgresVolumes = {QStringLiteral("a"), QStringLiteral("b")};
        QVERIFY(!OperationCatalog::blockers(QStringLiteral("reset-database"), config, options).isEmpty());
        // Superuser without a password.
        options = fullOptions();
        options.superuserPassword.clear();
        QVERIFY(OperationCatalog::blockers(QStringLiteral("createsuperuser"), config, options)
                    .join(QLatin1Char(' ')).contains(QStringLiteral("MIGRATIONDESK_SUPERUSER_PASSWORD")));
    }

    void confirmations()
    {
        const OperationOptions options = fullOptions();
        const ProjectConfig compose = hannaConfig(kHanna, TargetKind::Compose);
        const Confirmation clear = OperationCatalog::confirmation(QStringLiteral("clear-history"), compose, options);
        QVERIFY(clear.question.contains(QStringLiteral("10 row(s)")));
        const Confirmation files = OperationCatalog::confirmation(QStringLiteral("delete-files"), compose, options);
        // Counted per app, then every path.
        QCOMPARE(files.items.first(), QStringLiteral("flows: 2 file(s) and cache folder(s)"));
        QCOMPARE(files.items.mid(1), knownFacts().deletableFiles);
        QVERIFY2(clear.items.contains(QStringLiteral("flows: 10 row(s)")), qPrintable(clear.items.join(u'|')));
        QCOMPARE(OperationCatalog::confirmation(QStringLiteral("reset-database"), compose, options).typedWord,
                 QStringLiteral("hanna_postgres_data"));
        QCOMPARE(OperationCatalog::confirmation(QStringLiteral("reset-database"), hannaConfig(kHanna, TargetKind::Local),
                                                options).typedWord,
                 QStringLiteral("whatsappcrm_db"));
        QCOMPARE(OperationCatalog::confirmation(QStringLiteral("reset-migrations"), compose, options).typedWord,
                 QStringLiteral("RESET"));
    }

    // DB_NAME comes from a .env: the Local reset refuses to DROP the server's own databases or any
    // name that is not a plain identifier, as a blocker (through the facts) and in the plan itself.
    void databaseResetRefusesDangerousNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("refused");
        QTest::addRow("project") << QStringLiteral("whatsappcrm_db") << false;
        QTest::addRow("digits") << QStringLiteral("Hanna_2") << false;
        QTest::addRow("postgres") << QStringLiteral("postgres") << true;
        QTest::addRow("Postgres") << QStringLiteral("Postgres") << true;
        QTest::addRow("template0") << QStringLiteral("template0") << true;
        QTest::addRow("template1") << QStringLiteral("template1") << true;
        QTest::addRow("empty") << QString() << true;
        QTest::addRow("quote") << QStringLiteral("hanna\"; --") << true;
        QTest::addRow("space") << QStringLiteral("hanna db") << true;
        QTest::addRow("dash") << QStringLiteral("hanna-db") << true;
        QTest::addRow("non-ascii") << QStringLiteral("hann\u00e4") << true;
    }

    void databaseResetRefusesDangerousNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, refused);
        ProjectConfig config = hannaConfig(kHanna, TargetKind::Local);
        config.db.name = name;
        const QString reason = DatabaseResetPlan::refusedDatabaseName(config);
        QCOMPARE(!reason.isEmpty(), refused);

        // The blocker the GUI and the CLI show (facts.errors → OperationCatalog::blockers).
        OperationOptions options;
        options.facts = GuideFactsReader::read(QStringLiteral("reset-database"), config, options);
        const QStringList blockers = OperationCatalog::blockers(QStringLiteral("reset-database"), config, options);
        QCOMPARE(blockers.contains(reason), refused);

        const Plan plan = OperationCatalog::build(QStringLiteral("reset-database"), config, options);
        const QString preview = PlanRenderer::render(plan);
        QCOMPARE(preview.contains(QStringLiteral("DROP DATABASE")), !refused);
        QCOMPARE(stepDescription(plan.steps.constFirst()).startsWith(QStringLiteral("Refuse")), refused);
        if (refused) {
            const CallStep *guard = std::get_if<CallStep>(&plan.steps.constFirst());
            QVERIFY(guard);
            CallContext context{[](const QString &) {}, [] { return false; }};
            QCOMPARE(guard->run(context), reason);
        }

        // Compose removes the volume and drops no name: nothing to refuse there.
        ProjectConfig compose = config;
        compose.target = TargetKind::Compose;
        QVERIFY(DatabaseResetPlan::refusedDatabaseName(compose).isEmpty());
    }

    // The plan names its backup folder (the runner journals it), and a resume rebuilds the plan
    // with that same folder; a folder outside this project's backups is never taken.
    void resumedPlanReusesBackupFolder()
    {
        const ProjectConfig config = hannaConfig(kHanna, TargetKind::Local);
        OperationOptions options;
        options.facts = knownFacts();
        const Plan first = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
        QVERIFY(!first.backupDir.isEmpty());
        QVERIFY(first.backupDir.startsWith(BackupStore::folderForProject(config.root) + QLatin1Char('/')));
        QVERIFY(PlanRenderer::render(first).contains(first.backupDir));

        options.values.insert(SafetySteps::BackupDirOption, first.backupDir);
        const Plan resumed = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
        QCOMPARE(resumed.backupDir, first.backupDir);
        QCOMPARE(PlanRenderer::render(resumed), PlanRenderer::render(first));

        // Any other folder (another project's, another operation's, a path out) → a fresh one.
        const QString base = BackupStore::folderForProject(config.root);
        for (const QString &other : {QStringLiteral("/tmp/elsewhere/20260101-000000-reset-migrations"),
                                     base + QStringLiteral("/20260101-000000-clear-history"),
                                     base + QStringLiteral("/../20260101-000000-reset-migrations"),
                                     base + QStringLiteral("/whatever")}) {
            options.values.insert(SafetySteps::BackupDirOption, other);
            const Plan fresh = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
            QVERIFY2(fresh.backupDir != QDir::cleanPath(other), qPrintable(other));
            QVERIFY(fresh.backupDir.startsWith(base + QLatin1Char('/')));
        }

        // Each builder of a destructive plan names its folder.
        options.values.remove(SafetySteps::BackupDirOption);
        for (const QString &name : {QStringLiteral("clear-history"), QStringLiteral("delete-files"),
                                    QStringLiteral("reset-database")})
            QVERIFY2(!OperationCatalog::build(name, config, options).backupDir.isEmpty(), qPrintable(name));
    }

    // A hung `docker compose exec` must not hang a backup or a restore forever.
    void dumpAndRestoreProcessesHaveTimeouts()
    {
        for (const TargetKind target : {TargetKind::Local, TargetKind::Compose}) {
            const ProjectConfig config = hannaConfig(kHanna, target);
            OperationOptions options;
            options.facts = knownFacts();
            const Plan plan = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
            int tools = 0;
            for (const PlanStep &step : plan.steps) {
                const ProcessStep *p = std::get_if<ProcessStep>(&step);
                if (!p || !(p->program.contains(QLatin1String("pg_")) || p->args.contains(QStringLiteral("pg_dump"))
                            || p->args.contains(QStringLiteral("pg_restore"))))
                    continue;
                ++tools;
                QCOMPARE(p->timeoutMs, SafetySteps::kDumpTimeoutMs);
            }
            QCOMPARE(tools, 3); // pg_dump, pg_restore --list, pg_restore -f /dev/null
        }
        QCOMPARE(SafetySteps::kDumpTimeoutMs, 60 * 60 * 1000);

        // The restore's pg_restore too.
        BackupInfo backup;
        backup.id = QStringLiteral("20260101-000000-reset-database");
        backup.dir = BackupStore::folderForProject(kHanna) + QLatin1Char('/') + backup.id;
        backup.hasDatabase = true;
        backup.complete = true;
        for (const TargetKind target : {TargetKind::Local, TargetKind::Compose}) {
            QString error;
            const Plan restore = RestorePlans::restore(hannaConfig(kHanna, target), OperationOptions(), backup, &error);
            QVERIFY2(!restore.steps.isEmpty(), qPrintable(error));
            const ProcessStep *last = nullptr; // the last process: pg_restore (its result is checked after it)
            for (const PlanStep &step : restore.steps) {
                if (const auto *p = std::get_if<ProcessStep>(&step))
                    last = p;
            }
            QVERIFY(last && last->args.contains(QStringLiteral("--single-transaction")));
            QVERIFY(!last->args.contains(QStringLiteral("--clean"))); // into a recreated, empty database
            QCOMPARE(last->timeoutMs, SafetySteps::kDumpTimeoutMs);
        }
    }

    // Undo of a reset: the migration files made after the backup (0002_initial.py…) are backed up
    // with the rest and deleted, but only *.py in real migrations folders, never __init__.py,
    // never through a symlinked app folder.
    void restoreDeletesMigrationFilesMadeSince()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        ProjectConfig config = hannaConfig(kHanna, TargetKind::Local);
        config.root = root.path();
        config.backendDir = root.path() + QStringLiteral("/backend");
        QTemporaryDir outside;
        QVERIFY(outside.isValid());
        auto touch = [](const QString &path) {
            QDir().mkpath(QFileInfo(path).absolutePath());
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.write("x = 1\n") > 0;
        };
        const QString flows = config.backendDir + QStringLiteral("/flows/migrations/");
        QVERIFY(touch(flows + QStringLiteral("__init__.py")));
        QVERIFY(touch(flows + QStringLiteral("0001_initial.py")));
        QVERIFY(touch(flows + QStringLiteral("0002_initial.py")));
        QVERIFY(touch(flows + QStringLiteral("notes.txt")));
        QVERIFY(touch(config.backendDir + QStringLiteral("/flows/models.py")));
        QVERIFY(touch(outside.path() + QStringLiteral("/migrations/0001_initial.py")));
        QVERIFY(QFile::link(outside.path(), config.backendDir + QStringLiteral("/linked")));

        BackupInfo backup;
        backup.id = QStringLiteral("20260101-000000-delete-files");
        backup.dir = BackupStore::folderForProject(config.root) + QLatin1Char('/') + backup.id;
        backup.complete = true;
        backup.files = {QStringLiteral("backend/flows/migrations/0001_initial.py"),
                        QStringLiteral("backend/flows/migrations/__pycache__")};
        QString error;
        const Plan plan = RestorePlans::restore(config, OperationOptions(), backup, &error);
        QVERIFY2(!plan.steps.isEmpty(), qPrintable(error));
        const QStringList extra{QStringLiteral("backend/flows/migrations/0002_initial.py")};
        const FileStep *remove = std::get_if<FileStep>(&plan.steps.constLast());
        QVERIFY(remove && remove->remove);
        QCOMPARE(remove->baseDir, config.root);
        QCOMPARE(remove->paths, extra);
        // Backed up first (the restore's own backup), so the undo can be undone.
        bool backedUp = false;
        for (const PlanStep &step : plan.steps) {
            const FileStep *f = std::get_if<FileStep>(&step);
            if (f && !f->remove && f->baseDir == config.root && f->paths.contains(extra.constFirst()))
                backedUp = true;
        }
        QVERIFY(backedUp);

        // A backup without migration files (a history snapshot) deletes nothing.
        BackupInfo history = backup;
        history.files.clear();
        history.hasHistory = true;
        QVERIFY(QDir().mkpath(history.dir));
        QFile snapshot(history.dir + QStringLiteral("/django_migrations.json"));
        QVERIFY(snapshot.open(QIODevice::WriteOnly));
        snapshot.write(R"({"columns": ["id", "app", "name", "applied"], "rows": []})");
        snapshot.close();
        const Plan rows = RestorePlans::restore(config, OperationOptions(), history, &error);
        QVERIFY2(!rows.steps.isEmpty(), qPrintable(error));
        for (const PlanStep &step : rows.steps) {
            const FileStep *f = std::get_if<FileStep>(&step);
            QVERIFY(!f || !f->remove);
        }
    }

    void migrateHints_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("fakeInitialUsed");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("action");
        QTest::addColumn<QString>("mentions");

        QTest::addRow("relation exists")
            << QStringLiteral("Running migrations:\r\n  Applying flows.0001_initial...Traceback (most recent call last):\n"
                              "psycopg2.errors.DuplicateTable: relation \"flows_flow\" already exists\n\n"
                              "django.db.utils.ProgrammingError: relation \"flows_flow\" already exists\n")
            << false << int(MigrateHint::Kind::RelationExists) << int(MigrateHint::Action::RerunWithFakeInitial)
            << QStringLiteral("flows.0001_initial");
        QTest::addRow("relation exists after fake-initial")
            << QStringLiteral("django.db.utils.ProgrammingError: relation \"flows_flow\" already exists")
            << true << int(MigrateHint::Kind::RelationExists) << int(MigrateHint::Action::OpenDoctor)
            << QStringLiteral("ALL its tables");
        QTest::addRow("inconsistent")
            << QStringLiteral("\x1b[31;1mdjango.db.migrations.exceptions.InconsistentMigrationHistory: Migration "
                              "conversations.0002_auto_20261124_0227 is applied before its dependency "
                              "flows.0002_auto_20261124_0227 on database 'default'.\x1b[0m\n")
            << false << int(MigrateHint::Kind::InconsistentHistory) << int(MigrateHint::Action::OpenDoctor)
            << QStringLiteral("flows.0002_auto_20261124_0227, which it depends on");
        QTest::addRow("relation missing, known app")
            << QStringLiteral("  Applying conversations.0003_message_sent_by_step...\n"
                              "django.db.utils.ProgrammingError: relation \"flows_flowstep\" does not exist\n"
                              "LINE 1: ...\n")
            << false << int(MigrateHint::Kind::RelationMissing) << int(MigrateHint::Action::None)
            << QStringLiteral("migrate flows zero --fake");
        QTest::addRow("relation missing, unknown table")
            << QStringLiteral("django.db.utils.ProgrammingError: relation \"django_site\" does not exist")
            << false << int(MigrateHint::Kind::RelationMissing) << int(MigrateHint::Action::None)
            << QStringLiteral("ready()");
        QTest::addRow("conflict")
            << QStringLiteral("CommandError: Conflicting migrations detected; multiple leaf nodes in the migration graph: "
                              "(0003_a, 0003_b in flows).\nTo fix them run 'python manage.py makemigrations --merge'")
            << false << int(MigrateHint::Kind::ConflictingMigrations) << int(MigrateHint::Action::OpenDoctor)
            << QStringLiteral("makemigrations --merge flows");
        QTest::addRow("missing node")
            << QStringLiteral("django.db.migrations.exceptions.NodeNotFoundError: Migration flows.0003_flowcontext "
                              "dependencies reference nonexistent parent node ('conversations', '0009_gone')")
            << false << int(MigrateHint::Kind::MissingMigrationFile) << int(MigrateHint::Action::OpenDoctor)
            << QStringLiteral("conversations/migrations/0009_gone.py");
        QTest::addRow("pending model changes")
            << QStringLiteral("  Your models in app(s): 'flows', 'conversations' have changes that are not yet reflected "
                              "in a migration, and so won't be applied.\n")
            << false << int(MigrateHint::Kind::ModelChangesPending) << int(MigrateHint::Action::RunOperation)
            << QStringLiteral("makemigrations flows conversations");
        QTest::addRow("db down")
            << QStringLiteral("django.db.utils.OperationalError: could not connect to server: Connection refused")
            << false << int(MigrateHint::Kind::DatabaseUnreachable) << int(MigrateHint::Action::None)
            << QStringLiteral("docker compose up -d");
    }

    void migrateHints()
    {
        QFETCH(QString, output);
        QFETCH(bool, fakeInitialUsed);
        QFETCH(int, kind);
        QFETCH(int, action);
        QFETCH(QString, mentions);
        MigrateAdviceContext context;
        context.projectApps = kApps;
        context.fakeInitialUsed = fakeInitialUsed;
        const QList<MigrateHint> hints = MigrateOutputAdvisor::advise(output, context);
        QVERIFY(!hints.isEmpty());
        const MigrateHint &hint = hints.constFirst();
        QCOMPARE(int(hint.kind), kind);
        QCOMPARE(int(hint.action), action);
        const QString all = hint.title + QLatin1Char('\n') + hint.detail + QLatin1Char('\n') + hint.command;
        QVERIFY2(all.contains(mentions), qPrintable(all));
        if (hint.action == MigrateHint::Action::RerunWithFakeInitial) {
            QCOMPARE(hint.operation, QStringLiteral("migrate"));
            QCOMPARE(hint.values.value(GuideOption::FakeInitial), QStringLiteral("1"));
        }
    }

    void noHintForSuccess()
    {
        QVERIFY(MigrateOutputAdvisor::advise(QStringLiteral("Operations to perform:\n  Apply all migrations: flows\n"
                                                            "Running migrations:\n  No migrations to apply.\n"))
                    .isEmpty());
        QCOMPARE(MigrateOutputAdvisor::appOfTable(QStringLiteral("customer_data_customerprofile"),
                                                  {QStringLiteral("customer"), QStringLiteral("customer_data")}),
                 QStringLiteral("customer_data"));
    }
};

QTEST_GUILESS_MAIN(TestGuidePlans)
#include "tst_guideplans.moc"
