#include "schema/schemacomparison.h"

#include <QRegularExpression>

QString SchemaDifference::text() const
{
    const QString where = column.isEmpty() ? table : table + QLatin1Char('.') + column;
    switch (kind) {
    case Kind::MissingTable:
        return QStringLiteral("%1: table missing").arg(table);
    case Kind::MissingColumn:
        return QStringLiteral("%1: missing (%2 in the migration)").arg(where, expected);
    case Kind::ColumnType:
        return QStringLiteral("%1: %2 in the database, %3 in the migration").arg(where, live, expected);
    case Kind::Nullability:
        return QStringLiteral("%1: %2 in the database, %3 in the migration").arg(where, live, expected);
    case Kind::ColumnDefault:
        return QStringLiteral("%1: default %2 in the database, %3 in the migration")
            .arg(where, live.isEmpty() ? QStringLiteral("none") : live, expected.isEmpty() ? QStringLiteral("none") : expected);
    case Kind::MissingConstraint:
        return QStringLiteral("%1: constraint missing: %2").arg(table, expected);
    case Kind::MissingIndex:
        return QStringLiteral("%1: index missing: %2").arg(table, expected);
    case Kind::ExtraColumn:
        return QStringLiteral("%1: only in the database (%2), kept").arg(where, live);
    }
    return where;
}

namespace {

QString nullability(bool notNull)
{
    return notNull ? QStringLiteral("NOT NULL") : QStringLiteral("NULL allowed");
}

// The value existing rows get when a NOT NULL column is added that neither the catalog nor
// Django gives a default: the type's zero.
QString zeroValue(const QString &type)
{
    static const QRegularExpression numeric(QStringLiteral("^(integer|bigint|smallint|numeric|real|double precision|decimal)"));
    if (numeric.match(type).hasMatch())
        return QStringLiteral("0");
    if (type == QLatin1String("boolean"))
        return QStringLiteral("false");
    if (type.startsWith(QLatin1String("character")) || type == QLatin1String("text"))
        return QStringLiteral("''");
    if (type.startsWith(QLatin1String("timestamp")))
        return QStringLiteral("now()");
    if (type == QLatin1String("date"))
        return QStringLiteral("CURRENT_DATE");
    if (type == QLatin1String("jsonb") || type == QLatin1String("json"))
        return QStringLiteral("'{}'");
    if (type == QLatin1String("uuid"))
        return QStringLiteral("gen_random_uuid()");
    return QString();
}

} // namespace

QString SchemaComparison::quoteIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QList<SchemaDifference> SchemaComparison::compare(const SchemaShape &live, const SchemaShape &expected,
                                                  const QStringList &tables)
{
    using Kind = SchemaDifference::Kind;
    QList<SchemaDifference> out;
    for (const QString &name : tables) {
        const auto want = expected.tables.constFind(name);
        if (want == expected.tables.cend())
            continue;
        const auto have = live.tables.constFind(name);
        if (have == live.tables.cend()) {
            out << SchemaDifference{Kind::MissingTable, name, {}, {}, {}};
            continue;
        }
        for (const QString &column : want->columnOrder) {
            const ColumnShape &w = want->columns[column];
            const auto h = have->columns.constFind(column);
            if (h == have->columns.cend()) {
                out << SchemaDifference{Kind::MissingColumn, name, column, {},
                                        w.type + (w.notNull ? QStringLiteral(" NOT NULL") : QString())};
                continue;
            }
            if (h->type != w.type)
                out << SchemaDifference{Kind::ColumnType, name, column, h->type, w.type};
            if (h->notNull != w.notNull)
                out << SchemaDifference{Kind::Nullability, name, column, nullability(h->notNull), nullability(w.notNull)};
            if (h->defaultExpr != w.defaultExpr)
                out << SchemaDifference{Kind::ColumnDefault, name, column, h->defaultExpr, w.defaultExpr};
        }
        for (const QString &column : have->columnOrder) {
            if (!want->columns.contains(column))
                out << SchemaDifference{Kind::ExtraColumn, name, column, have->columns[column].type, {}};
        }
        for (auto c = want->constraints.cbegin(); c != want->constraints.cend(); ++c) {
            if (!have->constraints.contains(c.key()))
                out << SchemaDifference{Kind::MissingConstraint, name, c.value(), {}, c.key().mid(2)};
        }
        for (auto i = want->indexes.cbegin(); i != want->indexes.cend(); ++i) {
            if (!have->indexes.contains(i.key()))
                out << SchemaDifference{Kind::MissingIndex, name, {}, {}, i.value()};
        }
    }
    return out;
}

