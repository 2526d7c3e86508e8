#pragma once

#include <QHash>
#include <QList>
#include <QString>

// The per-migration operations a menu offers, the same in the status table's context menu and
// the graph's node menu: each is an operation with its options (migrate up to it, unapply the
// app, fake it, show its SQL), run the way every operation is (previewed, confirmed).
namespace MigrationActions {

struct Request
{
    QString text; // the menu item, "Migrate flows Up To This Migration…"
    QString operation; // "migrate", "sqlmigrate"
    QHash<QString, QString> values;
};

// For the migration app.name (one with a file: Django can run it).
QList<Request> requests(const QString &app, const QString &name);

} // namespace MigrationActions
