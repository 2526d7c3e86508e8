#include "targets/targets.h"
#include "platform/childprocess.h"


std::unique_ptr<Target> Targets::forProject(const ProjectConfig &config)
{
    if (config.target == TargetKind::Local)
        return std::make_unique<LocalTarget>(config);
    return std::make_unique<ComposeTarget>(config);
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
