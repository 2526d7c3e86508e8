// `migrationdesk status --json` as a script would run it: the real binary, no display.
#include "testbed.h"

#include <QtTest>

class TestPgStatusCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void allAppliedExitsZero();
    void pendingOrOrphanExitsOne();
    void errorExitsTwoWithMessageOnStderr();
    void notADjangoProject();
    void cleanupTestCase();

private:
    int runStatus(const QStringList &args, QByteArray *out, QByteArray *err);
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

int TestPgStatusCli::runStatus(const QStringList &args, QByteArray *out, QByteArray *err)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // headless must not need a platform plugin
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MIGRATIONDESK_BINARY), QStringList{QStringLiteral("status")} + args);
    if (!p.waitForFinished(60000))
        return -1;
    *out = p.readAllStandardOutput();
    *err = p.readAllStandardError();
    return p.exitCode();
}

void TestPgStatusCli::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("cli project"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgStatusCli::allAppliedExitsZero()
{
    QByteArray out, err;
    const int code = runStatus({QStringLiteral("--project"), m_project.dir, QStringLiteral("--json")}, &out, &err);
    QVERIFY2(code == 0, err.constData());
    QJsonParseError parseError;
    const QJsonObject json = QJsonDocument::fromJson(out, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const QJsonObject db = json.value(QStringLiteral("project")).toObject().value(QStringLiteral("database")).toObject();
    QCOMPARE(db.value(QStringLiteral("name")).toString(), m_project.dbName);
    QCOMPARE(db.value(QStringLiteral("port")).toInt(), m_project.db.port); // from ${DB_PORT:-5432}
    QVERIFY(!db.contains(QStringLiteral("password")));
    const QJsonObject counts = json.value(QStringLiteral("counts")).toObject();
    QVERIFY(counts.value(QStringLiteral("Applied")).toInt() >= 10);
    QCOMPARE(counts.value(QStringLiteral("Pending")).toInt(), 0);
    const QJsonArray rows = json.value(QStringLiteral("migrations")).toArray();
    QVERIFY(rows.size() > 10);
    const QJsonObject first = rows.first().toObject();
    for (const char *key : {"app", "name", "state", "applied", "file", "dependencies", "outOfOrder"})
        QVERIFY2(first.contains(QLatin1String(key)), key);
    QVERIFY(!out.contains(m_project.db.password.toUtf8()));
    QVERIFY(!err.contains(m_project.db.password.toUtf8()));
    // Golden check: the streamed text is byte for byte what QJsonDocument writes for it.
    QCOMPARE(out, QJsonDocument(json).toJson(QJsonDocument::Indented));
}

void TestPgStatusCli::pendingOrOrphanExitsOne()
{
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("INSERT INTO django_migrations (app, name, applied) "
                                                          "VALUES ('flows', '0042_deleted_file', now())")));
    QByteArray out, err;
    QCOMPARE(runStatus({QStringLiteral("--project"), m_project.dir}, &out, &err), 1);
    QVERIFY(out.contains("0042_deleted_file"));
    QVERIFY(out.contains("Orphan 1"));
}

void TestPgStatusCli::errorExitsTwoWithMessageOnStderr()
{
    QByteArray out, err;
    const int code = runStatus({QStringLiteral("--project"), m_project.dir, QStringLiteral("--db-name"),
                                QStringLiteral("no_such_database_x")},
                               &out, &err);
    QCOMPARE(code, 2);
    QVERIFY2(err.contains("does not exist"), err.constData());
    QVERIFY(!err.contains(m_project.db.password.toUtf8()));
    QCOMPARE(runStatus({QStringLiteral("--project"), m_project.dir, QStringLiteral("--db-port"), QStringLiteral("x")},
                       &out, &err),
             2);
    QVERIFY(err.contains("--db-port"));
}

void TestPgStatusCli::notADjangoProject()
{
    const QString empty = m_tmp.filePath(QStringLiteral("empty folder"));
    QVERIFY(QDir().mkpath(empty));
    QByteArray out, err;
    QCOMPARE(runStatus({QStringLiteral("--project"), empty}, &out, &err), 2);
    QVERIFY(err.contains("No manage.py"));
}

void TestPgStatusCli::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgStatusCli)
#include "tst_pg_statuscli.moc"
