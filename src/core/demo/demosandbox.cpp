#include "demo/demosandbox.h"

#include "console/secretmasker.h"
#include "db/databaseconnection.h"
#include "platform/childprocess.h"
#include "project/projectsettingsstore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

const QString kPgBin = QStringLiteral("/usr/lib/postgresql/15/bin");
const QString kDbName = QStringLiteral("whatsappcrm_db");

// Asks the kernel for a free loopback port (bind to port 0).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

QString readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

bool writeFile(const QString &path, const QByteArray &data, QFileDevice::Permissions perms = {})
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (perms)
        f.setPermissions(perms);
    return f.write(data) == data.size();
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        if (src.contains(QLatin1String("__pycache__")))
            continue;
        const QString dst = QDir(to).filePath(QDir(from).relativeFilePath(src));
        if (it.fileInfo().isDir()) {
            QDir().mkpath(dst);
        } else if (!QFile::copy(src, dst)) {
            return false;
        } else {
            QFile::setPermissions(dst, QFile::permissions(dst) | QFileDevice::WriteOwner);
        }
    }
    return true;
}

} // namespace

DemoSandbox::DemoSandbox(const QString &base)
{
    m_base = !base.isEmpty() ? base
                             : QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
            + QStringLiteral("/MigrationDesk/demo");
    m_asPostgresUser = ::geteuid() == 0;
    // The postgres user cannot enter /root, so root's demo cluster lives in /var/tmp: one per
    // sandbox folder, so another HOME never meets this one's database.
    const QByteArray key = QCryptographicHash::hash(QFile::encodeName(QDir::cleanPath(m_base)), QCryptographicHash::Sha1)
                               .toHex()
                               .left(12);
    m_cluster = m_asPostgresUser ? QStringLiteral("/var/tmp/migrationdesk-demo-cluster-") + QString::fromLatin1(key)
                                 : m_base + QStringLiteral("/cluster");
}

QString DemoSandbox::projectDir() const
{
    return m_base + QStringLiteral("/hanna-crm");
}

QString DemoSandbox::fixtureSource()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/migrationdesk/demo/hanna"),
        QStringLiteral(MIGRATIONDESK_DATA_DIR "/demo/hanna"),
        QStringLiteral(MIGRATIONDESK_FIXTURE_DIR),
    };
    for (const QString &c : candidates) {
        if (QFileInfo::exists(c + QStringLiteral("/docker-compose.yml")))
            return QDir::cleanPath(c);
    }
    return {};
}

QString DemoSandbox::djangoPython()
{
    return QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3")
                                                                 : QStringLiteral("python3");
}

bool DemoSandbox::runPg(const QString &tool, const QStringList &args, QString *output, int timeoutMs)
{
    const QString program = kPgBin + QLatin1Char('/') + tool;
    ChildProcess::ToolProcess p;
    if (m_asPostgresUser)
        p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + args,
                QString(), QProcessEnvironment::systemEnvironment(), true);
    else
        p.start(program, args, QString(), QProcessEnvironment::systemEnvironment(), true);
    const ChildProcess::ToolRun run = p.wait(timeoutMs);
    if (output)
        *output = QString::fromLocal8Bit(run.out).trimmed() + (run.started && run.exitCode != -1 ? QString() : run.err);
    return run.exitCode == 0;
}

