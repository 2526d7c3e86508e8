#include "targets/targets.h"

#include "db/databaseconnection.h"
#include "platform/childprocess.h"

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

const QList<TargetKindInfo> &Targets::kinds()
{
    static const QList<TargetKindInfo> kinds{
        {TargetKind::Compose, QStringLiteral("Compose (docker compose exec)"),
         [](const ProjectConfig &config) { return std::make_unique<ComposeTarget>(config); }},
        {TargetKind::Local, QStringLiteral("Local (this machine)"),
         [](const ProjectConfig &config) { return std::make_unique<LocalTarget>(config); }},
    };
    return kinds;
}

std::unique_ptr<Target> Targets::forProject(const ProjectConfig &config)
{
    for (const TargetKindInfo &info : kinds()) {
        if (info.kind == config.target)
            return info.make(config);
    }
    return kinds().constFirst().make(config);
}

// --- Compose ---------------------------------------------------------------------------------

ComposeTarget::ComposeTarget(const ProjectConfig &config)
    : m_config(config)
{
}

QStringList ComposeTarget::composePrefix() const
{
    // No -f and no -p unless the user chose a file: then compose finds the override file,
    // COMPOSE_FILE, COMPOSE_PROJECT_NAME and `name:` exactly as in the user's own commands.
    QStringList args = ComposeCli::command(m_config.composeVariant).mid(1);
    if (m_config.composeFileChosen && !m_config.composeFile.isEmpty())
        args << QStringLiteral("-f") << m_config.composeFile;
    return args;
}

ProcessStep ComposeTarget::compose(const QStringList &args) const
{
    ProcessStep step;
    step.program = ComposeCli::command(m_config.composeVariant).constFirst();
    step.args = composePrefix() + args;
    // v1 reads .env from the current folder, v2 from the compose file's: the root suits both.
    step.workingDir = m_config.root;
    return step;
}

ProcessStep ComposeTarget::exec(const QString &service, const QStringList &command,
                                const QList<EnvVar> &env, const QString &workdir) const
{
    QStringList args{QStringLiteral("exec"), QStringLiteral("-T")};
    for (const EnvVar &var : env) {
        // The value travels in docker's environment; `-e NAME` forwards it without argv.
        args << QStringLiteral("-e") << var.name;
    }
    if (!workdir.isEmpty())
        args << QStringLiteral("-w") << workdir;
    args << service << command;
    ProcessStep step = compose(args);
    step.env = env;
    step.service = service;
    if (service == m_config.backendService) {
        step.serviceHostDir = m_config.backendDir;
        step.serviceMountPoint = m_config.backendMountPoint;
    }
    return step;
}

ProcessStep ComposeTarget::manage(const QStringList &args, const QList<EnvVar> &env) const
{
    QStringList command{QStringLiteral("python"), QStringLiteral("-u"), QStringLiteral("manage.py")};
    command << args;
    return exec(m_config.backendService, command, env, m_config.containerWorkdir);
}

