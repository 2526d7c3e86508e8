#include "dockerbed.h"

#include "testbed.h"

#include "project/projectloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

QString testbedDir()
{
    return TestBed::dir();
}

QProcessEnvironment engineEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DOCKER_CONFIG"), testbedDir() + QStringLiteral("/docker-config"));
    // The engine is 20.10 and no registry is reachable: the classic builder works offline.
    env.insert(QStringLiteral("DOCKER_BUILDKIT"), QStringLiteral("0"));
    env.insert(QStringLiteral("COMPOSE_DOCKER_CLI_BUILD"), QStringLiteral("0"));
    return env;
}

} // namespace

bool DockerBed::available(QString *reason)
{
    QFile file(testbedDir() + QStringLiteral("/docker.env"));
    if (!file.open(QIODevice::ReadOnly)) {
        if (reason)
            *reason = QStringLiteral("the docker fixture did not run (no %1)").arg(file.fileName());
        return false;
    }
    bool ok = false;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line == "DOCKER_AVAILABLE=1")
            ok = true;
        if (line.startsWith("DOCKER_REASON=") && reason)
            *reason = QString::fromUtf8(line.mid(14));
    }
    if (ok) {
        // Everything the app starts in this process (compose, docker) finds the test bed's plugin.
        const QProcessEnvironment env = engineEnvironment();
        for (const QString &key : {QStringLiteral("DOCKER_CONFIG"), QStringLiteral("DOCKER_BUILDKIT"),
                                   QStringLiteral("COMPOSE_DOCKER_CLI_BUILD")})
            qputenv(key.toUtf8().constData(), env.value(key).toUtf8());
    }
    return ok;
}

QList<ComposeVariant> DockerBed::variants()
{
    return {ComposeVariant::Plugin, ComposeVariant::Standalone};
}

QString DockerBed::variantLabel(ComposeVariant variant)
{
    return variant == ComposeVariant::Plugin ? QStringLiteral("compose v2") : QStringLiteral("compose v1");
}

int DockerBed::freePort()
{
    // Ask the kernel for an unused port (QtNetwork is not linked for one call).
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

QString DockerBed::uniqueProjectName(const QString &prefix)
{
    QString clean = prefix.toLower();
    clean.remove(QRegularExpression(QStringLiteral("[^a-z0-9]")));
    // The fixture's cleanup removes exactly this test bed's stacks: mdt + 6 hex of its folder.
    const QByteArray bed = QCryptographicHash::hash(QDir(testbedDir()).absolutePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(6);
    return QStringLiteral("mdt%1%2%3").arg(QString::fromLatin1(bed), clean.left(12)).arg(QRandomGenerator::global()->bounded(100000, 999999));
}

int DockerBed::docker(const QStringList &args, QString *output, int timeoutMs)
{
    return TestBed::run(QStringLiteral("docker"), args, QString(), engineEnvironment(), output, timeoutMs);
}

int DockerBed::compose(const Stack &stack, const QStringList &args, QString *output, int timeoutMs)
{
    const QStringList command = ComposeCli::command(stack.variant);
    return TestBed::run(command.constFirst(), command.mid(1) + args, stack.dir, engineEnvironment(), output, timeoutMs);
}

bool DockerBed::waitForDatabase(const DbSettings &db, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        QString error;
        if (!TestBed::queryStrings(db, QStringLiteral("SELECT 1"), &error).isEmpty())
            return true;
        QThread::msleep(300);
    }
    return false;
}

DockerBed::Stack DockerBed::startStack(const QString &parentDir, const QString &folderName, ComposeVariant variant,
                                       const StackOptions &options)
{
    Stack stack;
    stack.variant = variant;
    stack.project = options.projectName.isEmpty() ? uniqueProjectName(folderName) : options.projectName;
    QString reason;
    if (!available(&reason)) {
        stack.error = QStringLiteral("no Docker engine: ") + reason;
        return stack;
    }
    ComposeCli::setDetected(variant);
    stack.dir = TestBed::copyFixture(parentDir, folderName);
    if (stack.dir.isEmpty()) {
        stack.error = QStringLiteral("cannot copy the fixture");
        return stack;
    }
    const int dbPort = freePort();
    QFile env(stack.dir + QStringLiteral("/.env"));
    if (!env.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        stack.error = env.errorString();
        return stack;
    }
    QStringList lines{
        QStringLiteral("COMPOSE_PROJECT_NAME=") + stack.project,
        QStringLiteral("DB_NAME=whatsappcrm_db"), QStringLiteral("DB_USER=postgres"),
        QStringLiteral("DB_PASSWORD=") + options.password,
        QStringLiteral("DB_HOST=db"), QStringLiteral("DB_PORT=5432"),
        // The test bed's stand-in, under its own name: a developer's real postgres:15 stays.
        QStringLiteral("DB_IMAGE=migrationdesk-testbed/postgres:15"),
        QStringLiteral("DB_HOST_PORT=%1").arg(dbPort),
        QStringLiteral("BACKEND_HOST_PORT=%1").arg(freePort()),
        QStringLiteral("DEBUG=True"),
        QStringLiteral("SECRET_KEY=django-insecure-testbed"),
        QStringLiteral("ALLOWED_HOSTS=localhost,127.0.0.1"),
    };
    lines << options.extraEnv;
    env.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    env.close();

    stack.db.host = QStringLiteral("127.0.0.1");
    stack.db.port = dbPort;
    stack.db.name = QStringLiteral("whatsappcrm_db");
    stack.db.user = QStringLiteral("postgres");
    stack.db.password = options.password;
    if (!options.start) {
        stack.config = ProjectDetector::detect(stack.dir).config;
        return stack;
    }
    QString output;
    if (compose(stack, {QStringLiteral("up"), QStringLiteral("-d")}, &output) != 0) {
        stack.error = QStringLiteral("up -d failed: ") + output;
        return stack;
    }
    if (!waitForDatabase(stack.db)) {
        compose(stack, {QStringLiteral("logs"), QStringLiteral("db")}, &output);
        stack.error = QStringLiteral("the db container did not accept connections: ") + output;
        return stack;
    }
    if (options.migrate
        && compose(stack, {QStringLiteral("exec"), QStringLiteral("-T"), QStringLiteral("backend"), QStringLiteral("python"),
                           QStringLiteral("manage.py"), QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output) != 0) {
        stack.error = QStringLiteral("migrate in the backend container failed: ") + output;
        return stack;
    }
    const ProjectLoadResult detected = ProjectDetector::detect(stack.dir);
    stack.config = detected.config;
    if (!detected.ok())
        stack.error = detected.errors.join(QLatin1Char('\n'));
    return stack;
}

void DockerBed::removeStack(const Stack &stack)
{
    if (stack.dir.isEmpty())
        return;
    // --rmi local: the backend image compose built for this stack goes too.
    compose(stack, {QStringLiteral("down"), QStringLiteral("-v"), QStringLiteral("--rmi"), QStringLiteral("local"),
                    QStringLiteral("--remove-orphans"),
                    QStringLiteral("--timeout"), QStringLiteral("2")});
}

void DockerBed::addVariantRows()
{
    QTest::addColumn<int>("variant");
    for (const ComposeVariant v : variants())
        QTest::addRow("%s", qPrintable(variantLabel(v))) << int(v);
}

int DockerBed::historyRows(const DbSettings &db)
{
    bool ok = false;
    const int rows = TestBed::queryStrings(db, QStringLiteral("SELECT count(*) FROM django_migrations")).value(0).toInt(&ok);
    return ok ? rows : -1;
}
