// Parses `manage.py showmigrations --plan -v 2` into Django's graph: real Django 3.2 output of
// the fixture, and hand-made cases (squashes, app labels with underscores, empty, garbage).
#include "django/migrationgraph.h"
#include "django/migrationsource.h"
#include "django/showmigrationsplanparser.h"
#include "git/gitmigrationstatus.h"

#include <QtTest>

namespace {

// Captured from Django 3.2.25 on tests/fixtures/hanna after `migrate` (all applied).
const char *const kFixturePlan = R"(
[X]  contenttypes.0001_initial
[X]  auth.0001_initial ... (contenttypes.0001_initial)
[X]  admin.0001_initial ... (auth.0001_initial, contenttypes.0001_initial)
[X]  admin.0002_logentry_remove_auto_add ... (admin.0001_initial)
[X]  admin.0003_logentry_add_action_flag_choices ... (admin.0002_logentry_remove_auto_add)
[X]  contenttypes.0002_remove_content_type_name ... (contenttypes.0001_initial)
[X]  auth.0002_alter_permission_name_max_length ... (auth.0001_initial)
[X]  auth.0003_alter_user_email_max_length ... (auth.0002_alter_permission_name_max_length)
[X]  auth.0004_alter_user_username_opts ... (auth.0003_alter_user_email_max_length)
[X]  auth.0005_alter_user_last_login_null ... (auth.0004_alter_user_username_opts)
[X]  auth.0006_require_contenttypes_0002 ... (auth.0005_alter_user_last_login_null, contenttypes.0002_remove_content_type_name)
[X]  auth.0007_alter_validators_add_error_messages ... (auth.0006_require_contenttypes_0002)
[X]  auth.0008_alter_user_username_max_length ... (auth.0007_alter_validators_add_error_messages)
[X]  auth.0009_alter_user_last_name_max_length ... (auth.0008_alter_user_username_max_length)
[X]  auth.0010_alter_group_name_max_length ... (auth.0009_alter_user_last_name_max_length)
[X]  auth.0011_update_proxy_permissions ... (auth.0010_alter_group_name_max_length, contenttypes.0002_remove_content_type_name)
[X]  auth.0012_alter_user_first_name_max_length ... (auth.0011_update_proxy_permissions)
[X]  flows.0001_initial
[X]  flows.0002_auto_20261124_0227 ... (flows.0001_initial)
[X]  meta_integration.0001_initial
[X]  conversations.0001_initial
[X]  conversations.0002_auto_20261124_0227 ... (conversations.0001_initial, meta_integration.0001_initial)
[X]  conversations.0003_message_sent_by_step ... (conversations.0002_auto_20261124_0227, flows.0002_auto_20261124_0227)
[X]  customer_data.0001_initial
[X]  customer_data.0002_customerprofile_contact ... (conversations.0002_auto_20261124_0227, customer_data.0001_initial)
[X]  flows.0003_flowcontext ... (conversations.0003_message_sent_by_step, flows.0002_auto_20261124_0227)
[X]  meta_integration.0002_webhookeventlog_conversation ... (conversations.0003_message_sent_by_step, meta_integration.0001_initial)
[X]  sessions.0001_initial
)";

QString text(const char *s)
{
    return QString::fromUtf8(s);
}

} // namespace

