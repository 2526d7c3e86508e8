#pragma once

#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

// What a table is, as far as a migration decides it: read from pg_catalog so two databases (the
// user's and a scratch one Django just migrated) can be compared item by item.
struct ColumnShape
{
    QString type;        // format_type(): "character varying(32)", "integer", "timestamp with time zone"
    bool notNull = false;
    QString defaultExpr; // pg_get_expr() of the default, empty when none
};

struct TableShape
{
    QStringList columnOrder;            // by attnum
    QMap<QString, ColumnShape> columns; // by name
    // Primary key, unique, foreign key and check constraints: definition (pg_get_constraintdef,
    // prefixed by its type letter) → name. Compared by definition: names may differ, meaning not.
    QMap<QString, QString> constraints;
    // Indexes not backing a constraint: definition without name and schema → CREATE INDEX statement
    // without schema.
    QMap<QString, QString> indexes;
};

struct SchemaShape
{
    QMap<QString, TableShape> tables; // tables of current_schema() by name

    bool hasTable(const QString &name) const { return tables.contains(name); }

    // One catalog query for the named tables (all of current_schema() when tables is empty).
    // Returns false with error set when the query fails.
    static bool read(const QSqlDatabase &db, const QStringList &tables, SchemaShape *shape, QString *error);
};
