#pragma once

#include "project/projectconfig.h"

#include <QString>

// One MigrationDesk (GUI or CLI) per project and database: a local lock file (flock) plus a
// session-level PostgreSQL advisory lock held on a dedicated connection to the maintenance
// database. Both belong to this
// process, so a killed instance frees both (the kernel drops the flock, the server ends the
// session when the socket closes). Acquire and release on the same thread (the connection's).
class ProjectLock
{
public:
    ProjectLock() = default;
    ~ProjectLock();
    ProjectLock(const ProjectLock &) = delete;
    ProjectLock &operator=(const ProjectLock &) = delete;

    enum class Result {
        Acquired,          // both locks held
        AcquiredFileOnly,  // database unreachable: only the lock file (warning() says so)
        Refused,           // another instance holds one of them (error() says which)
        Failed,            // the lock file could not be created
    };

    // Blocks up to the connect timeout (5 s): call it off the GUI thread.
    Result acquire(const ProjectConfig &config);
    void release();
    bool isHeld() const { return m_fd >= 0; }
    bool holdsDatabaseLock() const { return !m_connection.isEmpty(); }
    QString error() const { return m_error; }
    QString warning() const { return m_warning; }

    // The advisory lock key: 64 bits of SHA-1 over the project's database name. The lock is held
    // on a connection to lockDatabase() (advisory locks are per database, so every instance uses
    // the same one), never to the project's database, which a plan may drop.
    static qint64 advisoryKey(const ProjectConfig &config);
    static QString lockDatabase();
    static QString lockFilePath(const ProjectConfig &config);

private:
    int m_fd = -1;
    QString m_connection;
    QString m_error;
    QString m_warning;
};
