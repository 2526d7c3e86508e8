#pragma once

#include "db/migrationrecord.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>

// The django_migrations table: reads with prepared statements, writes in transactions.
// Works on a connection opened by the calling thread (see DatabaseConnection).
class MigrationRecordStore
{
public:
    explicit MigrationRecordStore(QSqlDatabase db) : m_db(std::move(db)) {}

    // False with an empty error when the table does not exist yet ("no history yet").
    bool historyTableExists(QString *error = nullptr) const;

    // A read-only REPEATABLE READ transaction: the reads until endSnapshot() see one table.
    bool beginSnapshot(QString *error) const;
    void endSnapshot() const;

    // Every row, ordered by app and name (byte order). Returns false and sets error on failure.
    bool readAll(QList<MigrationRecord> *records, QString *error) const;
    static QString readAllSql(); // the SELECT readAll runs (benchmarks compare psql on it)
    // The same rows in the same order, handed over one at a time as they arrive (single-row
    // mode: nothing of the table is kept); visit returns false to stop. A failure after some
    // rows (the connection dropped) is a failure too: the caller decides what its output means.
    bool forEach(const std::function<bool(const MigrationRecord &)> &visit, QString *error) const;
    // The rows whose (app, name) is in keys ("app.name"; split at the first dot, as Django's app
    // labels have none) plus every row of the apps in wholeApps, in readAll's order: one scan.
    bool readSome(const QStringList &keys, const QStringList &wholeApps, QList<MigrationRecord> *records,
                  QString *error) const;

    // Longest app and name (in characters) and the earliest and latest applied time: what a
    // table printed row by row needs before its first row. One aggregate scan.
    struct Extent
    {
        int appWidth = 0;
        int nameWidth = 0;
        QDateTime firstApplied;
        QDateTime lastApplied;
    };
    bool readExtent(Extent *extent, QString *error) const;

    // The guide's history: SELECT app, name, applied FROM django_migrations ORDER BY applied.
    static QString historySql();

private:
    QSqlDatabase m_db;
};