ProcessStep ComposeTarget::manageOn(const QString &dbName, const QString &backendCopy, const QStringList &args,
                                    const QList<EnvVar> &extraEnv) const
{
    QList<EnvVar> env = QList<EnvVar>{{m_config.dbEnv.name, dbName, false}} + extraEnv;
    if (backendCopy.isEmpty())
        return manage(args, env);
    // The container runs as its image's user (root, mostly): the __pycache__ folders it would make
    // in the mounted copy would be root's, and a user's MigrationDesk could not delete the copy.
    env << EnvVar{QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"), false};
    // A mount point of its own: the service may already mount the backend at its working folder,
    // and two mounts on one path are refused.
    const QString mountPoint = QStringLiteral("/migrationdesk-scratch");
    QStringList runArgs{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--no-deps"), QStringLiteral("-T"),
                        QStringLiteral("-v"), backendCopy + QLatin1Char(':') + mountPoint,
                        QStringLiteral("-w"), mountPoint};
    for (const EnvVar &var : env)
        runArgs << QStringLiteral("-e") << var.name; // values in docker's environment, never argv
    runArgs << QStringList{QStringLiteral("--entrypoint"), QStringLiteral("python"), m_config.backendService,
                        QStringLiteral("-u"), QStringLiteral("manage.py")};
    ProcessStep step = compose(runArgs + args);
    step.env = env;
    return step;
}

ProcessStep ComposeTarget::psql(const QStringList &args) const
{
    QStringList command{QStringLiteral("psql"), QStringLiteral("-U"), m_config.db.user,
                        QStringLiteral("-d"), m_config.db.name};
    command << args;
    return exec(m_config.dbService, command);
}

ProcessStep ComposeTarget::postgresTool(const QString &tool, const QStringList &args) const
{
    return exec(m_config.dbService, QStringList{tool} + args);
}

QString ComposeTarget::displayName() const
{
    return QStringLiteral("Compose");
}

QString ComposeTarget::toolProblem() const
{
    bool found = false;
    ComposeCli::detect(&found);
    return found ? QString()
                 : QStringLiteral("neither `docker compose` nor `docker-compose` answered; assuming `docker compose`");
}

QStringList ComposeTarget::inputs() const
{
    return {QStringLiteral("target=compose"), QStringLiteral("compose=") + ComposeCli::variantName(m_config.composeVariant)};
}

bool ComposeTarget::keepsDatabaseInVolume() const
{
    return true;
}

QString ComposeTarget::emptyDatabaseRefusal() const
{
    return QString(); // the volume is the project's own; the blockers check it is found and unique
}

DatabaseLoss ComposeTarget::databaseLoss(const QString &volume) const
{
    return {QStringLiteral("Delete volume %1 and with it every table and row of database %2?").arg(volume, m_config.db.name),
            {QStringLiteral("docker volume rm %1").arg(volume)}, volume};
}

QList<PlanStep> ComposeTarget::emptyDatabase(const QString &volume, int waitMs) const
{
    QList<PlanStep> steps;
    ProcessStep down = compose({QStringLiteral("down")});
    down.description = QStringLiteral("Stop and remove the containers of compose project %1").arg(m_config.composeProjectName);
    down.timeoutMs = 5 * 60 * 1000;
    steps << down;

    ProcessStep rm;
    rm.description = volume.isEmpty() ? QStringLiteral("Remove the postgres volume (NOT FOUND: see the blockers)")
                                      : QStringLiteral("Remove volume %1, the database's data").arg(volume);
    rm.program = QStringLiteral("docker");
    rm.args = {QStringLiteral("volume"), QStringLiteral("rm"),
               volume.isEmpty() ? QStringLiteral("<postgres volume of %1>").arg(m_config.composeProjectName) : volume};
    rm.workingDir = m_config.root;
    rm.timeoutMs = 2 * 60 * 1000;
    steps << rm;

    ProcessStep up = compose({QStringLiteral("up"), QStringLiteral("-d")});
    up.requiredImages = m_config.stackImages; // checked before anything is removed
    up.description = QStringLiteral("Start the stack again (PostgreSQL initialises an empty database)");
    up.timeoutMs = 10 * 60 * 1000;
    steps << up;

    WaitStep wait;
    wait.description = QStringLiteral("Wait until PostgreSQL accepts connections");
    wait.db = m_config.db;
    wait.timeoutMs = waitMs;
    steps << wait;
    return steps;
}

QList<ProcessStep> ComposeTarget::startServices(const QStringList &services) const
{
    if (services.isEmpty())
        return {};
    ProcessStep up = compose(QStringList{QStringLiteral("up"), QStringLiteral("-d")} + services);
    up.description = QStringLiteral("Start the %1 service(s)").arg(services.join(QStringLiteral(", ")));
    up.timeoutMs = 10 * 60 * 1000;
    return {up};
}

bool ComposeTarget::isProjectDatabaseHost(const QString &host) const
{
    return host.compare(m_config.dbService, Qt::CaseInsensitive) == 0;
}

QString ComposeTarget::manageHint(const QString &args) const
{
    return QStringLiteral("%1 exec %2 python manage.py %3")
        .arg(ComposeCli::variantName(m_config.composeVariant), m_config.backendService, args);
}

QString ComposeTarget::startHint() const
{
    return ComposeCli::variantName(m_config.composeVariant) + QStringLiteral(" up -d");
}

// --- Local -----------------------------------------------------------------------------------

LocalTarget::LocalTarget(const ProjectConfig &config)
    : m_config(config)
{
}

ProcessStep LocalTarget::manage(const QStringList &args, const QList<EnvVar> &env) const
{
    ProcessStep step;
    step.program = m_config.python;
    // -u: unbuffered, so output streams live instead of arriving when the pipe buffer fills.
    step.args = QStringList{QStringLiteral("-u"), QStringLiteral("manage.py")} + args;
    step.workingDir = m_config.backendDir;
    const DbEnvNames &names = m_config.dbEnv;
    const DbSettings &db = m_config.db;
    step.env = {
        {names.name, db.name, false},
        {names.user, db.user, false},
        {names.password, db.password, true},
        {names.host, db.host, false},
        {names.port, QString::number(db.port), false},
    };
    step.env << env;
    return step;
}

ProcessStep LocalTarget::manageOn(const QString &dbName, const QString &backendCopy, const QStringList &args,
                                  const QList<EnvVar> &env) const
{
    ProcessStep step = manage(args, QList<EnvVar>{{m_config.dbEnv.name, dbName, false}} + env);
    if (!backendCopy.isEmpty())
        step.workingDir = backendCopy;
    return step;
}

ProcessStep LocalTarget::psql(const QStringList &args) const
{
    ProcessStep step;
    step.program = QStringLiteral("psql");
    step.args = {QStringLiteral("-X"), QStringLiteral("-h"), m_config.db.host,
                 QStringLiteral("-p"), QString::number(m_config.db.port),
                 QStringLiteral("-U"), m_config.db.user,
                 QStringLiteral("-d"), m_config.db.name};
    step.args << args;
    step.env = {{QStringLiteral("PGPASSWORD"), m_config.db.password, true}};
    step.workingDir = m_config.root;
    return step;
}

ProcessStep LocalTarget::postgresTool(const QString &tool, const QStringList &args) const
{
    ProcessStep step;
    step.program = tool;
    step.args = args;
    step.env = {
        {QStringLiteral("PGHOST"), m_config.db.host, false},
        {QStringLiteral("PGPORT"), QString::number(m_config.db.port), false},
        {QStringLiteral("PGUSER"), m_config.db.user, false},
        {QStringLiteral("PGPASSWORD"), m_config.db.password, true},
    };
    step.workingDir = m_config.root;
    return step;
}

QString LocalTarget::displayName() const
{
    return QStringLiteral("Local");
}

QString LocalTarget::toolProblem() const
{
    return QString(); // the interpreter's own error names a missing python
}

QStringList LocalTarget::inputs() const
{
    return {QStringLiteral("target=local"), QStringLiteral("python=") + m_config.python};
}

bool LocalTarget::keepsDatabaseInVolume() const
{
    return false;
}

QString LocalTarget::emptyDatabaseRefusal() const
{
    const QString name = m_config.db.name;
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

DatabaseLoss LocalTarget::databaseLoss(const QString &) const
{
    return {QStringLiteral("Drop database %1 on %2:%3 with every table and row?")
                .arg(m_config.db.name, m_config.db.host, QString::number(m_config.db.port)),
            {}, m_config.db.name};
}

QList<PlanStep> LocalTarget::emptyDatabase(const QString &, int) const
{
    const QString name = quotedIdentifier(m_config.db.name);
    return {maintenanceStatement(m_config, QStringLiteral("Drop database %1 (its sessions are ended)").arg(m_config.db.name),
                                 QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name)),
            maintenanceStatement(m_config, QStringLiteral("Create database %1 again, empty").arg(m_config.db.name),
                                 QStringLiteral("CREATE DATABASE %1").arg(name))};
}

QList<ProcessStep> LocalTarget::startServices(const QStringList &) const
{
    return {};
}

bool LocalTarget::isProjectDatabaseHost(const QString &) const
{
    return false;
}

QString LocalTarget::manageHint(const QString &args) const
{
    return QStringLiteral("python manage.py ") + args;
}

QString LocalTarget::startHint() const
{
    return QString();
}
