#include "doctor/schemacatalog.h"

#include <QSqlError>
#include <QSqlQuery>

SchemaCatalog SchemaCatalog::read(const QSqlDatabase &db, QString *error)
{
    SchemaCatalog catalog;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // Ordinary and partitioned tables (and views Django may map models to) in the schemas
    // Django itself would create them in: the search path.
    const QString sql = QStringLiteral(
        "SELECT c.relname, a.attname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY (current_schemas(false))");
    if (!query.exec(sql)) {
        if (error)
            *error = query.lastError().text();
        return catalog;
    }
    while (query.next()) {
        const QString table = query.value(0).toString();
        catalog.tables.insert(table);
        if (!query.isNull(1))
            catalog.columns.insert(table + QLatin1Char('.') + query.value(1).toString());
    }
    catalog.available = true;
    return catalog;
}
