#include "schema/scratchdatabase.h"

#include "db/databaseconnection.h"
#include "schema/schemacomparison.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

#include <atomic>
#include <cerrno>
#include <csignal>

namespace {

const QRegularExpression &scratchPattern()
{
    static const QRegularExpression re(QStringLiteral("_md(check|rehearse)_([0-9]+)(_[0-9]+)?$"));
    return re;
}

QString commentFor(qint64 pid)
{
    QString host = QSysInfo::machineHostName();
    host.replace(QLatin1Char('\''), QStringLiteral("''")); // it goes into a string literal
    return QStringLiteral("migrationdesk scratch; host %1; pid %2").arg(host).arg(pid);
}

bool processAlive(qint64 pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// Runs statements outside a transaction (CREATE / DROP DATABASE refuse one) on the server.
bool execOnServer(const DbSettings &server, const QStringList &statements, QString *error)
{
    DatabaseConnection connection(server, QStringLiteral("scratch"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return false;
    }
    for (const QString &sql : statements) {
        QSqlQuery query(connection.database());
        if (!query.exec(sql)) {
            if (error)
                *error = query.lastError().databaseText().isEmpty() ? query.lastError().text()
                                                                      : query.lastError().databaseText();
            return false;
        }
    }
    return true;
}

std::atomic<int> g_sequence{0};

} // namespace

ScratchDatabase::~ScratchDatabase()
{
    drop();
}

QString ScratchDatabase::nameFor(const QString &database, const QString &purpose, qint64 pid)
{
    QString base = database.toLower();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
    const QString tail = QStringLiteral("_md%1_%2").arg(purpose).arg(pid);
    return base.left(63 - tail.size() - 3) + tail;
}

QString ScratchDatabase::namePattern(const QString &database, const QString &purpose)
{
    QString name = nameFor(database, purpose, 0);
    name.chop(1);
    return name + QStringLiteral("<pid>");
}

DbSettings ScratchDatabase::settings() const
{
    DbSettings s = m_server;
    s.name = m_name;
    return s;
}

bool ScratchDatabase::create(const DbSettings &server, const QString &purpose, QString *error)
{
    drop();
    m_server = server;
    const qint64 pid = QCoreApplication::applicationPid();
    QString name = nameFor(server.name, purpose, pid);
    // Two scratch databases of one process at once (a check inside a rehearsal) get a suffix.
    if (const int n = g_sequence.fetch_add(1); n > 0)
        name += QStringLiteral("_%1").arg(n);
    QString why;
    if (!execOnServer(server, {QStringLiteral("CREATE DATABASE %1").arg(SchemaComparison::quoteIdentifier(name)),
                               QStringLiteral("COMMENT ON DATABASE %1 IS '%2'").arg(SchemaComparison::quoteIdentifier(name), commentFor(pid))},
                      &why)) {
        if (error)
            *error = QStringLiteral("Could not create the scratch database %1 on %2:%3: %4%5")
                         .arg(name, server.host)
                         .arg(server.port)
                         .arg(why, why.contains(QLatin1String("permission")) ? QStringLiteral(" (the check needs the CREATEDB privilege)") : QString());
        // A database made before the comment failed is still ours.
        m_name = name;
        drop();
        return false;
    }
    m_name = name;
    return true;
}

bool ScratchDatabase::drop(QString *error)
{
    if (m_name.isEmpty())
        return true;
    // WITH (FORCE) ends sessions a killed migrate may have left (PostgreSQL 13+).
    const bool ok = execOnServer(m_server, {QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(SchemaComparison::quoteIdentifier(m_name))},
                                 error);
    if (ok)
        m_name.clear();
    return ok;
}

QStringList ScratchDatabase::list(const DbSettings &server, QString *error)
{
    DatabaseConnection connection(server, QStringLiteral("scratch-list"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return {};
    }
    QSqlQuery query(connection.database());
    QStringList names;
    if (!query.exec(QStringLiteral("SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
                                   "WHERE datname ~ '_md(check|rehearse)_[0-9]+(_[0-9]+)?$' ORDER BY 1"))) {
        if (error)
            *error = query.lastError().text();
        return {};
    }
    while (query.next()) {
        if (query.value(1).toString().startsWith(QLatin1String("migrationdesk scratch")))
            names << query.value(0).toString();
    }
    return names;
}

QStringList ScratchDatabase::sweep(const DbSettings &server, QString *error)
{
    QStringList dropped;
    DatabaseConnection connection(server, QStringLiteral("scratch-sweep"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return dropped;
    }
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
                                   "WHERE datname ~ '_md(check|rehearse)_[0-9]+(_[0-9]+)?$'"))) {
        if (error)
            *error = query.lastError().text();
        return dropped;
    }
    const QString host = QStringLiteral("host %1;").arg(QSysInfo::machineHostName());
    QStringList gone;
    while (query.next()) {
        const QString name = query.value(0).toString();
        const QString comment = query.value(1).toString();
        // Only our own kind, and only this machine's: another host's pid means nothing here.
        if (!comment.startsWith(QLatin1String("migrationdesk scratch")) || !comment.contains(host))
            continue;
        const qint64 pid = scratchPattern().match(name).captured(2).toLongLong();
        if (pid > 0 && !processAlive(pid))
            gone << name;
    }
    for (const QString &name : std::as_const(gone)) {
        QString why;
        if (execOnServer(server, {QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(SchemaComparison::quoteIdentifier(name))}, &why))
            dropped << name;
        else if (error)
            *error = why;
    }
    return dropped;
}
