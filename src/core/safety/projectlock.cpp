#include "safety/projectlock.h"

#include "db/databaseconnection.h"
#include "engine/operationlog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

#include <atomic>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace {

QString canonicalRoot(const QString &root)
{
    const QString canonical = QFileInfo(root).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(QFileInfo(root).absoluteFilePath()) : canonical;
}

QByteArray identity(const ProjectConfig &config)
{
    return (canonicalRoot(config.root) + QLatin1Char('\n') + config.db.host + QLatin1Char(':')
            + QString::number(config.db.port) + QLatin1Char('/') + config.db.name)
        .toUtf8();
}

} // namespace

ProjectLock::~ProjectLock()
{
    release();
}

qint64 ProjectLock::advisoryKey(const ProjectConfig &config)
{
    // The database is what two instances must not share, whichever folder they opened; host and
    // port are left out: the server is the namespace already.
    const QByteArray id = (QStringLiteral("migrationdesk database\n") + config.db.name).toUtf8();
    const QByteArray hash = QCryptographicHash::hash(id, QCryptographicHash::Sha1);
    return qFromBigEndian<qint64>(hash.constData());
}

QString ProjectLock::lockDatabase()
{
    // Not the project's database: reset-database drops it WITH (FORCE), which would end the lock's
    // session and free the lock half-way through the plan. Not template1 either: a session there
    // makes every CREATE DATABASE fail. No plan drops "postgres".
    return QStringLiteral("postgres");
}

QString ProjectLock::lockFilePath(const ProjectConfig &config)
{
    const QString dir = QFileInfo(OperationLog::pathForProject(config.root)).absolutePath();
    const QByteArray db = QCryptographicHash::hash(identity(config), QCryptographicHash::Sha1).toHex().left(12);
    return dir + QStringLiteral("/instance-") + QString::fromLatin1(db) + QStringLiteral(".lock");
}

ProjectLock::Result ProjectLock::acquire(const ProjectConfig &config)
{
    release();
    m_error.clear();
    m_warning.clear();
    const QString path = lockFilePath(config);
    QDir().mkpath(QFileInfo(path).absolutePath());
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        m_error = QStringLiteral("cannot create the lock file %1").arg(path);
        return Result::Failed;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        QFile file(path);
        QString holder;
        if (file.open(QIODevice::ReadOnly))
            holder = QString::fromUtf8(file.readAll()).trimmed();
        ::close(fd);
        m_error = QStringLiteral("Another MigrationDesk (pid %1) is working on this project and database. "
                                 "Close it first.").arg(holder.isEmpty() ? QStringLiteral("?") : holder);
        return Result::Refused;
    }
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0)
        (void)::write(fd, pid.constData(), size_t(pid.size()));
    m_fd = fd;

    static std::atomic_int counter{0};
    const QString name = QStringLiteral("migrationdesk-lock-%1-%2").arg(QString::number(::getpid())).arg(++counter);
    bool opened = false;
    bool locked = false;
    QString dbError;
    {
        DbSettings lockDb = config.db;
        lockDb.name = lockDatabase();
        QSqlDatabase db = DatabaseConnection::addConfigured(name, lockDb, DatabaseConnection::connectTimeoutSeconds,
                                                            QStringLiteral("migrationdesk-lock"));
        opened = db.open();
        if (!opened) {
            dbError = db.lastError().databaseText().trimmed();
            dbError += DatabaseConnection::passwordHint(dbError, config.db);
        } else {
            {
                QSqlQuery query(db);
                query.prepare(QStringLiteral("SELECT pg_try_advisory_lock(?)"));
                query.addBindValue(advisoryKey(config));
                if (query.exec() && query.next())
                    locked = query.value(0).toBool();
                else
                    dbError = query.lastError().databaseText().trimmed();
            }
            if (!locked)
                db.close();
        }
    }
    if (opened && locked) {
        m_connection = name;
        return Result::Acquired;
    }
    QSqlDatabase::removeDatabase(name);
    if (opened && dbError.isEmpty()) {
        release();
        m_error = QStringLiteral("Another MigrationDesk is working on database %1 of this project (it holds "
                                 "the database lock). Close it first.").arg(config.db.name);
        return Result::Refused;
    }
    m_warning = QStringLiteral("The database lock could not be taken (%1): only this machine's lock file "
                               "guards the project.").arg(dbError);
    return Result::AcquiredFileOnly;
}

void ProjectLock::release()
{
    if (!m_connection.isEmpty()) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close(); // ends the session, which frees the advisory lock
        }
        QSqlDatabase::removeDatabase(m_connection);
        m_connection.clear();
    }
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
        m_fd = -1;
    }
}