QList<AlignmentStatement> SchemaComparison::alignment(const QList<SchemaDifference> &differences,
                                                      const SchemaShape &expected, QStringList *unresolved,
                                                      const QHash<QString, QString> &fieldDefaults)
{
    using Kind = SchemaDifference::Kind;
    QList<AlignmentStatement> out;
    // Columns first, then keys and indexes: a foreign key or index may be on a column added here.
    QList<AlignmentStatement> later;
    for (const SchemaDifference &d : differences) {
        const QString table = quoteIdentifier(d.table);
        const QString alter = QStringLiteral("ALTER TABLE %1 ").arg(table);
        const QString column = quoteIdentifier(d.column);
        const ColumnShape want = expected.tables.value(d.table).columns.value(d.column);
        switch (d.kind) {
        case Kind::MissingTable:
            if (unresolved)
                *unresolved << QStringLiteral("%1 is missing: it is not created by hand; let Django create it (no fake).").arg(d.table);
            break;
        case Kind::MissingColumn: {
            QString sql = alter + QStringLiteral("ADD COLUMN %1 %2").arg(column, want.type);
            QString reason = d.text();
            if (!want.defaultExpr.isEmpty()) {
                sql += QStringLiteral(" DEFAULT ") + want.defaultExpr;
            } else if (want.notNull) {
                const QString djangos = fieldDefaults.value(d.table + QLatin1Char('.') + d.column);
                const QString zero = djangos.isEmpty() ? zeroValue(want.type) : djangos;
                if (!djangos.isEmpty())
                    reason += QStringLiteral("; existing rows get %1, the field's default in its migrations, as Django "
                                             "gives them").arg(djangos);
                else if (!zero.isEmpty())
                    reason += QStringLiteral("; existing rows get %1: the field has no default in its migrations, so "
                                             "the type's zero").arg(zero);
                if (!zero.isEmpty())
                    sql += QStringLiteral(" DEFAULT ") + zero;
                sql += QStringLiteral(" NOT NULL");
                out << AlignmentStatement{sql, reason};
                if (!zero.isEmpty())
                    out << AlignmentStatement{alter + QStringLiteral("ALTER COLUMN %1 DROP DEFAULT").arg(column),
                                              QStringLiteral("Django keeps no database default")};
                break;
            }
            if (want.notNull)
                sql += QStringLiteral(" NOT NULL");
            out << AlignmentStatement{sql, reason};
            break;
        }
        case Kind::ColumnType:
            // No USING: PostgreSQL refuses a conversion that would lose data (a value too long)
            // instead of cutting it.
            out << AlignmentStatement{alter + QStringLiteral("ALTER COLUMN %1 TYPE %2").arg(column, d.expected), d.text()};
            break;
        case Kind::Nullability:
            out << AlignmentStatement{alter + QStringLiteral("ALTER COLUMN %1 %2").arg(column, want.notNull ? QStringLiteral("SET NOT NULL") : QStringLiteral("DROP NOT NULL")),
                                      d.text()};
            break;
        case Kind::ColumnDefault:
            out << AlignmentStatement{alter + (d.expected.isEmpty() ? QStringLiteral("ALTER COLUMN %1 DROP DEFAULT").arg(column)
                                                                     : QStringLiteral("ALTER COLUMN %1 SET DEFAULT %2").arg(column, d.expected)),
                                      d.text()};
            break;
        case Kind::MissingConstraint:
            later << AlignmentStatement{alter + QStringLiteral("ADD CONSTRAINT %1 %2").arg(quoteIdentifier(d.column), d.expected), d.text()};
            break;
        case Kind::MissingIndex:
            later << AlignmentStatement{d.expected, d.text()};
            break;
        case Kind::ExtraColumn:
            break;
        }
    }
    return out + later;
}
