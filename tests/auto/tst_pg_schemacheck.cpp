// The schema check that makes --fake-initial safe, on real parts: a fixture project migrated by
// Django 3.2 on the test cluster, its models then changed (a field added, a max_length raised)
// the way a developer changes them before regenerating migrations. The reset's fake is refused
// with both differences named, the offered SQL makes the check pass, the reset then completes
// and Django agrees (makemigrations --check). Scratch databases never outlive a run, not even a
// kill -9. Pure comparison cases run without a server.

#include "guiderun.h"
#include "testbed.h"

#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "schema/schemacheck.h"
#include "schema/scratchdatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace GuideRun;

namespace {

bool editFile(const QString &path, const QString &from, const QString &to)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QString text = QString::fromUtf8(file.readAll());
    file.close();
    if (!text.contains(from))
        return false;
    text.replace(from, to);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) > 0;
}

// The developer's change after the tables were made: a new field, a longer max_length.
bool changeModels(const QString &projectDir)
{
    const QString models = TestBed::backendDir(projectDir) + QStringLiteral("/customer_data/models.py");
    return editFile(models, QStringLiteral("lead_status = models.CharField(max_length=16"),
                    QStringLiteral("lead_status = models.CharField(max_length=32"))
        && editFile(models, QStringLiteral("    updated_at = models.DateTimeField(auto_now=True)\n"),
                    QStringLiteral("    updated_at = models.DateTimeField(auto_now=True)\n"
                                   "    loyalty_points = models.IntegerField(default=0)\n"));
}

QStringList scratchOf(const DbSettings &db)
{
    QStringList mine;
    for (const QString &name : ScratchDatabase::list(TestBed::server())) {
        if (name.startsWith(db.name + QStringLiteral("_md")))
            mine << name;
    }
    return mine;
}

QStringList liveColumns(const DbSettings &db, const QString &table)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT column_name, data_type, coalesce(character_maximum_length, 0), is_nullable "
                                                    "FROM information_schema.columns WHERE table_name = '%1' ORDER BY column_name")
                                         .arg(table));
}

QByteArray plainDump(const DbSettings &db)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), db.password);
    QString out;
    const int code = TestBed::run(QStringLiteral("%1/pg_dump").arg(QLatin1String(TestBed::kPgBin)),
                                  {QStringLiteral("-h"), db.host, QStringLiteral("-p"), QString::number(db.port), QStringLiteral("-U"),
                                   db.user, QStringLiteral("-d"), db.name},
                                  QString(), env, &out);
    if (code != 0)
        return QByteArray();
    // pg_dump 15.14+ brackets the script with a random \\restrict key: the only line that varies.
    QStringList lines = out.split(u'\n');
    lines.removeIf([](const QString &l) { return l.startsWith(QLatin1String("\\restrict")) || l.startsWith(QLatin1String("\\unrestrict")); });
    return lines.join(u'\n').toUtf8();
}

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) == text.toUtf8().size();
}

QString migration0004(bool raises)
{
    return QStringLiteral("from django.db import migrations, models\n\n\n"
                          "def boom(apps, schema_editor):\n"
                          "    raise RuntimeError('rehearsal boom')\n\n\n"
                          "class Migration(migrations.Migration):\n"
                          "    dependencies = [('flows', '0003_flowcontext')]\n"
                          "    operations = [\n"
                          "        migrations.AddField('flow', 'priority', models.IntegerField(default=1)),\n%1"
                          "    ]\n")
        .arg(raises ? QStringLiteral("        migrations.RunPython(boom),\n") : QString());
}

} // namespace

