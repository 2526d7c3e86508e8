#pragma once

#include "db/migrationrecord.h"

#include <QSqlDatabase>
#include <QString>

// The django_migrations table: reads with prepared statements, writes in transactions.
// Works on a connection opened by the calling thread (see DatabaseConnection).
class MigrationRecordStore
{
public:
    explicit MigrationRecordStore(QSqlDatabase db) : m_db(std::move(db)) {}

    // False with an empty error when the table does not exist yet ("no history yet").
    bool historyTableExists(QString *error = nullptr) const;

    // Every row, ordered by app and name (byte order). Returns false and sets error on failure.
    bool readAll(QList<MigrationRecord> *records, QString *error) const;
    static QString readAllSql(); // the SELECT readAll runs (benchmarks compare psql on it)

    // The guide's history: SELECT app, name, applied FROM django_migrations ORDER BY applied.
    static QString historySql();

private:
    QSqlDatabase m_db;
};
