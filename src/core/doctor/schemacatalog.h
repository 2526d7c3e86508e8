#pragma once

#include <QSet>
#include <QSqlDatabase>
#include <QString>

// The tables and columns of the schemas on the connection's search path, read from the
// PostgreSQL catalogue: enough to tell whether a migration's CreateModel/AddField already ran.
struct SchemaCatalog
{
    bool available = false;
    QSet<QString> tables;
    QSet<QString> columns; // "table.column"

    bool hasTable(const QString &table) const { return tables.contains(table); }
    bool hasColumn(const QString &table, const QString &column) const
    {
        return columns.contains(table + QLatin1Char('.') + column);
    }

    static SchemaCatalog read(const QSqlDatabase &db, QString *error = nullptr);
};