DemoSandbox::Result DemoSandbox::prepare(const Progress &progress)
{
    Result result;
    result.projectDir = projectDir();
    const QString source = fixtureSource();
    if (source.isEmpty())
        return {{}, QStringLiteral("The demo project is not installed (no tests/fixtures/hanna).")};
    if (!QFileInfo::exists(kPgBin + QStringLiteral("/initdb")))
        return {{}, QStringLiteral("PostgreSQL 15 is not installed (%1/initdb). On Debian: "
                                   "sudo apt-get install postgresql-15").arg(kPgBin)};

    QDir().mkpath(m_base);
    QDir().mkpath(m_cluster);
    const QString data = m_cluster + QStringLiteral("/data");
    const QString pwFile = m_cluster + QStringLiteral("/password");
    QString output;

    if (m_asPostgresUser) {
        const passwd *pg = ::getpwnam("postgres");
        if (!pg)
            return {{}, QStringLiteral("There is no postgres user to run the demo server as root.")};
        if (::chown(QFile::encodeName(m_cluster).constData(), pg->pw_uid, pg->pw_gid) != 0)
            return {{}, QStringLiteral("Cannot hand %1 to the postgres user.").arg(m_cluster)};
    }

    QString password = readFile(pwFile);
    if (!QFileInfo::exists(data + QStringLiteral("/PG_VERSION"))) {
        progress(QStringLiteral("Creating a private PostgreSQL cluster in %1 …").arg(m_cluster));
        password = QString::number(QRandomGenerator::global()->generate64(), 36);
        if (!writeFile(pwFile, password.toUtf8(), QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return {{}, QStringLiteral("Cannot write %1.").arg(pwFile)};
        if (m_asPostgresUser) {
            const passwd *pg = ::getpwnam("postgres");
            if (::chown(QFile::encodeName(pwFile).constData(), pg->pw_uid, pg->pw_gid) != 0)
                return {{}, QStringLiteral("Cannot hand %1 to the postgres user.").arg(pwFile)};
        }
        if (!runPg(QStringLiteral("initdb"), {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("postgres"),
                                              QStringLiteral("--pwfile=") + pwFile,
                                              QStringLiteral("--auth=scram-sha-256"), QStringLiteral("-E"),
                                              QStringLiteral("UTF8")},
                   &output, 120000))
            return {{}, QStringLiteral("initdb failed: %1").arg(output.right(600))};
    }

    // A new free port at every start: the last one may be taken by now.
    const int port = freePort();
    progress(QStringLiteral("Starting the demo PostgreSQL on 127.0.0.1:%1 …").arg(port));
    runPg(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), data, QStringLiteral("-m"), QStringLiteral("fast"),
                                     QStringLiteral("stop")}, nullptr);
    if (!runPg(QStringLiteral("pg_ctl"),
               {QStringLiteral("-D"), data, QStringLiteral("-w"), QStringLiteral("-l"), m_cluster + QStringLiteral("/server.log"),
                QStringLiteral("-o"),
                QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1").arg(port).arg(m_cluster),
                QStringLiteral("start")},
               &output))
        return {{}, QStringLiteral("The demo server did not start: %1 (log: %2/server.log)")
                        .arg(output.right(400), m_cluster)};

    // A fresh copy of the project gets a fresh database: the old one may hold what the user did
    // to the previous copy (regenerated migrations, deleted rows), which the new files do not know.
    // A copy is only reused once a start finished it (the ready mark): a start that was killed
    // or failed half-way is done again, not taken for a demo.
    const QString readyMark = projectDir() + QStringLiteral("/.migrationdesk-demo-ready");
    const bool freshCopy = !QFileInfo::exists(readyMark);
    if (freshCopy) {
        progress(QStringLiteral("Copying the Hanna-shaped demo project to %1 …").arg(projectDir()));
        const QString partial = projectDir() + QStringLiteral(".partial");
        QDir(partial).removeRecursively();
        QDir(projectDir()).removeRecursively();
        if (!copyTree(source, partial) || !QDir().rename(partial, projectDir()))
            return {{}, QStringLiteral("Cannot copy the demo project to %1.").arg(projectDir())};
    }

    bool newDatabase = false;
    DbSettings admin;
    admin.port = port;
    admin.password = password;
    {
        DatabaseConnection connection(admin, QStringLiteral("demo"));
        if (!connection.open())
            return {{}, connection.error()};
        if (freshCopy) {
            QSqlQuery drop(connection.database());
            if (!drop.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(kDbName)))
                return {{}, QStringLiteral("Cannot drop the previous demo database: %1").arg(drop.lastError().text())};
        }
        QSqlQuery query(connection.database());
        query.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
        query.addBindValue(kDbName);
        if (query.exec() && !query.next()) {
            progress(QStringLiteral("Creating database %1 …").arg(kDbName));
            QSqlQuery create(connection.database());
            if (!create.exec(QStringLiteral("CREATE DATABASE %1").arg(kDbName)))
                return {{}, QStringLiteral("Cannot create the demo database.")};
            newDatabase = true;
        }
    }

    // The .env points the project at the demo server; compose publishes ${DB_HOST_PORT:-5432}.
    const QByteArray env = QStringLiteral("# Written by migrationdesk --demo: the private demo server.\n"
                                          "DB_NAME=%1\nDB_USER=postgres\nDB_PASSWORD=%2\nDB_HOST=127.0.0.1\n"
                                          "DB_PORT=%3\nDB_HOST_PORT=%3\nDEBUG=True\nSECRET_KEY=demo-only-not-secret\n")
                               .arg(kDbName, password)
                               .arg(port)
                               .toUtf8();
    if (!writeFile(projectDir() + QStringLiteral("/.env"), env, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return {{}, QStringLiteral("Cannot write the demo project's .env.")};

    // A reused demo stays as the user left it (broken on purpose, maybe): only a new database is
    // migrated, which also makes a second start take seconds.
    if (!newDatabase) {
        progress(QStringLiteral("Demo ready: %1").arg(projectDir()));
        return result;
    }
    progress(QStringLiteral("Applying the demo migrations with manage.py migrate …"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DB_NAME"), kDbName);
    environment.insert(QStringLiteral("DB_USER"), QStringLiteral("postgres"));
    environment.insert(QStringLiteral("DB_PASSWORD"), password);
    environment.insert(QStringLiteral("DB_HOST"), QStringLiteral("127.0.0.1"));
    environment.insert(QStringLiteral("DB_PORT"), QString::number(port));
    environment.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    ChildProcess::ToolProcess migrate;
    migrate.start(djangoPython(), {QStringLiteral("manage.py"), QStringLiteral("migrate"), QStringLiteral("--noinput")},
                  projectDir() + QStringLiteral("/whatsappcrm_backend"), environment, true);
    const ChildProcess::ToolRun migrated = migrate.wait(180000);
    if (migrated.exitCode != 0)
        return {{}, QStringLiteral("manage.py migrate failed in the demo project:\n%1")
                        .arg(SecretMasker({password}).apply((QString::fromLocal8Bit(migrated.out) + migrated.err).right(1500)))};
    // The demo runs without Docker: open it with the Local target and Debian's Django.
    ProjectOverrides overrides = ProjectSettingsStore::load(projectDir());
    overrides.target = QStringLiteral("local");
    overrides.python = djangoPython();
    ProjectSettingsStore::save(projectDir(), overrides);
    if (!writeFile(readyMark, QByteArrayLiteral("migrated\n"), QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return {{}, QStringLiteral("Cannot write %1.").arg(readyMark)};
    progress(QStringLiteral("Demo ready: %1").arg(projectDir()));
    return result;
}

void DemoSandbox::stop()
{
    if (!QFileInfo::exists(m_cluster + QStringLiteral("/data/postmaster.pid")))
        return;
    runPg(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_cluster + QStringLiteral("/data"), QStringLiteral("-m"),
                                     QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")},
          nullptr, 30000);
}

bool DemoSandbox::reset(QString *error)
{
    stop();
    for (const QString &dir : {projectDir(), m_cluster}) {
        if (QFileInfo::exists(dir) && !QDir(dir).removeRecursively()) {
            if (error)
                *error = QStringLiteral("Cannot remove %1.").arg(dir);
            return false;
        }
    }
    return true;
}
