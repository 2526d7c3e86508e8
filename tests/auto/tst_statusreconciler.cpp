#include "doctor/declaredgraphcheck.h"
#include "django/showmigrationsplanparser.h"
#include "scan/migrationfileparser.h"
#include "scan/migrationfilescanner.h"
#include "status/statusreconciler.h"

#include <QtTest>

namespace {
MigrationRecord rec(qint64 id, const char *app, const char *name)
{
    return {id, QString::fromLatin1(app), QString::fromLatin1(name),
            QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(id)};
}
MigrationFile file(const char *app, const char *name)
{
    const QString a = QString::fromLatin1(app), n = QString::fromLatin1(name);
    return {a, n, QStringLiteral("backend/%1/migrations/%2.py").arg(a, n), {}};
}
// A file whose text declares deps (read by the real parser, as the status load does).
MigrationFile declared(const char *app, const char *name, const QByteArray &body)
{
    MigrationFile f = file(app, name);
    f.declaration = MigrationFileParser::parse("from django.db import migrations\nclass Migration(migrations.Migration):\n" + body);
    return f;
}
const MigrationRow *rowOf(const StatusSnapshot &s, const char *app, const char *name)
{
    const qsizetype i = s.find(QString::fromLatin1(app), QString::fromLatin1(name));
    return i < 0 ? nullptr : &s.rows.at(i);
}
MigrationState stateOf(const StatusSnapshot &s, const char *app, const char *name)
{
    for (const MigrationRow &r : s.rows) {
        if (r.app == QLatin1String(app) && r.name == QLatin1String(name))
            return r.state;
    }
    return MigrationState::StateCount;
}
} // namespace

class TestStatusReconciler : public QObject
{
    Q_OBJECT
private slots:
    void statesFromRowsAndFiles();
    void historyTableMissing();
    void duplicateRowsCountOnce();
    void scannerFindsModules();
    void declaredEdgesAtLoad();
    void specialKeysAndRunBefore();
    void squashCountsAsApplied();
    void unreadableAndMissingAreNamed();
    void declaredGraphAgainstDjango();
};

// What the doctor says when `showmigrations --plan -v 2` and the files' literals differ.
void TestStatusReconciler::declaredGraphAgainstDjango()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("a"), QStringLiteral("b")};
    scan.files = {declared("a", "0001_initial", "    initial = True\n"),
                  declared("a", "0002_x", "    dependencies = [('a', '0001_initial')]\n"),
                  declared("b", "0001_initial", "    dependencies = [('a', '0002_x')]\n"),
                  declared("b", "0002_odd", "    dependencies = SOMETHING\n")};
    const StatusSnapshot s = StatusReconciler::reconcile({rec(1, "a", "0001_initial")}, scan);
    // Django says b.0001 needs a.0001 only (say the file on the server is older), and knows b.0002.
    const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QStringLiteral(
        "[X]  a.0001_initial\n[ ]  a.0002_x ... (a.0001_initial)\n[ ]  b.0001_initial ... (a.0001_initial)\n"
        "[ ]  b.0002_odd ... (b.0001_initial)\n"));
    const QStringList lines = DeclaredGraphCheck::compare(s, plan.graph);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(QStringLiteral("backend/b/migrations/0002_odd.py: line 3")), qPrintable(lines.at(0)));
    QCOMPARE(lines.at(1), QStringLiteral("b.0001_initial: the file declares a.0002_x, Django's graph does not"));
    QCOMPARE(lines.at(2), QStringLiteral("b.0001_initial: Django's graph has a.0001_initial, which the file does not declare"));
    // Agreement: nothing to say.
    const ShowMigrationsPlan same = ShowMigrationsPlanParser::parse(QStringLiteral(
        "[X]  a.0001_initial\n[ ]  a.0002_x ... (a.0001_initial)\n[ ]  b.0001_initial ... (a.0002_x)\n"));
    StatusSnapshot readable = s;
    readable.unreadableFiles.clear();
    readable.rows.removeIf([](const MigrationRow &r) { return r.name == QLatin1String("0002_odd"); });
    QCOMPARE(DeclaredGraphCheck::compare(readable, same.graph), QStringList());
}

