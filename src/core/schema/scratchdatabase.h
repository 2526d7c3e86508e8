#pragma once

#include "project/projectconfig.h"

#include <QString>
#include <QStringList>

// A database of the user's server that exists only while a check or a rehearsal runs:
// `<db>_md<purpose>_<pid>`, created with CREATE DATABASE (never the user's database), commented
// with this host and pid, and dropped when this object goes: also when the run fails or stops.
// After a kill -9 nothing drops it, so sweep() at the next start finds such databases by name
// and comment and drops those whose process is gone.
class ScratchDatabase
{
public:
    ScratchDatabase() = default;
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    // purpose: "check" or "rehearse". server: the user's connection (its database is where
    // CREATE DATABASE is sent from).
    bool create(const DbSettings &server, const QString &purpose, QString *error);
    bool drop(QString *error = nullptr);

    QString name() const { return m_name; }
    // server with name() as its database.
    DbSettings settings() const;

    // "<db>_md<purpose>_<pid>", cut to PostgreSQL's 63 bytes, [a-z0-9_] only.
    static QString nameFor(const QString &database, const QString &purpose, qint64 pid);
    // The same with "<pid>" in place of the number, for previews.
    static QString namePattern(const QString &database, const QString &purpose);
    // Drops the scratch databases of this host whose process is gone; returns their names.
    static QStringList sweep(const DbSettings &server, QString *error = nullptr);
    // Scratch databases on the server (any host, any process), by name.
    static QStringList list(const DbSettings &server, QString *error = nullptr);

private:
    DbSettings m_server;
    QString m_name;
};
