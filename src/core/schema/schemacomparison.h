#pragma once

#include "schema/schemashape.h"

#include <QList>
#include <QHash>
#include <QString>
#include <QStringList>

// One way a table in the user's database differs from the same table as Django's migrations
// create it on a scratch database.
struct SchemaDifference
{
    enum class Kind {
        MissingTable,      // the migration creates it, the database has none
        MissingColumn,
        ColumnType,
        Nullability,
        ColumnDefault,
        MissingConstraint, // primary key, unique, foreign key or check
        MissingIndex,
        ExtraColumn,       // only in the database: noted, never a reason to refuse, never dropped
    };
    Kind kind = Kind::MissingColumn;
    QString table;
    QString column;   // or the constraint's / index's definition
    QString live;     // what the database has
    QString expected; // what the migrations create

    // Whether a fake on top of it would record a schema the database does not have.
    bool blocking() const { return kind != Kind::ExtraColumn; }
    // "customer_data_profile.phone: character varying(20) in the database, character varying(32) in the migration"
    QString text() const;
};

// A statement that brings a live table to what the migrations create, and why.
struct AlignmentStatement
{
    QString sql;
    QString reason; // the difference it resolves, plus what it assumes ("existing rows get 0")
};

namespace SchemaComparison {
// Every difference of the live tables named in tables from the expected ones (a table missing
// from expected is skipped: the migrations do not create it).
QList<SchemaDifference> compare(const SchemaShape &live, const SchemaShape &expected, const QStringList &tables);

// The ALTER TABLE / CREATE INDEX statements that resolve the blocking differences, generated from
// the expected definitions. Never a DROP of a column, table or row. What cannot be resolved this
// way (a missing table) goes to unresolved, one sentence each. fieldDefaults ("table.column" →
// SQL literal): what Django gives existing rows of a NOT NULL column it adds (the schema check
// asks Django); a column without one gets its type's zero.
QList<AlignmentStatement> alignment(const QList<SchemaDifference> &differences, const SchemaShape &expected,
                                    QStringList *unresolved, const QHash<QString, QString> &fieldDefaults = {});

// "name" with embedded quotes doubled.
QString quoteIdentifier(const QString &name);
}