// The demo's broken history: conversations.0003's row deleted while flows.0003, which needs it,
// stays applied → Inconsistent before Django runs; a row applied before its dependency was → out of order.
void TestStatusReconciler::declaredEdgesAtLoad()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("conversations"), QStringLiteral("flows")};
    scan.files = {declared("conversations", "0001_initial", "    initial = True\n"),
                  declared("conversations", "0002_x", "    dependencies = [('conversations', '0001_initial')]\n"),
                  declared("conversations", "0003_y", "    dependencies = [('conversations', '0002_x')]\n"),
                  declared("flows", "0001_initial", "    dependencies = [('conversations', '0001_initial')]\n"),
                  declared("flows", "0003_z", "    dependencies = [('flows', '0001_initial'), ('conversations', '0003_y')]\n")};
    // flows.0001 (id 1) applied before conversations.0001 (id 2): out of order, not inconsistent.
    const QList<MigrationRecord> records = {rec(1, "flows", "0001_initial"), rec(2, "conversations", "0001_initial"),
                                            rec(3, "conversations", "0002_x"), rec(5, "flows", "0003_z")};
    const StatusSnapshot s = StatusReconciler::reconcile(records, scan);
    QCOMPARE(stateOf(s, "flows", "0003_z"), MigrationState::Inconsistent);
    QCOMPARE(stateOf(s, "conversations", "0003_y"), MigrationState::Pending);
    QCOMPARE(stateOf(s, "conversations", "0002_x"), MigrationState::Applied);
    QCOMPARE(stateOf(s, "flows", "0001_initial"), MigrationState::Applied);
    QCOMPARE(rowOf(s, "flows", "0003_z")->dependencies,
             (QStringList{QStringLiteral("conversations.0003_y"), QStringLiteral("flows.0001_initial")}));
    QCOMPARE(s.unappliedDependencies(*rowOf(s, "flows", "0003_z")), QStringList{QStringLiteral("conversations.0003_y")});
    QVERIFY(rowOf(s, "flows", "0001_initial")->outOfOrder);
    QCOMPARE(s.laterDependencies(*rowOf(s, "flows", "0001_initial")), QStringList{QStringLiteral("conversations.0001_initial")});
    QVERIFY(!rowOf(s, "conversations", "0002_x")->outOfOrder);
    QVERIFY(!s.allApplied());
    QCOMPARE(s.counts()[int(MigrationState::Inconsistent)], 1);
}

void TestStatusReconciler::specialKeysAndRunBefore()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("flows"), QStringLiteral("late")};
    scan.files = {declared("flows", "0001_initial",
                           "    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL), ('contenttypes', '__latest__'),\n"
                           "                    ('sessions', '__first__')]\n    run_before = [('late', '0001_initial')]\n"),
                  declared("late", "0001_initial", "    initial = True\n")};
    // auth has rows (its first is auth.0001_initial); contenttypes' leaf is 0002; sessions has none.
    const QList<MigrationRecord> records = {rec(1, "auth", "0001_initial"), rec(2, "auth", "0002_x"),
                                            rec(3, "contenttypes", "0001_initial"), rec(4, "contenttypes", "0002_y"),
                                            rec(5, "late", "0001_initial")};
    const StatusSnapshot s = StatusReconciler::reconcile(records, scan);
    QCOMPARE(rowOf(s, "flows", "0001_initial")->dependencies,
             (QStringList{QStringLiteral("auth.0001_initial"), QStringLiteral("contenttypes.0002_y")}));
    // run_before: late.0001 depends on flows.0001, which is not applied → late.0001 is Inconsistent.
    QCOMPARE(rowOf(s, "late", "0001_initial")->dependencies, QStringList{QStringLiteral("flows.0001_initial")});
    QCOMPARE(stateOf(s, "late", "0001_initial"), MigrationState::Inconsistent);
}

void TestStatusReconciler::squashCountsAsApplied()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("a"), QStringLiteral("b")};
    scan.files = {declared("a", "0001_squashed_0002", "    replaces = [('a', '0001_initial'), ('a', '0002_x')]\n"),
                  declared("b", "0001_initial", "    dependencies = [('a', '0001_squashed_0002')]\n")};
    const QList<MigrationRecord> records = {rec(1, "a", "0001_initial"), rec(2, "a", "0002_x"), rec(3, "b", "0001_initial")};
    const StatusSnapshot s = StatusReconciler::reconcile(records, scan);
    QCOMPARE(stateOf(s, "b", "0001_initial"), MigrationState::Applied); // every replaced row is there
    QCOMPARE(s.replacements.value(QStringLiteral("a.0001_squashed_0002")).size(), 2);
    QVERIFY(s.isApplied(QStringLiteral("a.0001_squashed_0002")));
}

void TestStatusReconciler::unreadableAndMissingAreNamed()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("a")};
    scan.files = {declared("a", "0001_initial", "    dependencies = BASE + [('a', '0000')]\n"),
                  declared("a", "0002_x", "    dependencies = [('a', '0001_initial'), ('a', '0009_gone')]\n")};
    const StatusSnapshot s = StatusReconciler::reconcile({rec(1, "a", "0001_initial"), rec(2, "a", "0002_x")}, scan);
    QCOMPARE(s.unreadableFiles.size(), 1);
    QVERIFY2(s.unreadableFiles.constFirst().startsWith(QStringLiteral("backend/a/migrations/0001_initial.py: line 3")),
             qPrintable(s.unreadableFiles.constFirst()));
    QCOMPARE(s.missingDependencies, QStringList{QStringLiteral("a.0002_x needs a.0009_gone, which has no file and no row")});
    QCOMPARE(stateOf(s, "a", "0002_x"), MigrationState::Applied); // a missing node is Django's load error, not ours to guess
    // Files not parsed at all (callers that only join) get no edges.
    const StatusSnapshot plain = StatusReconciler::reconcile({rec(1, "a", "0001_initial")}, MigrationFileScan{{file("a", "0001_initial")}, {QStringLiteral("a")}, {}});
    QVERIFY(plain.rows.constFirst().dependencies.isEmpty());
}

