#pragma once

#include "scan/migrationfile.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// What the doctor needs from a migration module, read from its text (no Python runs):
// whether it is an initial migration, the squash's `replaces`, and the schema it creates.
// Table names follow Django's default `<app_label>_<model lower case>` unless the migration
// sets `db_table`; columns are the field name, `<name>_id` for ForeignKey/OneToOneField, or
// `db_column`. Many-to-many fields and names Django would truncate (> 63 chars) are not
// tracked: effects are then incomplete, never wrong about what they list.
struct MigrationSource
{
    QString app;
    QString name;
    bool initial = false;
    QStringList replaces;                  // "app.name" keys
    QStringList dependencies;              // "app.name" keys (informational)
    QStringList createdTables;             // CreateModel
    QList<QPair<QString, QString>> addedColumns; // AddField: (table, column)
    QStringList otherOperations;           // operation names with no tracked effect

    QString key() const { return app + QLatin1Char('.') + name; }
    bool hasSchemaEffects() const { return !createdTables.isEmpty() || !addedColumns.isEmpty(); }
};

class MigrationSourceReader
{
public:
    // Parses module text. tableOfModel maps "app.model" (lower case) to a db_table set by an
    // earlier CreateModel; it is updated with the tables this migration creates.
    static MigrationSource parse(const QString &app, const QString &name, const QString &text,
                                 QHash<QString, QString> *tableOfModel = nullptr);
    static MigrationSource read(const QString &app, const QString &name, const QString &path,
                                QHash<QString, QString> *tableOfModel = nullptr);
    // Every file of a scan, in its order (app, then name: an earlier db_table is known to the
    // migrations after it), paths relative to projectRoot.
    static QList<MigrationSource> readScan(const QString &projectRoot, const MigrationFileScan &scan);
};
