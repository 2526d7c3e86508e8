// `migrationdesk doctor` as a script runs it: the real binary on a broken fixture, Local target.
#include "testbed.h"

#include <QtTest>

class TestPgDoctorCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void findsFixesAndVerifies();
    void cleanupTestCase();

private:
    int doctor(const QStringList &extra, QByteArray *out, QByteArray *err);
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

int TestPgDoctorCli::doctor(const QStringList &extra, QByteArray *out, QByteArray *err)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), m_tmp.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MIGRATIONDESK_BINARY),
            QStringList{QStringLiteral("doctor"), QStringLiteral("--project"), m_project.dir, QStringLiteral("--target"),
                        QStringLiteral("local"), QStringLiteral("--python"), QString::fromLatin1(TestBed::kPython)}
                + extra);
    if (!p.waitForFinished(240000))
        return -1;
    *out = p.readAllStandardOutput();
    *err = p.readAllStandardError();
    return p.exitCode();
}

void TestPgDoctorCli::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("doctor cli"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgDoctorCli::findsFixesAndVerifies()
{
    QByteArray out, err;
    QCOMPARE(doctor({QStringLiteral("--json")}, &out, &err), 0); // healthy fixture

    // flows.0002 is a dependency of applied migrations: the InconsistentMigrationHistory case.
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' AND name LIKE '0002%'")));
    QCOMPARE(doctor({QStringLiteral("--json")}, &out, &err), 1);
    const QJsonDocument doc = QJsonDocument::fromJson(out);
    QVERIFY2(!doc.isNull(), out.constData());
    QVERIFY2(out.contains("\"InconsistentHistory\""), out.constData());
    QVERIFY(!out.contains(m_project.db.password.toUtf8()));
    QVERIFY(!err.contains(m_project.db.password.toUtf8()));

    QCOMPARE(doctor({QStringLiteral("--fix")}, &out, &err), 2); // no --yes: preview only
    QVERIFY(out.contains("INSERT INTO django_migrations") || err.contains("INSERT INTO django_migrations"));
    QCOMPARE(TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows' "
                                                                "AND name LIKE '0002%'")),
             QStringList{QStringLiteral("0")});

    QCOMPARE(doctor({QStringLiteral("--fix"), QStringLiteral("--yes")}, &out, &err), 0);
    QCOMPARE(TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations WHERE app = 'flows' "
                                                                "AND name LIKE '0002%'")),
             QStringList{QStringLiteral("1")});
    QString migrateOutput;
    QVERIFY2(TestBed::runManage(m_project.dir, m_project.db, {QStringLiteral("migrate"), QStringLiteral("--check")}, &migrateOutput),
             qPrintable(migrateOutput));
}

void TestPgDoctorCli::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgDoctorCli)
#include "tst_pg_doctorcli.moc"
