// The --json contract (docs/json-schema.md) held against golden files: the real binary on a
// migrated fixture project, its output normalised only where a run must differ (paths, database
// name and port, times, sizes), then compared whole with tests/golden/*.json. A changed field is
// a changed contract: regenerate with MIGRATIONDESK_UPDATE_GOLDEN=1 and bump schemaVersion when
// a field changed meaning or went away.
#include "testbed.h"

#include <QtTest>

class TestPgJsonCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void status();
    void doctorFinding();
    void plan();
    void runAndBackups();
    void errorDatabaseDown();
    void cleanupTestCase();

private:
    int run(const QStringList &args, QJsonObject *json, QByteArray *err = nullptr);
    QJsonValue normalise(const QJsonValue &value, const QString &key = QString()) const;
    void compareGolden(const QString &name, const QJsonObject &actual);

    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

int TestPgJsonCli::run(const QStringList &args, QJsonObject *json, QByteArray *errOut)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), m_tmp.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MIGRATIONDESK_BINARY),
            args + QStringList{QStringLiteral("--json"), QStringLiteral("--project"), m_project.dir,
                               QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
                               QString::fromLatin1(TestBed::kPython), QStringLiteral("--db-port"),
                               QString::number(m_project.db.port)});
    if (!p.waitForFinished(240000))
        return -1;
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    if (errOut)
        *errOut = err;
    QJsonParseError parseError;
    *json = QJsonDocument::fromJson(out, &parseError).object();
    if (parseError.error != QJsonParseError::NoError) // stdout must be one document, nothing else
        qWarning("not one JSON document on stdout: %s\nstderr: %s", out.constData(), err.constData());
    const QByteArray secret = m_project.db.password.toUtf8();
    if (out.contains(secret) || err.contains(secret))
        return -3;
    return p.exitCode();
}

// Only what differs between runs: this project's paths, database and port; times; sizes.
QJsonValue TestPgJsonCli::normalise(const QJsonValue &value, const QString &key) const
{
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            it.value() = normalise(it.value(), it.key());
        return o;
    }
    if (value.isArray()) {
        QJsonArray a = value.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = normalise(*it, key);
        return a;
    }
    if (value.isDouble() && (key == QLatin1String("elapsedMs") || key == QLatin1String("size")
                             || key == QLatin1String("totalSize") || key == QLatin1String("port")))
        return 0;
    if (!value.isString())
        return value;
    QString s = value.toString();
    s.replace(m_project.dir, QStringLiteral("$PROJECT"));
    s.replace(m_tmp.path(), QStringLiteral("$TMP"));
    s.replace(m_project.dbName, QStringLiteral("$DB"));
    s.replace(QRegularExpression(QStringLiteral("\\b%1\\b").arg(m_project.db.port)), QStringLiteral("$PORT"));
    s.replace(QRegularExpression(QStringLiteral("\\b[0-9a-f]{40}\\b")), QStringLiteral("$HASH"));
    s.replace(QRegularExpression(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)?")),
              QStringLiteral("$TIME"));
    s.replace(QRegularExpression(QStringLiteral("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?( UTC)?")),
              QStringLiteral("$TIME")); // the evidence's human form
    s.replace(QRegularExpression(QStringLiteral("\\b\\d{8}-\\d{6}\\b")), QStringLiteral("$STAMP"));
    return s;
}

void TestPgJsonCli::compareGolden(const QString &name, const QJsonObject &actual)
{
    const QByteArray text = QJsonDocument(normalise(actual).toObject()).toJson(QJsonDocument::Indented);
    const QString path = QStringLiteral(MIGRATIONDESK_SOURCE_DIR "/tests/golden/") + name;
    if (qEnvironmentVariableIntValue("MIGRATIONDESK_UPDATE_GOLDEN") == 1) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        qInfo("wrote %s", qPrintable(path));
        return;
    }
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray golden = f.readAll();
    if (text != golden) {
        QTemporaryFile actualFile(m_tmp.filePath(name + QStringLiteral(".XXXXXX")));
        actualFile.setAutoRemove(false);
        if (actualFile.open())
            actualFile.write(text);
        QFAIL(qPrintable(QStringLiteral("%1 differs from the golden file; the normalised output is in %2 "
                                        "(diff them; MIGRATIONDESK_UPDATE_GOLDEN=1 rewrites the golden files)")
                             .arg(path, actualFile.fileName())));
    }
}