class TestShowMigrationsParser : public QObject
{
    Q_OBJECT

private slots:
    void realFixtureOutput()
    {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(text(kFixturePlan));
        QVERIFY(plan.unparsedLines.isEmpty());
        QVERIFY(!plan.noMigrations);
        const MigrationGraph &g = plan.graph;
        QCOMPARE(g.size(), 28);
        QCOMPARE(g.nodes().constFirst().key(), QStringLiteral("contenttypes.0001_initial"));
        QCOMPARE(g.nodes().constLast().key(), QStringLiteral("sessions.0001_initial"));
        for (const MigrationNode &n : g.nodes())
            QVERIFY2(n.applied, qPrintable(n.key()));
        const MigrationNode *flows3 = g.node(QStringLiteral("flows.0003_flowcontext"));
        QVERIFY(flows3);
        QCOMPARE(flows3->app, QStringLiteral("flows"));
        QCOMPARE(flows3->dependencies, (QStringList{QStringLiteral("conversations.0003_message_sent_by_step"),
                                                    QStringLiteral("flows.0002_auto_20261124_0227")}));
        QCOMPARE(g.node(QStringLiteral("admin.0001_initial"))->dependencies,
                 (QStringList{QStringLiteral("auth.0001_initial"), QStringLiteral("contenttypes.0001_initial")}));
        QVERIFY(g.node(QStringLiteral("contenttypes.0001_initial"))->dependencies.isEmpty());
        // App labels with underscores.
        QCOMPARE(g.leaves(QStringLiteral("customer_data")), QStringList{QStringLiteral("customer_data.0002_customerprofile_contact")});
        QCOMPARE(g.leaves(QStringLiteral("meta_integration")),
                 QStringList{QStringLiteral("meta_integration.0002_webhookeventlog_conversation")});
        QCOMPARE(g.leaves(QStringLiteral("auth")), QStringList{QStringLiteral("auth.0012_alter_user_first_name_max_length")});
        QVERIFY(g.conflicts().isEmpty());
        QVERIFY(g.inconsistentPairs().isEmpty());
        QVERIFY(g.missingDependencies().isEmpty());
        QCOMPARE(g.apps(), (QStringList{QStringLiteral("admin"), QStringLiteral("auth"), QStringLiteral("contenttypes"),
                                        QStringLiteral("conversations"), QStringLiteral("customer_data"),
                                        QStringLiteral("flows"), QStringLiteral("meta_integration"),
                                        QStringLiteral("sessions")}));
        QCOMPARE(g.children(QStringLiteral("flows.0002_auto_20261124_0227")),
                 (QStringList{QStringLiteral("conversations.0003_message_sent_by_step"),
                              QStringLiteral("flows.0003_flowcontext")}));
    }

