#include "migrationactions.h"

#include <QCoreApplication>

namespace MigrationActions {

QList<Request> requests(const QString &app, const QString &name)
{
    auto tr = [](const char *text) { return QCoreApplication::translate("MigrationActions", text); };
    const QString appKey = QStringLiteral("app"), to = QStringLiteral("to");
    return {
        {tr("Migrate %1 Up To This Migration…").arg(app), QStringLiteral("migrate"), {{appKey, app}, {to, name}}},
        {tr("Unapply Every Migration of %1…").arg(app), QStringLiteral("migrate"), {{appKey, app}, {to, QStringLiteral("zero")}}},
        {tr("Record %1 Up To This Migration Without Running It (--fake)…").arg(app), QStringLiteral("migrate"),
         {{appKey, app}, {to, name}, {QStringLiteral("fake"), QStringLiteral("1")}}},
        {tr("Show Its SQL (sqlmigrate)"), QStringLiteral("sqlmigrate"), {{appKey, app}, {QStringLiteral("name"), name}}},
    };
}

} // namespace MigrationActions
