#include "db/databaseconnection.h"

#include "console/secretmasker.h"
#include "db/pgclientlibrary.h"

#include <algorithm>

#include <QAtomicInteger>
#include <QRegularExpression>
#include <QSqlError>
#include <QThread>

namespace {
QAtomicInteger<quint64> s_connectionSerial;
}

DatabaseConnection::DatabaseConnection(const DbSettings &settings, const QString &purpose)
    : m_settings(settings), m_thread(QThread::currentThread())
{
    m_name = QStringLiteral("migrationdesk-%1-%2-%3")
                 .arg(purpose)
                 .arg(quintptr(QThread::currentThreadId()))
                 .arg(s_connectionSerial.fetchAndAddRelaxed(1));
}

DatabaseConnection::~DatabaseConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isValid())
            db.close();
    }
    if (QSqlDatabase::contains(m_name))
        QSqlDatabase::removeDatabase(m_name);
}

QString DatabaseConnection::describe() const
{
    return QStringLiteral("%1@%2:%3/%4").arg(m_settings.user, m_settings.host).arg(m_settings.port).arg(m_settings.name);
}

bool DatabaseConnection::open()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        m_error = QStringLiteral("The Qt PostgreSQL driver (QPSQL) is not installed. On Debian: "
                                 "sudo apt-get install libqt6sql6-psql");
        return false;
    }
    QSqlDatabase db = addConfigured(m_name, m_settings);
    if (!db.open()) {
        m_error = explainError(db.lastError().text(), m_settings);
        return false;
    }
    return true;
}

QSqlDatabase DatabaseConnection::addConfigured(const QString &name, const DbSettings &settings, int timeoutSeconds,
                                               const QString &applicationName)
{
    PgClientLibrary::prepare();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(settings.host);
    db.setPort(settings.port);
    db.setDatabaseName(settings.name);
    db.setUserName(settings.user);
    db.setPassword(settings.password);
    // QPSQL hands the options to libpq as "key=value" words: a name with a space or ';' would add
    // options of its own.
    Q_ASSERT(QRegularExpression(QStringLiteral("^[A-Za-z0-9_.-]+$")).match(applicationName).hasMatch());
    db.setConnectOptions(QStringLiteral("connect_timeout=%1;application_name=%2")
                             .arg(std::clamp(timeoutSeconds, 1, connectTimeoutSeconds))
                             .arg(applicationName));
    return db;
}

QSqlDatabase DatabaseConnection::database() const
{
    Q_ASSERT_X(QThread::currentThread() == m_thread, "DatabaseConnection",
               "used from a thread that did not open it");
    return QSqlDatabase::database(m_name, false);
}

// libpq's messages are precise but terse; say what it means and what to do next.
QString DatabaseConnection::explainError(const QString &driverText, const DbSettings &settings)
{
    const QString where = QStringLiteral("%1:%2").arg(settings.host).arg(settings.port);
    const QString text = SecretMasker({settings.password}).apply(driverText).trimmed();
    const QString lower = text.toLower();
    QString advice;
    if (lower.contains(QLatin1String("password authentication failed"))
        || lower.contains(QLatin1String("no password supplied")))
        advice = QStringLiteral("Wrong user or password for %1 on %2. Check DB_USER and DB_PASSWORD in .env.")
                     .arg(settings.user, where) + passwordHint(driverText, settings);
    else if (lower.contains(QLatin1String("does not exist")) && lower.contains(QLatin1String("database")))
        advice = QStringLiteral("The database \"%1\" does not exist on %2. Check DB_NAME in .env, or create "
                                "the database (docker compose up creates it on first start).")
                     .arg(settings.name, where);
    else if (lower.contains(QLatin1String("connection refused")) || lower.contains(QLatin1String("timeout"))
             || lower.contains(QLatin1String("could not connect")) || lower.contains(QLatin1String("timed out")))
        advice = QStringLiteral("Cannot reach PostgreSQL on %1. Is the database running "
                                "(docker compose up -d %2) and is the port published?")
                     .arg(where, QStringLiteral("db"));
    else
        advice = QStringLiteral("Cannot connect to PostgreSQL on %1.").arg(where);
    return text.isEmpty() ? advice : QStringLiteral("%1\n(%2)").arg(advice, text);
}

QString DatabaseConnection::passwordHint(const QString &driverText, const DbSettings &settings)
{
    const QString lower = driverText.toLower();
    if (settings.passwordSource.isEmpty()
        || (!lower.contains(QLatin1String("password authentication failed"))
            && !lower.contains(QLatin1String("no password supplied"))))
        return QString();
    return QStringLiteral(" The password came from %1.").arg(settings.passwordSource);
}

bool DatabaseConnection::exec(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    if (values.isEmpty())
        return query.exec(sql);
    if (!query.prepare(sql))
        return false;
    for (const QVariant &v : values)
        query.addBindValue(v);
    return query.exec();
}
