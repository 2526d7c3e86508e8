#pragma once

#include "project/projectconfig.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <QString>

class QThread;

// A QPSQL connection owned by the thread that opened it. Qt 6.4 does not stop a query on a
// connection from another thread, so each connection is named after its thread and a
// purpose, and removed when this object goes away.
class DatabaseConnection
{
public:
    explicit DatabaseConnection(const DbSettings &settings, const QString &purpose = QStringLiteral("main"));
    ~DatabaseConnection();
    DatabaseConnection(const DatabaseConnection &) = delete;
    DatabaseConnection &operator=(const DatabaseConnection &) = delete;

    // Connects (timeout 5 s). On failure, error() says what went wrong and what to do.
    bool open();
    QSqlDatabase database() const;
    QString error() const { return m_error; }
    QString describe() const; // user@host:port/name, never the password

    static constexpr int connectTimeoutSeconds = 5;
    // Adds (does not open) a QPSQL connection named name for settings, connect timeout capped
    // at connectTimeoutSeconds: the one place a connection's options are set.
    static QSqlDatabase addConfigured(const QString &name, const DbSettings &settings,
                                      int timeoutSeconds = connectTimeoutSeconds,
                                      const QString &applicationName = QStringLiteral("MigrationDesk"));
    // Runs sql with values bound to its placeholders (prepared), or as it is when there are none:
    // PostgreSQL cannot PREPARE DDL such as ALTER TABLE.
    static bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values);
    static QString explainError(const QString &driverText, const DbSettings &settings);
    // For a rejected password: " The password came from <settings.passwordSource>." Else empty.
    static QString passwordHint(const QString &driverText, const DbSettings &settings);

private:
    DbSettings m_settings;
    QString m_name;
    QString m_error;
    QThread *m_thread = nullptr;
};
