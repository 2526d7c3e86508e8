#pragma once

#include <QString>
#include <QStringList>

#include <functional>

// `migrationdesk --demo`: a throwaway PostgreSQL cluster on a free port and a copy of the
// Hanna-shaped fixture project, migrated by real Django, in the user's cache folder. The cluster
// and the copy live and die together: a fresh copy gets a fresh database, and reset() removes both.
// Blocking (initdb, pg_ctl, manage.py migrate): run it off the GUI thread.
class DemoSandbox
{
public:
    struct Result
    {
        QString projectDir; // open this
        QString error;      // empty on success
        bool ok() const { return error.isEmpty(); }
    };
    using Progress = std::function<void(const QString &message)>;

    // base: where the sandbox lives (default ~/.cache/MigrationDesk/demo).
    explicit DemoSandbox(const QString &base = QString());

    QString baseDir() const { return m_base; }       // ~/.cache/MigrationDesk/demo
    QString clusterDir() const { return m_cluster; } // data, socket, log, password file
    QString projectDir() const;

    // Creates what is missing (cluster, database, project copy, migrations) and starts the
    // server. Safe to call again: an existing sandbox is reused.
    Result prepare(const Progress &progress);
    // Stops the demo server (the sandbox stays for the next --demo).
    void stop();
    // Stops the server and removes the cluster and the project copy (`--demo --reset`).
    bool reset(QString *error = nullptr);

    // The folder holding the fixture project: installed data dir or the source tree.
    static QString fixtureSource();
    // A Python with Django: Debian's /usr/bin/python3 first.
    static QString djangoPython();

private:
    bool runPg(const QString &tool, const QStringList &args, QString *output, int timeoutMs = 60000);
    QString m_base;
    QString m_cluster;
    bool m_asPostgresUser = false; // root cannot run the server: run it as `postgres`
};
