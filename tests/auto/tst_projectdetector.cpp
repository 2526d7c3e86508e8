#include "project/composefile.h"
#include "project/projectloader.h"
#include "project/projectsettingsstore.h"

#include <QtTest>

#include <unistd.h>

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(data);
}

// A minimal Hanna-shaped project: compose file, .env, backend with manage.py.
QString makeProject(const QString &parent, const QString &name, const QByteArray &compose, const QByteArray &env)
{
    const QString root = QDir(parent).filePath(name);
    writeFile(root + QStringLiteral("/docker-compose.yml"), compose);
    if (!env.isNull())
        writeFile(root + QStringLiteral("/.env"), env);
    writeFile(root + QStringLiteral("/whatsappcrm_backend/manage.py"), "# manage\n");
    writeFile(root + QStringLiteral("/whatsappcrm_backend/flows/migrations/__init__.py"), "");
    return root;
}

const QByteArray kHannaCompose = R"(
services:
  db:
    image: postgres:15
    environment:
      POSTGRES_DB: ${DB_NAME}
      POSTGRES_USER: ${DB_USER}
      POSTGRES_PASSWORD: ${DB_PASSWORD}
    ports:
      - "${DB_PORT:-5432}:5432"
    volumes:
      - postgres_data:/var/lib/postgresql/data
  backend:
    build: ./whatsappcrm_backend
    volumes:
      - ./whatsappcrm_backend:/app
    env_file: .env
    depends_on: [db]
volumes:
  postgres_data:
)";

} // namespace

class TestProjectDetector : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void portSpec_data();
    void portSpec();
    void hannaDefaults();
    void portFromEnvAndLongSyntax_data();
    void portFromEnvAndLongSyntax();
    void missingEnvUsesGuideDefaults();
    void noManagePyIsAnError();
    void missingFolder();
    void permissionDenied();
    void invalidYamlIsAWarning();
    void passwordFromEnvironmentVariable();
    void overridesAndSettingsStore();

private:
    QTemporaryDir m_tmp;
};

void TestProjectDetector::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationDeskTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_projectdetector"));
}

void TestProjectDetector::portSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("hostIp");
    QTest::addColumn<int>("published");
    QTest::addColumn<int>("target");
    QTest::addRow("host:container") << "5432:5432" << true << "" << 5432 << 5432;
    QTest::addRow("different ports") << "15432:5432" << true << "" << 15432 << 5432;
    QTest::addRow("ip:host:container") << "127.0.0.1:5432:5432" << true << "127.0.0.1" << 5432 << 5432;
    QTest::addRow("container only") << "5432" << true << "" << 0 << 5432;
    QTest::addRow("protocol") << "5433:5432/tcp" << true << "" << 5433 << 5432;
    QTest::addRow("ipv6") << "[::1]:5434:5432" << true << "::1" << 5434 << 5432;
    QTest::addRow("range") << "5000-5001:5000-5001" << true << "" << 5000 << 5000;
    QTest::addRow("garbage") << "abc" << false << "" << 0 << 0;
    QTest::addRow("empty") << "" << false << "" << 0 << 0;
}

void TestProjectDetector::portSpec()
{
    QFETCH(QString, spec);
    QFETCH(bool, ok);
    ComposePort port;
    QCOMPARE(ComposeFile::parsePortSpec(spec, &port), ok);
    if (!ok)
        return;
    QTEST(port.hostIp, "hostIp");
    QTEST(port.published, "published");
    QTEST(port.target, "target");
}

void TestProjectDetector::hannaDefaults()
{
    const QString root = makeProject(m_tmp.path(), QStringLiteral("Hanna CRM"), kHannaCompose,
                                     "DB_NAME=whatsappcrm_db\nDB_USER=crm\nDB_PASSWORD=s3cret\n");
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(QLatin1Char('\n'))));
    QCOMPARE(r.config.composeFile, root + QStringLiteral("/docker-compose.yml"));
    QCOMPARE(r.config.envFile, root + QStringLiteral("/.env"));
    QCOMPARE(r.config.backendDir, root + QStringLiteral("/whatsappcrm_backend"));
    QCOMPARE(r.config.backendRelative(), QStringLiteral("whatsappcrm_backend"));
    QCOMPARE(r.config.containerWorkdir, QStringLiteral("/app"));
    QCOMPARE(r.config.dbService, QStringLiteral("db"));
    QCOMPARE(r.config.backendService, QStringLiteral("backend"));
    QCOMPARE(r.config.composeProjectName, QStringLiteral("hannacrm"));
    QCOMPARE(r.config.db.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(r.config.db.port, 5432);
    QCOMPARE(r.config.db.name, QStringLiteral("whatsappcrm_db"));
    QCOMPARE(r.config.db.user, QStringLiteral("crm"));
    QCOMPARE(r.config.db.password, QStringLiteral("s3cret"));
    QCOMPARE(r.config.target, TargetKind::Compose);
    for (const QString &w : r.warnings)
        QVERIFY2(!w.contains(QLatin1String("s3cret")), qPrintable(w));
}

