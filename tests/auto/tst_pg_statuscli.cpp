// `migrationdesk status --json` as a script would run it: the real binary, no display.
#include "testbed.h"

#include <QtTest>

namespace {

// The streamed text writes each row as QJsonDocument indents it, byte for byte, and counts after
// the rows (so nothing is held back): the text is what its parse says.
void expectRowsAsQJsonDocument(const QByteArray &out, const QJsonObject &json)
{
    const QJsonArray rows = json.value(QStringLiteral("migrations")).toArray();
    QVERIFY(!rows.isEmpty());
    for (const QJsonValue &row : rows) {
        QByteArray indented = QJsonDocument(row.toObject()).toJson(QJsonDocument::Indented);
        indented.chop(1);
        indented.replace('\n', "\n        ");
        QVERIFY2(out.contains("        " + indented), indented.constData());
    }
    QVERIFY(out.indexOf("\"counts\"") > out.lastIndexOf("\"state\""));
    QVERIFY(json.value(QStringLiteral("counts")).isObject());
}

} // namespace

class TestPgStatusCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void allAppliedExitsZero();
    void pendingOrOrphanExitsOne();
    void errorExitsTwoWithMessageOnStderr();
    void notADjangoProject();
    void gitProvenanceInJson();
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
    expectRowsAsQJsonDocument(out, json);
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

// The orphan that `git pull` left: a migration deleted in a commit whose row stays, and still on
// origin/main. status --json says where each file came from and where the orphan's file is.
void TestPgStatusCli::gitProvenanceInJson()
{
    QTemporaryDir tmp;
    TestBed::MigratedProject project = TestBed::migratedProject(tmp.path(), QStringLiteral("git provenance"));
    QVERIFY2(project.ok(), qPrintable(project.error));
    QString error;
    QVERIFY2(TestBed::initGitRepo(project.dir, tmp.filePath(QStringLiteral("remote.git")), &error), qPrintable(error));
    const QString removed = QStringLiteral("whatsappcrm_backend/customer_data/migrations/0002_customerprofile_contact.py");
    QProcess git;
    git.setWorkingDirectory(project.dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    git.setProcessEnvironment(env);
    git.start(QStringLiteral("git"), {QStringLiteral("rm"), QStringLiteral("-q"), removed});
    QVERIFY(git.waitForFinished(30000) && git.exitCode() == 0);
    git.start(QStringLiteral("git"), {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Remove all migrations")});
    QVERIFY(git.waitForFinished(30000) && git.exitCode() == 0);

    QByteArray out, err;
    QCOMPARE(runStatus({QStringLiteral("--project"), project.dir, QStringLiteral("--json")}, &out, &err), 1); // an orphan
    const QJsonObject json = QJsonDocument::fromJson(out).object();
    expectRowsAsQJsonDocument(out, json);
    QJsonObject orphan, applied;
    for (const QJsonValue &v : json.value(QStringLiteral("migrations")).toArray()) {
        const QJsonObject row = v.toObject();
        const QString key = row.value(QStringLiteral("app")).toString() + QLatin1Char('.') + row.value(QStringLiteral("name")).toString();
        if (key == QLatin1String("customer_data.0002_customerprofile_contact"))
            orphan = row;
        else if (key == QLatin1String("flows.0001_initial"))
            applied = row;
    }
    QCOMPARE(orphan.value(QStringLiteral("state")).toString(), QStringLiteral("Orphan"));
    const QJsonObject orphanGit = orphan.value(QStringLiteral("git")).toObject();
    QCOMPARE(orphanGit.value(QStringLiteral("deletedIn")).toObject().value(QStringLiteral("subject")).toString(),
             QStringLiteral("Remove all migrations"));
    QCOMPARE(orphanGit.value(QStringLiteral("onBranches")).toVariant().toStringList(), QStringList{QStringLiteral("origin/main")});
    const QJsonObject added = applied.value(QStringLiteral("git")).toObject().value(QStringLiteral("addedIn")).toObject();
    QCOMPARE(added.value(QStringLiteral("subject")).toString(), QStringLiteral("Initial commit"));
    QCOMPARE(added.value(QStringLiteral("hash")).toString().size(), 40);
    QVERIFY(QDateTime::fromString(added.value(QStringLiteral("date")).toString(), Qt::ISODate).isValid());
    QVERIFY(applied.value(QStringLiteral("git")).toObject().value(QStringLiteral("deletedIn")).isNull());
    TestBed::dropDatabase(project.dbName);
}

void TestPgStatusCli::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgStatusCli)
#include "tst_pg_statuscli.moc"
