// A process that connected to PostgreSQL from a worker thread exits without OpenSSL tearing its
// state down under that thread (core/db/pgclientlibrary.h). CI once crashed this way at the end
// of a GUI test: libcrypto's thread-exit destructor ran on a pool thread while the main thread's
// atexit handlers had already freed OpenSSL's state.
//
// The test runs itself as a child: it connects on a worker thread as the app's jobs do and asks
// OpenSSL to say when its cleanup runs (OPENSSL_atexit). The control child connects the same way
// without PgClientLibrary::prepare(), so libpq itself starts OpenSSL (SCRAM over TCP) and the
// marker must appear there: the observation can fail, and prepare() is what removes the cleanup.

#include "testbed.h"

#include "db/databaseconnection.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSqlDatabase>
#include <QtTest>

#include <openssl/crypto.h>

#include <thread>

#include <unistd.h>

namespace {

constexpr char kCleanupMarker[] = "openssl-cleanup-ran\n";
constexpr char kConnectedMarker[] = "connected-from-worker\n";

void sayCleanupRan()
{
    (void)::write(STDOUT_FILENO, kCleanupMarker, sizeof kCleanupMarker - 1);
}

// Child: connect on a worker thread; the control connects with a bare QPSQL connection.
int runChild(bool withoutPrepare)
{
    bool opened = false;
    // Joined (pthread_join waits for its TLS destructors), unlike a QThread: the control's own
    // exit must not meet the race this test is about.
    std::thread worker([&opened, withoutPrepare] {
        if (!withoutPrepare) {
            DatabaseConnection connection(TestBed::server(), QStringLiteral("exit-test"));
            opened = connection.open();
            return;
        }
        const DbSettings db = TestBed::server();
        {
            QSqlDatabase bare = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("exit-test-bare"));
            bare.setHostName(db.host);
            bare.setPort(db.port);
            bare.setDatabaseName(db.name);
            bare.setUserName(db.user);
            bare.setPassword(db.password);
            opened = bare.open();
            bare.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("exit-test-bare"));
    });
    worker.join();
    if (!opened)
        return 3;
    OPENSSL_atexit(sayCleanupRan);
    (void)::write(STDOUT_FILENO, kConnectedMarker, sizeof kConnectedMarker - 1);
    return 0;
}

QString runSelf(const QString &mode)
{
    QProcess child;
    child.setProgram(QCoreApplication::applicationFilePath());
    child.setArguments({QStringLiteral("--child"), mode});
    child.start();
    if (!child.waitForFinished(60000)) {
        child.kill();
        child.waitForFinished();
        return QStringLiteral("timed out");
    }
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
        return QStringLiteral("exit %1: %2 %3").arg(child.exitCode()).arg(out, QString::fromUtf8(child.readAllStandardError()));
    return out;
}

} // namespace

class TestPgClientExit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
    }

    void openSslIsNotTornDownAtExit()
    {
        const QString out = runSelf(QStringLiteral("prepared"));
        QVERIFY2(out.contains(QLatin1String(kConnectedMarker)), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String(kCleanupMarker)), qPrintable(out));
    }

    void libpqAloneLeavesTheCleanupIn()
    {
        const QString out = runSelf(QStringLiteral("without-prepare"));
        QVERIFY2(out.contains(QLatin1String(kConnectedMarker)), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String(kCleanupMarker)), qPrintable(out));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(1) == QLatin1String("--child"))
        return runChild(args.at(2) == QLatin1String("without-prepare"));
    TestPgClientExit test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_pg_clientexit.moc"
