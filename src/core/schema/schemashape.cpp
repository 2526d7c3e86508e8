#include "schema/schemashape.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

// One pass over the catalog: kind 'c' columns, 'k' constraints, 'i' indexes of the tables.
constexpr const char *kShapeQuery = R"SQL(
WITH t AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
      AND (? = '' OR c.relname = ANY (string_to_array(?, chr(31))))
)
SELECT 'c' AS kind, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END,
       a.attnotnull::text, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attnum
FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = t.oid AND d.adnum = a.attnum
UNION ALL
SELECT 'k', t.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid), '', 0
FROM t JOIN pg_constraint con ON con.conrelid = t.oid
UNION ALL
SELECT 'i', t.relname, i.relname, '', pg_get_indexdef(i.oid), '', 0
FROM t JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = t.oid)
ORDER BY 1, 2, 7, 3
)SQL";

// "CREATE INDEX name ON public.table USING …" → ("CREATE INDEX ON table USING …", "CREATE INDEX name ON table USING …")
QPair<QString, QString> normaliseIndex(const QString &definition)
{
    static const QRegularExpression head(QStringLiteral("^(CREATE (?:UNIQUE )?INDEX) (\\S+) ON (?:ONLY )?(?:\\S+\\.)?"));
    const QRegularExpressionMatch m = head.match(definition);
    if (!m.hasMatch())
        return {definition, definition};
    const QString rest = definition.mid(m.capturedEnd());
    return {m.captured(1) + QStringLiteral(" ON ") + rest,
            m.captured(1) + QLatin1Char(' ') + m.captured(2) + QStringLiteral(" ON ") + rest};
}

} // namespace

bool SchemaShape::read(const QSqlDatabase &db, const QStringList &tables, SchemaShape *shape, QString *error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(QString::fromLatin1(kShapeQuery))) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    const QString names = tables.join(QChar(31));
    query.addBindValue(names);
    query.addBindValue(names);
    if (!query.exec()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    shape->tables.clear();
    while (query.next()) {
        const QString kind = query.value(0).toString();
        TableShape &table = shape->tables[query.value(1).toString()];
        const QString name = query.value(2).toString();
        if (kind == QLatin1String("c")) {
            table.columnOrder << name;
            table.columns.insert(name, {query.value(3).toString(), query.value(4).toString() == QLatin1String("true"),
                                        query.value(5).toString()});
        } else if (kind == QLatin1String("k")) {
            table.constraints.insert(query.value(3).toString() + QLatin1Char(' ') + query.value(4).toString(), name);
        } else {
            const auto [key, statement] = normaliseIndex(query.value(4).toString());
            table.indexes.insert(key, statement);
        }
    }
    return true;
}