class TestPgSchemaCheck : public QObject
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
        qputenv("MIGRATIONDESK_STATE_DIR", m_state.path().toUtf8());
    }

    // Differences found and the statements generated from two catalogs, no server involved.
    void comparisonAndAlignment()
    {
        SchemaShape live, expected;
        TableShape was;
        was.columnOrder = {QStringLiteral("id"), QStringLiteral("phone"), QStringLiteral("legacy")};
        was.columns.insert(QStringLiteral("id"), {QStringLiteral("integer"), true, QStringLiteral("nextval('t_id_seq'::regclass)")});
        was.columns.insert(QStringLiteral("phone"), {QStringLiteral("character varying(20)"), true, {}});
        was.columns.insert(QStringLiteral("legacy"), {QStringLiteral("text"), false, {}});
        was.constraints.insert(QStringLiteral("p PRIMARY KEY (id)"), QStringLiteral("t_pkey"));
        live.tables.insert(QStringLiteral("t"), was);
        TableShape want = was;
        want.columnOrder = {QStringLiteral("id"), QStringLiteral("phone"), QStringLiteral("points"), QStringLiteral("note")};
        want.columns.remove(QStringLiteral("legacy"));
        want.columns[QStringLiteral("phone")].type = QStringLiteral("character varying(32)");
        want.columns.insert(QStringLiteral("points"), {QStringLiteral("integer"), true, {}});
        want.columns.insert(QStringLiteral("note"), {QStringLiteral("text"), false, {}});
        want.constraints.insert(QStringLiteral("u UNIQUE (phone)"), QStringLiteral("t_phone_key"));
        want.indexes.insert(QStringLiteral("CREATE INDEX ON t USING btree (note)"), QStringLiteral("CREATE INDEX t_note_idx ON t USING btree (note)"));
        expected.tables.insert(QStringLiteral("t"), want);

        const QList<SchemaDifference> diffs = SchemaComparison::compare(live, expected, {QStringLiteral("t"), QStringLiteral("other")});
        QStringList texts;
        for (const SchemaDifference &d : diffs)
            texts << d.text();
        QCOMPARE(texts, (QStringList{
                            QStringLiteral("t.phone: character varying(20) in the database, character varying(32) in the migration"),
                            QStringLiteral("t.points: missing (integer NOT NULL in the migration)"),
                            QStringLiteral("t.note: missing (text in the migration)"),
                            QStringLiteral("t.legacy: only in the database (text), kept"),
                            QStringLiteral("t: constraint missing: UNIQUE (phone)"),
                            QStringLiteral("t: index missing: CREATE INDEX t_note_idx ON t USING btree (note)")}));
        QVERIFY(!diffs.at(3).blocking());

        QStringList unresolved;
        QStringList sql;
        for (const AlignmentStatement &s : SchemaComparison::alignment(diffs, expected, &unresolved))
            sql << s.sql;
        QCOMPARE(sql, (QStringList{QStringLiteral("ALTER TABLE \"t\" ALTER COLUMN \"phone\" TYPE character varying(32)"),
                                   QStringLiteral("ALTER TABLE \"t\" ADD COLUMN \"points\" integer DEFAULT 0 NOT NULL"),
                                   QStringLiteral("ALTER TABLE \"t\" ALTER COLUMN \"points\" DROP DEFAULT"),
                                   QStringLiteral("ALTER TABLE \"t\" ADD COLUMN \"note\" text"),
                                   QStringLiteral("ALTER TABLE \"t\" ADD CONSTRAINT \"t_phone_key\" UNIQUE (phone)"),
                                   QStringLiteral("CREATE INDEX t_note_idx ON t USING btree (note)")}));
        for (const QString &s : sql)
            QVERIFY2(!s.contains(QLatin1String("DROP COLUMN")) && !s.contains(QLatin1String("DROP TABLE")), qPrintable(s));
        QVERIFY(unresolved.isEmpty());
        QCOMPARE(SchemaComparison::quoteIdentifier(QStringLiteral("a\"b")), QStringLiteral("\"a\"\"b\""));
        QCOMPARE(ScratchDatabase::nameFor(QStringLiteral("Whats-App CRM"), QStringLiteral("check"), 42),
                 QStringLiteral("whats_app_crm_mdcheck_42"));
        QVERIFY(ScratchDatabase::nameFor(QString(80, u'x'), QStringLiteral("rehearse"), 4194304).size() <= 63);
    }

    // The case end to end through the operations, as the GUI and the CLI run them.
    void resetRefusedUntilTablesAligned()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("schema drift"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]');"
                                                      "INSERT INTO customer_data_customerprofile (first_name, last_name, email, "
                                                      "lead_status, updated_at) VALUES ('Ada', 'L', 'ada@example.org', 'won', now())")));
        QVERIFY(changeModels(p.dir));
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QStringList filesBefore = migrationFiles(p.dir);
        const QStringList rowsBefore = appRows(p.db);
        const QStringList tablesBefore = TestBed::tableRowCounts(p.db);
        const QStringList columnsBefore = liveColumns(p.db, QStringLiteral("customer_data_customerprofile"));

        // 1. The reset's fake is refused before its first change, naming both differences.
        const Outcome refused = runOperation(QStringLiteral("reset-migrations"), p.config, OperationOptions(), env);
        QVERIFY2(refused.blockers.isEmpty(), qPrintable(refused.blockers.join(u'\n')));
        QVERIFY2(refused.result.exitCode != 0, qPrintable(describe(refused)));
        QCOMPARE(refused.result.failedStep, 0);
        const QString why = refused.result.message;
        QVERIFY2(why.contains(QStringLiteral("customer_data_customerprofile.loyalty_points: missing")), qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("customer_data_customerprofile.lead_status: character varying(16) in the database, "
                                             "character varying(32) in the migration")),
                 qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("align-schema")) && why.contains(QStringLiteral("--regenerated")), qPrintable(why));
        QCOMPARE(migrationFiles(p.dir), filesBefore);
        QCOMPARE(appRows(p.db), rowsBefore);
        QCOMPARE(TestBed::tableRowCounts(p.db), tablesBefore);
        QCOMPARE(liveColumns(p.db, QStringLiteral("customer_data_customerprofile")), columnsBefore);
        QCOMPARE(scratchOf(p.db), QStringList());

        // 2. The offered SQL, previewed from the facts, then run after a dump: the check passes.
        OperationOptions align;
        align.values.insert(GuideOption::Regenerated, QStringLiteral("1"));
        OperationOptions preview = align;
        preview.facts = GuideFactsReader::read(QStringLiteral("align-schema"), p.config, align, env);
        QVERIFY2(preview.facts.schemaChecked, qPrintable(preview.facts.errors.join(u'\n')));
        const QString statements = preview.facts.schemaAlignment.join(QStringLiteral(";\n"));
        QVERIFY2(statements.contains(QStringLiteral("ALTER TABLE \"customer_data_customerprofile\" ADD COLUMN \"loyalty_points\" integer DEFAULT 0 NOT NULL")),
                 qPrintable(statements));
        QVERIFY2(statements.contains(QStringLiteral("ALTER TABLE \"customer_data_customerprofile\" ALTER COLUMN \"lead_status\" TYPE character varying(32)")),
                 qPrintable(statements));
        const Outcome aligned = runOperation(QStringLiteral("align-schema"), p.config, align, env);
        QVERIFY2(aligned.result.exitCode == 0, qPrintable(describe(aligned)));
        QCOMPARE(aligned.plan.steps.size() > 3, true); // dump and its checks, the SQL, the check again
        QCOMPARE(appRows(p.db), rowsBefore);
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT first_name, loyalty_points FROM customer_data_customerprofile")),
                 QStringList{QStringLiteral("Ada|0")});

        // 3. Now the reset runs: regenerated, faked exactly, and Django agrees with the tables.
        const Outcome reset = runOperation(QStringLiteral("reset-migrations"), p.config, OperationOptions(), env);
        QVERIFY2(reset.result.exitCode == 0, qPrintable(describe(reset)));
        verifyRegenerated(p.dir, p.db);
        QString out;
        QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("makemigrations"), QStringLiteral("--check"), QStringLiteral("--dry-run")}, &out),
                 qPrintable(out));
        SchemaCheckRequest applied;
        applied.scope = SchemaCheckRequest::Scope::Applied;
        const SchemaCheckResult after = SchemaCheck::run(p.config, applied, {});
        QVERIFY2(after.passed(), qPrintable(after.report().join(u'\n')));
        QVERIFY(after.verdicts.size() >= 4);
        for (const MigrationVerdict &v : after.verdicts)
            QCOMPARE(v.stateText(), QStringLiteral("matches"));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT first_name, lead_status FROM customer_data_customerprofile")),
                 QStringList{QStringLiteral("Ada|won")});
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // A plain `migrate --fake-initial` on tables that differ is refused too (current files).
    void migrateFakeInitialGuarded()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("fake initial"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        // The rows go (as after a clear), and a column the migration creates is changed by hand.
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'customer_data';"
                                                      "ALTER TABLE customer_data_customerprofile ALTER COLUMN email TYPE varchar(40)")));
        const QStringList rowsBefore = appRows(p.db);
        OperationOptions fake;
        fake.values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
        const Outcome refused = runOperation(QStringLiteral("migrate"), p.config, fake, QProcessEnvironment::systemEnvironment());
        QVERIFY2(refused.result.exitCode != 0 && refused.result.failedStep == 0, qPrintable(describe(refused)));
        QVERIFY2(refused.result.message.contains(QStringLiteral("customer_data_customerprofile.email: character varying(40) in the database, "
                                                                "character varying(254) in the migration")),
                 qPrintable(refused.result.message));
        QCOMPARE(appRows(p.db), rowsBefore);

        // Put back as Django made it: the check passes. The column a later migration (0002) adds
        // is only noted: the scratch database stops where the fake would.
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("ALTER TABLE customer_data_customerprofile ALTER COLUMN email TYPE varchar(254)")));
        const SchemaCheckResult check = SchemaCheck::run(p.config, {}, {});
        QVERIFY2(check.passed(), qPrintable(check.report().join(u'\n')));
        QCOMPARE(check.verdicts.size(), 1);
        QCOMPARE(check.verdicts.constFirst().migration, QStringLiteral("customer_data.0001_initial"));
        QCOMPARE(check.verdicts.constFirst().stateText(), QStringLiteral("matches"));
        QVERIFY2(check.verdicts.constFirst().notes.join(u' ').contains(QStringLiteral("contact_id")), qPrintable(check.report().join(u'\n')));
        QVERIFY(check.alignment.isEmpty());
    }

    // A NOT NULL column the database lacks is added with what Django gives existing rows: the
    // field's default (a string with a quote and a percent sign too), the one-off default of an
    // AddField that does not keep it, a UUID per row; not the type's zero.
    void alignmentUsesDjangosDefaults()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("defaults"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('one', '', true, '[]'), ('two', '', true, '[]')")));
        const QString migration = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/0004_flow_defaults.py");
        QVERIFY(writeFile(migration, QStringLiteral(
            "import uuid\n"
            "import django.utils.timezone\n"
            "from django.db import migrations, models\n\n\n"
            "class Migration(migrations.Migration):\n"
            "    dependencies = [('flows', '0003_flowcontext')]\n"
            "    operations = [\n"
            "        migrations.AddField('flow', 'priority', models.IntegerField(default=5)),\n"
            "        migrations.AddField('flow', 'tier', models.CharField(max_length=10, default=\"o'k%\")),\n"
            "        migrations.AddField('flow', 'rank', models.IntegerField(default=42), preserve_default=False),\n"
            "        migrations.AddField('flow', 'token', models.UUIDField(default=uuid.uuid4)),\n"
            "        migrations.AddField('flow', 'seen', models.DateTimeField(default=django.utils.timezone.now)),\n"
            "    ]\n")));
        // Recorded as applied without its columns: the tables differ from what it creates.
        QString out;
        QVERIFY2(TestBed::runManage(p.dir, p.db, {QStringLiteral("migrate"), QStringLiteral("flows"), QStringLiteral("0004"),
                                                  QStringLiteral("--fake")}, &out),
                 qPrintable(out));
        SchemaCheckRequest applied;
        applied.scope = SchemaCheckRequest::Scope::Applied;
        const SchemaCheckResult check = SchemaCheck::run(p.config, applied, {});
        QVERIFY2(check.ran() && !check.passed(), qPrintable(check.report().join(u'\n')));
        QStringList sql;
        for (const AlignmentStatement &s : check.alignment)
            sql << s.sql;
        const QString all = sql.join(u'\n');
        QVERIFY2(sql.contains(QStringLiteral("ALTER TABLE \"flows_flow\" ADD COLUMN \"priority\" integer DEFAULT 5 NOT NULL")), qPrintable(all));
        QVERIFY2(sql.contains(QStringLiteral("ALTER TABLE \"flows_flow\" ADD COLUMN \"tier\" character varying(10) DEFAULT 'o''k%' NOT NULL")),
                 qPrintable(all));
        QVERIFY2(sql.contains(QStringLiteral("ALTER TABLE \"flows_flow\" ADD COLUMN \"rank\" integer DEFAULT 42 NOT NULL")), qPrintable(all));
        QVERIFY2(sql.contains(QStringLiteral("ALTER TABLE \"flows_flow\" ADD COLUMN \"token\" uuid DEFAULT gen_random_uuid() NOT NULL")),
                 qPrintable(all));
        // timezone.now: the time the SQL runs, not the time of this check.
        QVERIFY2(sql.contains(QStringLiteral("ALTER TABLE \"flows_flow\" ADD COLUMN \"seen\" timestamp with time zone DEFAULT now() NOT NULL")),
                 qPrintable(all));
        QVERIFY2(check.alignment.constFirst().reason.contains(QLatin1String("the field's default in its migrations")),
                 qPrintable(check.alignment.constFirst().reason));

        QString error;
        QVERIFY2(TestBed::execSql(p.db, sql.join(QStringLiteral(";\n")), &error), qPrintable(error));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT name, priority, tier, rank FROM flows_flow ORDER BY name")),
                 (QStringList{QStringLiteral("one|5|o'k%|42"), QStringLiteral("two|5|o'k%|42")}));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(DISTINCT token) FROM flows_flow")), QStringList{QStringLiteral("2")});
        const SchemaCheckResult again = SchemaCheck::run(p.config, applied, {});
        QVERIFY2(again.passed(), qPrintable(again.report().join(u'\n')));
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // align-schema's facts run the whole check (seconds): a preview closed meanwhile stops it, and
    // its scratch database goes with it.
    void cancelledFactsStopTheCheck()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("cancel facts"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        OperationOptions align;
        align.values.insert(GuideOption::Regenerated, QStringLiteral("1"));
        std::atomic_bool sawScratch{false};
        std::atomic_int asked{0};
        // Stops once the scratch database exists: the check is then under way.
        const auto cancelled = [&] {
            ++asked;
            if (!sawScratch && !scratchOf(p.db).isEmpty())
                sawScratch = true;
            return sawScratch.load();
        };
        const GuideFacts facts = GuideFactsReader::read(Facts(Fact::Schema), p.config, align,
                                                        QProcessEnvironment::systemEnvironment(), cancelled);
        QVERIFY(asked > 0);
        QVERIFY(sawScratch);
        QVERIFY(!facts.schemaChecked);
        QVERIFY2(facts.errors.join(u'\n').contains(QStringLiteral("stopped during")), qPrintable(facts.errors.join(u'\n')));
        QCOMPARE(scratchOf(p.db), QStringList());
        // Not cancelled, the same read checks the tables.
        const GuideFacts whole = GuideFactsReader::read(Facts(Fact::Schema), p.config, align);
        QVERIFY2(whole.schemaChecked, qPrintable(whole.errors.join(u'\n')));
    }

    // Drift: tables changed by hand under applied migrations. The doctor names it, check-schema
    // reports it as JSON with exit 1, and the doctor's fix aligns them.
    void driftFoundAndFixed()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("drift"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]');"
                                                      "ALTER TABLE flows_flow ALTER COLUMN name TYPE varchar(300);"
                                                      "ALTER TABLE flows_flow ALTER COLUMN description DROP NOT NULL")));

        QProcess cli;
        cli.start(QStringLiteral(MIGRATIONDESK_BINARY),
                  QStringList{QStringLiteral("check-schema"), QStringLiteral("--applied"), QStringLiteral("--json")} + TestBed::localCliArgs(p));
        QVERIFY(cli.waitForFinished(180000));
        QCOMPARE(cli.exitCode(), 1);
        const QJsonObject doc = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(doc.value(QStringLiteral("kind")).toString(), QStringLiteral("schema-check"));
        QCOMPARE(doc.value(QStringLiteral("passed")).toBool(true), false);
        QStringList kinds;
        for (const QJsonValue &v : doc.value(QStringLiteral("verdicts")).toArray()) {
            const QJsonObject verdict = v.toObject();
            for (const QJsonValue &d : verdict.value(QStringLiteral("differences")).toArray())
                kinds << verdict.value(QStringLiteral("migration")).toString() + QLatin1Char(' ') + d.toObject().value(QStringLiteral("kind")).toString()
                             + QLatin1Char(' ') + d.toObject().value(QStringLiteral("column")).toString();
        }
        kinds.sort();
        QCOMPARE(kinds, (QStringList{QStringLiteral("flows.0001_initial column-type name"),
                                     QStringLiteral("flows.0001_initial nullability description")}));

        const Diagnosis d = MigrationDoctor::diagnose(p.config, {});
        QVERIFY2(d.ok(), qPrintable(d.error));
        const Finding *drift = d.find(FindingKind::SchemaDrift);
        QVERIFY2(drift, qPrintable(d.warnings.join(u'\n')));
        QCOMPARE(drift->migrations, QStringList{QStringLiteral("flows.0001_initial")});
        QVERIFY2(drift->evidence.contains(QStringLiteral("flows_flow.name: character varying(300) in the database, "
                                                         "character varying(255) in the migration")),
                 qPrintable(drift->evidence.join(u'\n')));
        QCOMPARE(drift->fixes.size(), 1);
        // `doctor --no-schema` skips the scratch migrate: the same drift goes unlooked-for.
        for (const bool noSchema : {false, true}) {
            QProcess doctor;
            doctor.start(QStringLiteral(MIGRATIONDESK_BINARY), QStringList{QStringLiteral("doctor"), QStringLiteral("--json")}
                                                                   + (noSchema ? QStringList{QStringLiteral("--no-schema")} : QStringList())
                                                                   + TestBed::localCliArgs(p));
            QVERIFY(doctor.waitForFinished(180000));
            const QByteArray out = doctor.readAllStandardOutput();
            QVERIFY2(QJsonDocument::fromJson(out).isObject(), out.constData());
            QCOMPARE(out.contains("\"SchemaDrift\""), !noSchema);
        }
        const RunResult fixed = PlanExecution::runBlocking(drift->fixes.constFirst().plan);
        QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.message));
        const Diagnosis again = MigrationDoctor::diagnose(p.config, {});
        QVERIFY2(again.ok() && !again.find(FindingKind::SchemaDrift), qPrintable(again.warnings.join(u'\n')));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT name FROM flows_flow")), QStringList{QStringLiteral("marker")});
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // `run migrate --rehearse`: a data migration that raises fails on the scratch copy with its
    // exception, the real database stays byte-identical; a good one passes and changes nothing.
    void rehearsalLeavesDatabaseAlone()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("rehearsal"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO flows_flow (name, description, is_active, trigger_keywords) "
                                                      "VALUES ('marker', '', true, '[]')")));
        const QString file = TestBed::backendDir(p.dir) + QStringLiteral("/flows/migrations/0004_flow_priority.py");
        QVERIFY(writeFile(file, migration0004(true)));
        const QByteArray before = plainDump(p.db);
        QVERIFY(before.contains("marker"));
        const QStringList args = QStringList{QStringLiteral("run"), QStringLiteral("migrate"), QStringLiteral("--rehearse")} + TestBed::localCliArgs(p);

        QProcess failing;
        failing.setProcessChannelMode(QProcess::MergedChannels);
        failing.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
        QVERIFY(failing.waitForFinished(300000));
        const QString failed = QString::fromUtf8(failing.readAll());
        QVERIFY2(failing.exitCode() != 0, qPrintable(failed));
        QVERIFY2(failed.contains(QStringLiteral("The rehearsal failed at step 1 of 1")), qPrintable(failed));
        QVERIFY2(failed.contains(QStringLiteral("RuntimeError: rehearsal boom")), qPrintable(failed));
        QCOMPARE(plainDump(p.db), before);
        QVERIFY(QFile::exists(file));
        QCOMPARE(scratchOf(p.db), QStringList());

        QVERIFY(writeFile(file, migration0004(false)));
        QProcess passing;
        passing.setProcessChannelMode(QProcess::MergedChannels);
        passing.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
        QVERIFY(passing.waitForFinished(300000));
        const QString passed = QString::fromUtf8(passing.readAll());
        QVERIFY2(passing.exitCode() == 0, qPrintable(passed));
        QVERIFY2(passed.contains(QStringLiteral("Applying flows.0004_flow_priority... OK")), qPrintable(passed));
        QVERIFY2(passed.contains(QRegularExpression(QStringLiteral("ok in \\d+\\.\\d s"))), qPrintable(passed));
        QVERIFY2(passed.contains(QStringLiteral("Rehearsal passed")), qPrintable(passed));
        QCOMPARE(plainDump(p.db), before);
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // The automated reset rehearsed: history cleared, files deleted and regenerated, the fake,
    // all on scratch copies; the real rows and files are as before.
    void resetRehearsed()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("reset rehearsal"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        const QStringList filesBefore = migrationFiles(p.dir);
        const QByteArray before = plainDump(p.db);
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start(QStringLiteral(MIGRATIONDESK_BINARY),
                  QStringList{QStringLiteral("run"), QStringLiteral("reset-migrations"), QStringLiteral("--rehearse")}
                      + TestBed::localCliArgs(p));
        QVERIFY(run.waitForFinished(300000));
        const QString out = QString::fromUtf8(run.readAll());
        QVERIFY2(run.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("manage.py makemigrations")) && out.contains(QStringLiteral("--fake-initial")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Create model Flow")), qPrintable(out)); // regenerated on the copy
        QVERIFY2(out.contains(QStringLiteral("Rehearsal passed")), qPrintable(out));
        QCOMPARE(migrationFiles(p.dir), filesBefore);
        QCOMPARE(plainDump(p.db), before);
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // `doctor --fix --rehearse`: the recommended fixes (here: delete an orphan row) run on a
    // scratch copy; the row is still in the real database afterwards.
    void doctorFixesRehearsed()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("doctor rehearsal"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("INSERT INTO django_migrations (app, name, applied) "
                                                      "VALUES ('flows', '0009_from_elsewhere', now())")));
        const QByteArray before = plainDump(p.db);
        QProcess doctor;
        doctor.setProcessChannelMode(QProcess::MergedChannels);
        doctor.start(QStringLiteral(MIGRATIONDESK_BINARY),
                     QStringList{QStringLiteral("doctor"), QStringLiteral("--fix"), QStringLiteral("--rehearse")} + TestBed::localCliArgs(p));
        QVERIFY(doctor.waitForFinished(300000));
        const QString out = QString::fromUtf8(doctor.readAll());
        QVERIFY2(doctor.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("Rehearsal passed")) && out.contains(QStringLiteral("rehearsing step")), qPrintable(out));
        QCOMPARE(plainDump(p.db), before);
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE name = '0009_from_elsewhere'")),
                 QStringList{QStringLiteral("1")});
        QCOMPARE(scratchOf(p.db), QStringList());
    }

    // `migrate --app APP --fake` records migrations as applied: refused when their tables are not
    // there at all, before the dump and before django_migrations changes.
    void fakeRecordRefusedWithoutTables()
    {
        const TestBed::MigratedProject p = TestBed::migratedProject(m_tmp.path(), QStringLiteral("fake record"));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY(TestBed::execSql(p.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'customer_data';"
                                                      "DROP TABLE customer_data_customerprofile CASCADE")));
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start(QStringLiteral(MIGRATIONDESK_BINARY),
                  QStringList{QStringLiteral("run"), QStringLiteral("migrate"), QStringLiteral("--app"), QStringLiteral("customer_data"),
                              QStringLiteral("--fake"), QStringLiteral("--yes")}
                      + TestBed::localCliArgs(p));
        QVERIFY(run.waitForFinished(300000));
        const QString out = QString::fromUtf8(run.readAll());
        QVERIFY2(run.exitCode() != 0, qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("customer_data.0001_initial: none of its tables exist, yet it would be recorded as applied")),
                 qPrintable(out));
        QCOMPARE(TestBed::queryStrings(p.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'customer_data'")),
                 QStringList{QStringLiteral("0")});
    }

    // A check killed with SIGKILL leaves its scratch database; the next one drops it.
    void scratchSweptAfterKill()
    {
        // A private cluster: every check on a server sweeps it, so tests running in parallel on
        // the shared one would drop the leftover before the run under test does.
        const QString cluster = m_tmp.path() + QStringLiteral("/killed-cluster");
        QString error;
        QVERIFY2(TestBed::startPrivateCluster(cluster, &error), qPrintable(error));
        const DbSettings server = TestBed::clusterSettings(cluster);
        DbSettings db = server;
        db.name = TestBed::createDatabase(server, QStringLiteral("killed"));
        QVERIFY(!db.name.isEmpty());
        const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("killed"), db);
        QString out;
        QVERIFY2(TestBed::runManage(dir, db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &out), qPrintable(out));
        auto leftovers = [&] { return ScratchDatabase::list(server); };

        QProcess check;
        check.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const QStringList args{QStringLiteral("check-schema"), QStringLiteral("--applied"), QStringLiteral("--project"), dir,
                               QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
                               QString::fromLatin1(TestBed::kPython), QStringLiteral("--db-host"), db.host,
                               QStringLiteral("--db-port"), QString::number(db.port), QStringLiteral("--db-name"), db.name,
                               QStringLiteral("--db-user"), db.user};
        check.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
        QVERIFY(check.waitForStarted());
        QStringList left;
        QTRY_VERIFY_WITH_TIMEOUT(!(left = leftovers()).isEmpty(), 60000);
        check.kill();
        QVERIFY(check.waitForFinished(10000));
        QTest::qWait(500);
        QCOMPARE(leftovers(), left); // nothing dropped it: the process died mid-run

        QProcess again;
        again.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
        QVERIFY(again.waitForFinished(180000));
        const QString err = QString::fromUtf8(again.readAllStandardError());
        QVERIFY2(again.exitCode() == 0, qPrintable(err + QString::fromUtf8(again.readAllStandardOutput())));
        QVERIFY2(err.contains(QStringLiteral("Dropped %1").arg(left.constFirst())), qPrintable(err));
        QCOMPARE(leftovers(), QStringList());
        QVERIFY(TestBed::stopPrivateCluster(cluster, &error));
    }
};

QTEST_GUILESS_MAIN(TestPgSchemaCheck)
#include "tst_pg_schemacheck.moc"