void TestStatusReconciler::statesFromRowsAndFiles()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("flows"), QStringLiteral("conversations")};
    scan.files = {file("conversations", "0001_initial"), file("conversations", "0002_message"),
                  file("flows", "0001_initial")};
    const QList<MigrationRecord> records = {rec(1, "contenttypes", "0001_initial"), rec(2, "conversations", "0001_initial"),
                                            rec(3, "flows", "0001_initial"), rec(4, "flows", "0099_gone")};
    const StatusSnapshot s = StatusReconciler::reconcile(records, scan);
    QCOMPARE(s.rows.size(), 5);
    QCOMPARE(stateOf(s, "conversations", "0001_initial"), MigrationState::Applied);
    QCOMPARE(stateOf(s, "conversations", "0002_message"), MigrationState::Pending);
    QCOMPARE(stateOf(s, "flows", "0099_gone"), MigrationState::Orphan);
    QCOMPARE(stateOf(s, "contenttypes", "0001_initial"), MigrationState::External);
    const auto c = s.counts();
    QCOMPARE(c[int(MigrationState::Applied)], 2);
    QCOMPARE(c[int(MigrationState::Pending)], 1);
    QCOMPARE(c[int(MigrationState::Orphan)], 1);
    QCOMPARE(c[int(MigrationState::External)], 1);
    QVERIFY(!s.allApplied());
    // Sorted by app then name; applied rows keep their record id and file.
    QCOMPARE(s.rows.first().app, QStringLiteral("contenttypes"));
    QCOMPARE(s.rows.at(1).recordId, 2);
    QCOMPARE(s.rows.at(1).file, QStringLiteral("backend/conversations/migrations/0001_initial.py"));
}

void TestStatusReconciler::historyTableMissing()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("flows")};
    scan.files = {file("flows", "0001_initial"), file("flows", "0002_step")};
    const StatusSnapshot s = StatusReconciler::reconcile({}, scan, true);
    QVERIFY(s.historyTableMissing);
    QCOMPARE(s.counts()[int(MigrationState::Pending)], 2);
}

void TestStatusReconciler::duplicateRowsCountOnce()
{
    MigrationFileScan scan;
    scan.apps = {QStringLiteral("flows")};
    scan.files = {file("flows", "0001_initial")};
    const StatusSnapshot s = StatusReconciler::reconcile({rec(1, "flows", "0001_initial"), rec(2, "flows", "0001_initial")}, scan);
    QCOMPARE(s.rows.size(), 1);
    QVERIFY(s.allApplied());
}

void TestStatusReconciler::scannerFindsModules()
{
    QTemporaryDir tmp;
    const QDir root(tmp.path());
    auto touch = [&root](const QString &rel) {
        QDir().mkpath(QFileInfo(root.filePath(rel)).absolutePath());
        QFile f(root.filePath(rel));
        QVERIFY(f.open(QIODevice::WriteOnly));
    };
    touch(QStringLiteral("be/flows/migrations/__init__.py"));
    touch(QStringLiteral("be/flows/migrations/0001_initial.py"));
    touch(QStringLiteral("be/flows/migrations/0002_auto_20260101_1200.py"));
    touch(QStringLiteral("be/flows/migrations/~0003_editor_backup.py"));
    touch(QStringLiteral("be/flows/migrations/notes.txt"));
    touch(QStringLiteral("be/customer_data/migrations/__init__.py")); // app without migrations yet
    touch(QStringLiteral("be/apps/__init__.py"));
    touch(QStringLiteral("be/apps/meta_integration/migrations/0001_initial.py"));
    touch(QStringLiteral("be/venv/lib/site/migrations/0001_initial.py"));
    const MigrationFileScan scan = MigrationFileScanner::scan(tmp.path(), root.filePath(QStringLiteral("be")));
    QCOMPARE(scan.apps, (QStringList{QStringLiteral("customer_data"), QStringLiteral("flows"), QStringLiteral("meta_integration")}));
    QCOMPARE(scan.files.size(), 3);
    QCOMPARE(scan.files.at(0).name, QStringLiteral("0001_initial"));
    QCOMPARE(scan.files.at(0).relativePath, QStringLiteral("be/flows/migrations/0001_initial.py"));
    QCOMPARE(scan.files.at(2).app, QStringLiteral("meta_integration"));
}

QTEST_GUILESS_MAIN(TestStatusReconciler)
#include "tst_statusreconciler.moc"