    void inconsistentPairsAcrossApps()
    {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QStringLiteral(
            "[X]  contenttypes.0001_initial\n"
            "[ ]  auth.0001_initial ... (contenttypes.0001_initial)\n"
            "[X]  admin.0001_initial ... (auth.0001_initial, contenttypes.0001_initial)\n"
            "[ ]  flows.0002_b ... (flows.0001_a)\n"
            "[X]  flows.0001_a\n"
            "[X]  conversations.0003_c ... (flows.0002_b)\n"));
        QVERIFY(plan.unparsedLines.isEmpty());
        const auto pairs = plan.graph.inconsistentPairs();
        QCOMPARE(pairs.size(), 2);
        QCOMPARE(pairs.at(0), qMakePair(QStringLiteral("admin.0001_initial"), QStringLiteral("auth.0001_initial")));
        QCOMPARE(pairs.at(1), qMakePair(QStringLiteral("conversations.0003_c"), QStringLiteral("flows.0002_b")));
    }

    void conflictingLeaves()
    {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QStringLiteral(
            "[X]  flows.0001_initial\n"
            "[X]  flows.0002_x ... (flows.0001_initial)\n"
            "[X]  flows.0003_a ... (flows.0002_x)\n"
            "[ ]  flows.0003_b ... (flows.0002_x)\n"
            "[X]  other_app.0001_initial ... (flows.0003_a)\n"));
        const auto conflicts = plan.graph.conflicts();
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.value(QStringLiteral("flows")),
                 (QStringList{QStringLiteral("flows.0003_a"), QStringLiteral("flows.0003_b")}));
        // A child in another app does not stop a node being its own app's leaf.
        QCOMPARE(plan.graph.leaves(QStringLiteral("flows")).size(), 2);
    }

    void squashedMigrations()
    {
        // Fully applied (or fully unapplied) squash: Django shows only the squash, and the
        // dependants point at it; the replaced names are known through `replaces`.
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QStringLiteral(
            "[X]  shop_core.0001_squashed_0003_price\n"
            "[X]  shop_core.0004_tax ... (shop_core.0001_squashed_0003_price)\n"));
        MigrationGraph g = plan.graph;
        QVERIFY(!g.knows(QStringLiteral("shop_core.0002_name")));
        g.setReplacements({{QStringLiteral("shop_core.0001_squashed_0003_price"),
                            {QStringLiteral("shop_core.0001_initial"), QStringLiteral("shop_core.0002_name"),
                             QStringLiteral("shop_core.0003_price")}}});
        QVERIFY(!g.contains(QStringLiteral("shop_core.0002_name")));
        QVERIFY(g.knows(QStringLiteral("shop_core.0002_name")));
        QCOMPARE(g.replacedBy(QStringLiteral("shop_core.0003_price")), QStringLiteral("shop_core.0001_squashed_0003_price"));
        QCOMPARE(g.leaves(QStringLiteral("shop_core")), QStringList{QStringLiteral("shop_core.0004_tax")});

        // Partly applied: Django keeps the replaced migrations and drops the squash node, so the
        // squash does not vouch for anything.
        MigrationGraph partial = ShowMigrationsPlanParser::parse(QStringLiteral(
                                                                     "[X]  shop_core.0001_initial\n"
                                                                     "[ ]  shop_core.0002_name ... (shop_core.0001_initial)\n"))
                                     .graph;
        partial.setReplacements({{QStringLiteral("shop_core.0001_squashed_0003_price"),
                                  {QStringLiteral("shop_core.0001_initial"), QStringLiteral("shop_core.0002_name"),
                                   QStringLiteral("shop_core.0003_price")}}});
        QVERIFY(partial.replacedBy(QStringLiteral("shop_core.0003_price")).isEmpty());
        QVERIFY(!partial.knows(QStringLiteral("shop_core.0003_price")));
    }

    void emptyOutput_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("noMigrations");
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("blank lines") << QStringLiteral("\n\n  \n") << false;
        QTest::addRow("no migrations") << QStringLiteral("(no migrations)\n") << true;
        QTest::addRow("no migrations coloured") << QStringLiteral("\x1b[31;1m(no migrations)\x1b[0m\n") << true;
    }
    void emptyOutput()
    {
        QFETCH(QString, output);
        QFETCH(bool, noMigrations);
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(output);
        QVERIFY(plan.graph.isEmpty());
        QCOMPARE(plan.noMigrations, noMigrations);
        QVERIFY(plan.unparsedLines.isEmpty());
    }

    void garbageLines()
    {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QStringLiteral(
            "System check identified some issues:\r\n"
            "[X]  flows.0001_initial\r\n"
            "[?]  flows.0002_bad\n"
            "[X] flows\n"
            "[X]  flows.0003_x ... (not a key)\n"
            "[X]  flows.0001_initial\n"
            "WARNINGS: something\n"
            "  [ ]  flows.0002_ok ... (flows.0001_initial)  \n"));
        QCOMPARE(plan.graph.size(), 2);
        QVERIFY(plan.graph.node(QStringLiteral("flows.0001_initial"))->applied);
        QVERIFY(!plan.graph.node(QStringLiteral("flows.0002_ok"))->applied);
        QCOMPARE(plan.unparsedLines,
                 (QStringList{QStringLiteral("System check identified some issues:"), QStringLiteral("[?]  flows.0002_bad"),
                              QStringLiteral("[X] flows"), QStringLiteral("[X]  flows.0003_x ... (not a key)"),
                              QStringLiteral("[X]  flows.0001_initial"), QStringLiteral("WARNINGS: something")}));
    }

    void colouredOutput()
    {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(
            QStringLiteral("\x1b[32m[X]  flows.0001_initial\x1b[0m\n[ ]  flows.0002_a ... (flows.0001_initial)\n"));
        QCOMPARE(plan.graph.size(), 2);
        QVERIFY(plan.unparsedLines.isEmpty());
    }

    void migrationSource()
    {
        QHash<QString, QString> tables;
        const MigrationSource initial = MigrationSourceReader::parse(
            QStringLiteral("shop_core"), QStringLiteral("0001_initial"),
            QStringLiteral("class Migration(migrations.Migration):\n"
                           "    initial = True\n"
                           "    dependencies = [\n        ('auth', '0012_x'),\n    ]\n"
                           "    operations = [\n"
                           "        migrations.CreateModel(\n            name='Product',\n"
                           "            fields=[('id', models.BigAutoField(verbose_name='ID')),],\n        ),\n"
                           "        migrations.CreateModel(\n            name='Legacy',\n            fields=[],\n"
                           "            options={'db_table': 'legacy_things'},\n        ),\n"
                           "        migrations.RunPython(noop),\n"
                           "    ]\n"),
            &tables);
        QVERIFY(initial.initial);
        QCOMPARE(initial.dependencies, QStringList{QStringLiteral("auth.0012_x")});
        QCOMPARE(initial.createdTables, (QStringList{QStringLiteral("shop_core_product"), QStringLiteral("legacy_things")}));
        QCOMPARE(initial.otherOperations, QStringList{QStringLiteral("RunPython")});
        const MigrationSource second = MigrationSourceReader::parse(
            QStringLiteral("shop_core"), QStringLiteral("0002_more"),
            QStringLiteral("class Migration(migrations.Migration):\n"
                           "    replaces = [('shop_core', '0002_a'), (\"shop_core\", \"0003_b\")]\n"
                           "    operations = [\n"
                           "        migrations.AddField(model_name='legacy', name='owner', field=models.ForeignKey("
                           "related_name='x', to='auth.user')),\n"
                           "        migrations.AddField(model_name='product', name='price', field=models.IntegerField("
                           "db_column='cost')),\n"
                           "        migrations.AddField(model_name='product', name='tags', field=models.ManyToManyField("
                           "to='shop_core.tag')),\n"
                           "    ]\n"),
            &tables);
        QVERIFY(!second.initial);
        QCOMPARE(second.replaces, (QStringList{QStringLiteral("shop_core.0002_a"), QStringLiteral("shop_core.0003_b")}));
        QCOMPARE(second.addedColumns.size(), 2);
        QCOMPARE(second.addedColumns.at(0), qMakePair(QStringLiteral("legacy_things"), QStringLiteral("owner_id")));
        QCOMPARE(second.addedColumns.at(1), qMakePair(QStringLiteral("shop_core_product"), QStringLiteral("cost")));
    }

    void porcelainV2()
    {
        QByteArray out;
        out += "? b/app/migrations/0004_new.py";
        out += '\0';
        out += "1 .M N... 100644 100644 100644 0123456789abcdef0123456789abcdef01234567 "
               "0123456789abcdef0123456789abcdef01234567 b/app/migrations/0001 with space.py";
        out += '\0';
        out += "2 R. N... 100644 100644 100644 0123456789abcdef0123456789abcdef01234567 "
               "0123456789abcdef0123456789abcdef01234567 R100 b/app/migrations/0002_new.py";
        out += '\0';
        out += "b/app/migrations/0002_old.py";
        out += '\0';
        QStringList untracked, changed;
        GitMigrationReader::parsePorcelainV2(out, &untracked, &changed);
        QCOMPARE(untracked, QStringList{QStringLiteral("b/app/migrations/0004_new.py")});
        QCOMPARE(changed, (QStringList{QStringLiteral("b/app/migrations/0001 with space.py"),
                                       QStringLiteral("b/app/migrations/0002_new.py")}));
        QVERIFY(GitMigrationReader::isMigrationPath(QStringLiteral("b/app/migrations/0004_new.py")));
        QVERIFY(!GitMigrationReader::isMigrationPath(QStringLiteral("b/app/migrations/__init__.py")));
        QVERIFY(!GitMigrationReader::isMigrationPath(QStringLiteral("b/app/models.py")));
    }
};

QTEST_GUILESS_MAIN(TestShowMigrationsParser)
#include "tst_showmigrationsparser.moc"
