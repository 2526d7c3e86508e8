#include "ops/target.h"
#include "platform/childprocess.h"

#include <QMutex>
#include <QProcess>

#include <optional>

namespace {

QMutex detectMutex;
std::optional<ComposeVariant> detectedVariant;
bool detectedOk = false;

bool answers(const QString &program, const QStringList &args)
{
    QProcess process;
    process.setProcessEnvironment(ChildProcess::systemEnvironment());
    ChildProcess::tieToParent(process);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, args);
    if (!process.waitForStarted(5000))
        return false;
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(1000);
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

ComposeVariant ComposeCli::detect(bool *ok)
{
    QMutexLocker lock(&detectMutex);
    if (!detectedVariant) {
        if (answers(QStringLiteral("docker"), {QStringLiteral("compose"), QStringLiteral("version")})) {
            detectedVariant = ComposeVariant::Plugin;
            detectedOk = true;
        } else if (answers(QStringLiteral("docker-compose"), {QStringLiteral("version")})) {
            detectedVariant = ComposeVariant::Standalone;
            detectedOk = true;
        } else {
            detectedVariant = ComposeVariant::Plugin;
            detectedOk = false;
        }
    }
    if (ok)
        *ok = detectedOk;
    return *detectedVariant;
}

void ComposeCli::setDetected(ComposeVariant variant)
{
    QMutexLocker lock(&detectMutex);
    detectedVariant = variant;
    detectedOk = true;
}

void ComposeCli::reset()
{
    QMutexLocker lock(&detectMutex);
    detectedVariant.reset();
    detectedOk = false;
}

QStringList ComposeCli::command(ComposeVariant variant)
{
    if (variant == ComposeVariant::Standalone)
        return {QStringLiteral("docker-compose")};
    return {QStringLiteral("docker"), QStringLiteral("compose")};
}

std::unique_ptr<Target> Target::forProject(const ProjectConfig &config, ComposeVariant variant)
{
    if (config.target == TargetKind::Local)
        return std::make_unique<LocalTarget>(config);
    return std::make_unique<ComposeTarget>(config, variant);
}

// --- Compose ---------------------------------------------------------------------------------

ComposeTarget::ComposeTarget(const ProjectConfig &config, ComposeVariant variant)
    : m_config(config)
    , m_variant(variant)
{
}

QStringList ComposeTarget::composePrefix() const
{
    QStringList args = ComposeCli::command(m_variant).mid(1);
    if (!m_config.composeFile.isEmpty())
        args << QStringLiteral("-f") << m_config.composeFile;
    if (!m_config.composeProjectName.isEmpty())
        args << QStringLiteral("-p") << m_config.composeProjectName;
    return args;
}

ProcessStep ComposeTarget::compose(const QStringList &args) const
{
    ProcessStep step;
    step.program = ComposeCli::command(m_variant).constFirst();
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