void TestProjectDetector::portFromEnvAndLongSyntax_data()
{
    QTest::addColumn<QByteArray>("ports");
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<int>("expected");
    QTest::addRow("interpolated from .env") << QByteArray("      - \"${DB_PORT:-5432}:5432\"\n")
                                             << QByteArray("DB_PORT=6543\n") << 6543;
    QTest::addRow("default when unset") << QByteArray("      - \"${DB_PORT_UNSET_X:-5499}:5432\"\n")
                                         << QByteArray("A=1\n") << 5499;
    QTest::addRow("ip form") << QByteArray("      - \"127.0.0.1:5433:5432\"\n") << QByteArray("A=1\n") << 5433;
    QTest::addRow("long syntax") << QByteArray("      - target: 5432\n        published: \"5544\"\n        host_ip: 127.0.0.1\n")
                                  << QByteArray("A=1\n") << 5544;
    QTest::addRow("other port first") << QByteArray("      - \"9999:80\"\n      - \"5601:5432\"\n")
                                       << QByteArray("A=1\n") << 5601;
}

void TestProjectDetector::portFromEnvAndLongSyntax()
{
    QFETCH(QByteArray, ports);
    QFETCH(QByteArray, env);
    QFETCH(int, expected);
    const QByteArray compose = "services:\n  db:\n    image: postgres:15\n    ports:\n" + ports
        + "  backend:\n    build: ./whatsappcrm_backend\n";
    const QString root = makeProject(m_tmp.path(), QStringLiteral("ports-%1").arg(QString::fromUtf8(QTest::currentDataTag())), compose, env);
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QVERIFY(r.ok());
    QCOMPARE(r.config.db.port, expected);
}

void TestProjectDetector::missingEnvUsesGuideDefaults()
{
    const QString root = makeProject(m_tmp.path(), QStringLiteral("noenv"),
                                     "services:\n  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n", QByteArray());
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QVERIFY(r.ok());
    QVERIFY(r.config.envFile.isEmpty());
    QCOMPARE(r.config.db.user, QStringLiteral("postgres"));
    QCOMPARE(r.config.db.password, QStringLiteral("postgres"));
    QVERIFY(std::any_of(r.warnings.cbegin(), r.warnings.cend(),
                        [](const QString &w) { return w.contains(QLatin1String("No .env")); }));
}

void TestProjectDetector::noManagePyIsAnError()
{
    const QString root = QDir(m_tmp.path()).filePath(QStringLiteral("not-django"));
    writeFile(root + QStringLiteral("/docker-compose.yml"), "services: {}\n");
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(QLatin1String("manage.py")));
}

void TestProjectDetector::missingFolder()
{
    const ProjectLoadResult r = ProjectDetector::detect(m_tmp.filePath(QStringLiteral("nope")));
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(QLatin1String("does not exist")));
}

void TestProjectDetector::permissionDenied()
{
    if (::geteuid() == 0)
        QSKIP("root reads every folder; permission errors cannot be produced as root");
    const QString root = makeProject(m_tmp.path(), QStringLiteral("locked"), kHannaCompose, "A=1\n");
    QFile::setPermissions(root, QFileDevice::WriteOwner);
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QFile::setPermissions(root, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(QLatin1String("Permission denied")));
}

void TestProjectDetector::invalidYamlIsAWarning()
{
    const QString root = makeProject(m_tmp.path(), QStringLiteral("badyaml"), "services: [unclosed\n", "A=1\n");
    const ProjectLoadResult r = ProjectDetector::detect(root);
    QVERIFY(r.ok()); // still usable with defaults
    QVERIFY(std::any_of(r.warnings.cbegin(), r.warnings.cend(),
                        [](const QString &w) { return w.contains(QLatin1String("not valid YAML")); }));
    QCOMPARE(r.config.db.port, 5432);
}

void TestProjectDetector::passwordFromEnvironmentVariable()
{
    const QString root = makeProject(m_tmp.path(), QStringLiteral("envpw"), kHannaCompose, "DB_PASSWORD=fromfile\n");
    qputenv("MIGRATIONDESK_DB_PASSWORD", "fromvariable");
    const ProjectLoadResult r = ProjectDetector::detect(root);
    qunsetenv("MIGRATIONDESK_DB_PASSWORD");
    QCOMPARE(r.config.db.password, QStringLiteral("fromvariable"));
}

void TestProjectDetector::overridesAndSettingsStore()
{
    const QString root = makeProject(m_tmp.path(), QStringLiteral("saved"), kHannaCompose, "DB_NAME=a\n");
    ProjectOverrides o;
    o.dbPort = 6000;
    o.dbName = QStringLiteral("other");
    o.target = QStringLiteral("local");
    o.python = QStringLiteral("/opt/venv/bin/python");
    ProjectSettingsStore::save(root, o);
    ProjectSettingsStore::addRecentProject(root);
    QCOMPARE(ProjectSettingsStore::recentProjects().first(), QFileInfo(root).canonicalFilePath());

    ProjectLoadResult r = ProjectDetector::detect(root);
    ProjectSettingsStore::load(root).applyTo(r.config);
    QCOMPARE(r.config.db.port, 6000);
    QCOMPARE(r.config.db.name, QStringLiteral("other"));
    QCOMPARE(r.config.target, TargetKind::Local);
    QCOMPARE(r.config.python, QStringLiteral("/opt/venv/bin/python"));
    QCOMPARE(r.config.db.user, QStringLiteral("postgres")); // not overridden: detected value stays
}

QTEST_GUILESS_MAIN(TestProjectDetector)
#include "tst_projectdetector.moc"