void TestPgJsonCli::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("json cli"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgJsonCli::status()
{
    QJsonObject json;
    QCOMPARE(run({QStringLiteral("status")}, &json), 0);
    QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("status"));
    compareGolden(QStringLiteral("status.json"), json);
}

void TestPgJsonCli::doctorFinding()
{
    // flows.0002 is a dependency of applied migrations: InconsistentMigrationHistory.
    const QStringList removed = TestBed::queryStrings(
        m_project.db, QStringLiteral("SELECT name FROM django_migrations WHERE app = 'flows' AND name LIKE '0002%'"));
    QCOMPARE(removed.size(), 1);
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' AND name LIKE '0002%'")));
    QJsonObject json;
    // status knows it at once, from the files' declared dependencies, without Django.
    QByteArray err;
    QCOMPARE(run({QStringLiteral("status")}, &json, &err), 1);
    QVERIFY2(!err.contains("not read"), err.constData()); // every fixture file's literals were understood
    QStringList inconsistent;
    for (const QJsonValue &v : json.value(QStringLiteral("migrations")).toArray()) {
        const QJsonObject row = v.toObject();
        if (row.value(QStringLiteral("state")).toString() != QLatin1String("Inconsistent"))
            continue;
        inconsistent << row.value(QStringLiteral("app")).toString() + QLatin1Char('.') + row.value(QStringLiteral("name")).toString();
        const QStringList deps = row.value(QStringLiteral("dependencies")).toVariant().toStringList();
        QVERIFY2(deps.contains(QStringLiteral("flows.") + removed.constFirst()), qPrintable(deps.join(QLatin1Char(' '))));
    }
    QVERIFY2(!inconsistent.isEmpty(), "no row is Inconsistent at load");
    QCOMPARE(json.value(QStringLiteral("counts")).toObject().value(QStringLiteral("Inconsistent")).toInt(), inconsistent.size());
    compareGolden(QStringLiteral("status-inconsistent.json"), json);
    QCOMPARE(run({QStringLiteral("doctor")}, &json), 1);
    QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("doctor"));
    compareGolden(QStringLiteral("doctor-inconsistent.json"), json);
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("INSERT INTO django_migrations (app, name, applied) "
                                                          "VALUES ('flows', '%1', now())")
                                               .arg(removed.constFirst())));
    QCOMPARE(run({QStringLiteral("status")}, &json), 0); // restored for the next functions
}

void TestPgJsonCli::plan()
{
    QJsonObject json;
    QCOMPARE(run({QStringLiteral("run"), QStringLiteral("migrate"), QStringLiteral("--dry-run")}, &json), 0);
    QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("plan"));
    compareGolden(QStringLiteral("plan-migrate.json"), json);
}

void TestPgJsonCli::runAndBackups()
{
    QJsonObject json;
    QByteArray err;
    QCOMPARE(run({QStringLiteral("run"), QStringLiteral("backup"), QStringLiteral("--yes")}, &json, &err), 0);
    QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("run"));
    QVERIFY2(json.value(QStringLiteral("success")).toBool(), err.constData());
    QVERIFY(err.contains("==> ")); // the steps' headers went to stderr, not into the document
    compareGolden(QStringLiteral("run-backup.json"), json);

    QCOMPARE(run({QStringLiteral("backups")}, &json), 0);
    QCOMPARE(json.value(QStringLiteral("backups")).toArray().size(), 1);
    compareGolden(QStringLiteral("backups.json"), json);
}

void TestPgJsonCli::errorDatabaseDown()
{
    QJsonObject json;
    QCOMPARE(run({QStringLiteral("status"), QStringLiteral("--db-name"), QStringLiteral("no_such_database_json")}, &json), 2);
    compareGolden(QStringLiteral("error-unavailable.json"), json);
}

void TestPgJsonCli::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgJsonCli)
#include "tst_pg_jsoncli.moc"
