#include "operations/databaseresetplan.h"

#include "operations/guideoptions.h"
#include "operations/resetstepplans.h"
#include "db/databaseconnection.h"
#include "safety/safetysteps.h"
#include "targets/targets.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace {

// "name" with embedded quotes doubled: an identifier cannot be bound, so it is quoted exactly.
QString quotedIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// DROP/CREATE DATABASE cannot run inside a transaction nor as a prepared statement, so they run
// as plain statements on a maintenance connection (database "postgres"): the project's own
// database cannot drop itself.
CallStep maintenanceStatement(const ProjectConfig &config, const QString &description, const QString &sql)
{
    DbSettings maintenance = config.db;
    maintenance.name = QStringLiteral("postgres");
    CallStep step;
    step.description = description;
    step.detail = QStringLiteral("-- maintenance database postgres on %1:%2 as %3\n%4;")
                      .arg(maintenance.host, QString::number(maintenance.port), maintenance.user, sql);
    step.db = maintenance;
    step.needsDatabase = true;
    step.run = [maintenance, sql](const CallContext &context) -> QString {
        DatabaseConnection connection(maintenance, QStringLiteral("guide-maintenance"));
        if (!connection.open())
            return connection.error();
        QSqlQuery query(connection.database());
        if (!query.exec(sql))
            return query.lastError().text();
        context.say(QStringLiteral("%1: done").arg(sql));
        return QString();
    };
    return step;
}

} // namespace

QString DatabaseResetPlan::refusedDatabaseName(const ProjectConfig &config)
{
    if (config.target == TargetKind::Compose)
        return QString();
    const QString name = config.db.name;
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_]+$"));
    if (!plain.match(name).hasMatch())
        return QStringLiteral("Refusing to drop database \"%1\": a name to drop may only hold letters, digits and _ "
                              "(check DB_NAME in the project's .env).").arg(name);
    const QString lower = name.toLower();
    if (lower == QLatin1String("postgres") || lower == QLatin1String("template0") || lower == QLatin1String("template1"))
        return QStringLiteral("Refusing to drop database %1: it is one of the server's own databases, not the "
                              "project's (check DB_NAME in the project's .env).").arg(name);
    return QString();
}

int DatabaseResetPlan::waitTimeoutMs(const OperationOptions &options)
{
    bool ok = false;
    const int seconds = options.values.value(GuideOption::WaitSeconds).toInt(&ok);
    return (ok && seconds > 0 ? seconds : 120) * 1000;
}

Plan DatabaseResetPlan::build(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("reset-database"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::databaseBackup(config, options, backup);

    if (config.target == TargetKind::Compose) {
        ComposeTarget compose(config);
        ProcessStep down = compose.compose({QStringLiteral("down")});
        down.description = QStringLiteral("Stop and remove the containers of compose project %1")
                               .arg(config.composeProjectName);
        down.timeoutMs = 5 * 60 * 1000;
        plan.steps << down;

        const QString volume = options.facts.postgresVolume();
        ProcessStep rm;
        rm.description = volume.isEmpty()
            ? QStringLiteral("Remove the postgres volume (NOT FOUND: see the blockers)")
            : QStringLiteral("Remove volume %1, the database's data").arg(volume);
        rm.program = QStringLiteral("docker");
        rm.args = {QStringLiteral("volume"), QStringLiteral("rm"),
                   volume.isEmpty() ? QStringLiteral("<postgres volume of %1>").arg(config.composeProjectName) : volume};
        rm.workingDir = config.root;
        rm.timeoutMs = 2 * 60 * 1000;
        plan.steps << rm;

        ProcessStep up = compose.compose({QStringLiteral("up"), QStringLiteral("-d")});
        up.requiredImages = config.stackImages; // checked before anything is removed
        up.description = QStringLiteral("Start the stack again (PostgreSQL initialises an empty database)");
        up.timeoutMs = 10 * 60 * 1000;
        plan.steps << up;

        WaitStep wait;
        wait.description = QStringLiteral("Wait until PostgreSQL accepts connections");
        wait.db = config.db;
        wait.timeoutMs = waitTimeoutMs(options);
        plan.steps << wait;
    } else if (const QString refused = refusedDatabaseName(config); !refused.isEmpty()) {
        // Also when the blockers were not asked: the plan itself cannot drop such a name.
        CallStep refuse;
        refuse.description = QStringLiteral("Refuse to drop database %1").arg(config.db.name);
        refuse.detail = refused;
        refuse.run = [refused](const CallContext &) { return refused; };
        plan.steps.prepend(refuse);
    } else {
        const QString name = quotedIdentifier(config.db.name);
        plan.steps << maintenanceStatement(config,
                                           QStringLiteral("Drop database %1 (its sessions are ended)").arg(config.db.name),
                                           QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        plan.steps << maintenanceStatement(config, QStringLiteral("Create database %1 again, empty").arg(config.db.name),
                                           QStringLiteral("CREATE DATABASE %1").arg(name));
    }
    plan.steps << ResetStepPlans::migrateStep(config, options, false);
    if (options.flag(GuideOption::Superuser))
        plan.steps << ResetStepPlans::createSuperuserStep(config, options);
    return plan;
}
