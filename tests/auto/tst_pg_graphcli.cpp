// `migrationdesk graph` on a migrated fixture project with a broken history (a dependency's row
// deleted): the real binary, no display; DOT with every migration and edge, SVG and PNG pictures.
#include "testbed.h"

#include <QtEndian>
#include <QtTest>

class TestPgGraphCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void dotHasEveryMigrationAndEdge();
    void svgAndPngWithoutADisplay();
    void badFormatIsAUsageError();
    void cleanupTestCase();

private:
    int run(const QStringList &args, QByteArray *out = nullptr, QByteArray *err = nullptr);
    QTemporaryDir m_tmp;
    TestBed::MigratedProject m_project;
};

int TestPgGraphCli::run(const QStringList &args, QByteArray *out, QByteArray *err)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the command chooses offscreen itself
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MIGRATIONDESK_BINARY),
            QStringList{QStringLiteral("graph"), QStringLiteral("--project"), m_project.dir, QStringLiteral("--target"),
                        QStringLiteral("local"), QStringLiteral("--db-port"), QString::number(m_project.db.port)}
                + args);
    if (!p.waitForFinished(120000))
        return -1;
    if (out)
        *out = p.readAllStandardOutput();
    const QByteArray e = p.readAllStandardError();
    if (err)
        *err = e;
    if (p.exitCode() != 0)
        qWarning("stderr: %s", e.constData());
    return p.exitCode();
}

void TestPgGraphCli::initTestCase()
{
    QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("graph cli"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
    QVERIFY(TestBed::execSql(m_project.db, QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' AND name LIKE '0002%'")));
}

void TestPgGraphCli::dotHasEveryMigrationAndEdge()
{
    QByteArray out;
    QCOMPARE(run({QStringLiteral("--format"), QStringLiteral("dot")}, &out), 0);
    QVERIFY(out.startsWith("digraph migrations {"));
    // Every fixture migration is a node.
    const QDir fixture(m_project.dir + QStringLiteral("/whatsappcrm_backend"));
    int files = 0;
    for (const QString &app : fixture.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QString &f : QDir(fixture.filePath(app + QStringLiteral("/migrations"))).entryList({QStringLiteral("0*.py")})) {
            ++files;
            const QByteArray key = (app + QLatin1Char('.') + f.chopped(3)).toUtf8();
            QVERIFY2(out.contains("\"" + key + "\" ["), key.constData());
        }
    }
    QVERIFY(files >= 10);
    QVERIFY(out.contains("\"flows.0001_initial\" -> \"flows.0002_auto_20261124_0227\";"));
    // The pair Django refuses, marked: flows.0003 is applied, flows.0002 (its dependency) is not.
    QVERIFY(out.contains("\"flows.0002_auto_20261124_0227\" -> \"flows.0003_flowcontext\" [color=\"#a020c0\""));
    QVERIFY(out.contains("Inconsistent"));
    // Written to a file too.
    const QString path = m_tmp.filePath(QStringLiteral("g.dot"));
    QCOMPARE(run({QStringLiteral("--output"), path}), 0);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), out);
}

void TestPgGraphCli::svgAndPngWithoutADisplay()
{
    const QString svgPath = m_tmp.filePath(QStringLiteral("g.svg"));
    QCOMPARE(run({QStringLiteral("--format"), QStringLiteral("svg"), QStringLiteral("--output"), svgPath}), 0);
    QFile svg(svgPath);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray text = svg.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("0003_flowcontext"));
    QVERIFY(text.contains("needs"));
    const QString pngPath = m_tmp.filePath(QStringLiteral("g.png"));
    QCOMPARE(run({QStringLiteral("--output"), pngPath}), 0); // the format from the suffix
    QFile png(pngPath);
    QVERIFY(png.open(QIODevice::ReadOnly));
    const QByteArray head = png.read(24); // signature, then the IHDR chunk: width, height
    QVERIFY(head.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(head.mid(12, 4), QByteArray("IHDR"));
    const quint32 width = qFromBigEndian<quint32>(head.constData() + 16);
    const quint32 height = qFromBigEndian<quint32>(head.constData() + 20);
    QVERIFY2(width > 400 && height > 200, qPrintable(QStringLiteral("%1x%2").arg(width).arg(height)));
    QVERIFY(png.size() > 10000); // a picture, not an empty canvas
}

void TestPgGraphCli::badFormatIsAUsageError()
{
    QByteArray err;
    QCOMPARE(run({QStringLiteral("--format"), QStringLiteral("gif"), QStringLiteral("--output"), m_tmp.filePath(QStringLiteral("x"))}, nullptr, &err), 2);
    QVERIFY2(err.contains("svg, png or dot"), err.constData());
    QCOMPARE(run({QStringLiteral("--format"), QStringLiteral("png")}, nullptr, &err), 2);
    QVERIFY2(err.contains("needs --output"), err.constData());
}

void TestPgGraphCli::cleanupTestCase()
{
    if (!m_project.dbName.isEmpty())
        TestBed::dropDatabase(m_project.dbName);
}

QTEST_GUILESS_MAIN(TestPgGraphCli)
#include "tst_pg_graphcli.moc"
