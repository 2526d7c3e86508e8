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
    return {a, n, QStringLiteral("backend/%1/migrations/%2.py").arg(a, n)};
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
};

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
