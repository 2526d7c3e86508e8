#include "project/composefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <yaml-cpp/yaml.h>

namespace {

// A scalar as compose sees it: interpolated when read from the user's files, as printed when
// compose resolved it already (interpolator null).
QString scalar(const YAML::Node &node, const VariableInterpolator *interpolator)
{
    if (!node || !node.IsScalar())
        return {};
    const QString text = QString::fromStdString(node.Scalar());
    return interpolator ? interpolator->expand(text) : text;
}

int toPort(const QString &text)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    return ok && value > 0 && value < 65536 ? value : 0;
}

} // namespace

QStringList ComposeFile::fileNames()
{
    return {QStringLiteral("compose.yaml"), QStringLiteral("compose.yml"),
            QStringLiteral("docker-compose.yml"), QStringLiteral("docker-compose.yaml")};
}

QString ComposeFile::findIn(const QString &folder)
{
    const QDir dir(folder);
    for (const QString &name : fileNames()) {
        if (QFileInfo::exists(dir.filePath(name)))
            return QFileInfo(dir.filePath(name)).absoluteFilePath();
    }
    return {};
}

// Short syntax: "5432", "5432:5432", "127.0.0.1:5432:5432", "5432:5432/tcp", "[::1]:5432:5432",
// ranges "5000-5001:5000-5001" (the first port of a range is used).
bool ComposeFile::parsePortSpec(const QString &specIn, ComposePort *port)
{
    QString spec = specIn.trimmed();
    const qsizetype slash = spec.indexOf(QLatin1Char('/'));
    if (slash >= 0)
        spec.truncate(slash);
    if (spec.isEmpty())
        return false;
    QString hostIp;
    if (spec.startsWith(QLatin1Char('['))) {
        const qsizetype close = spec.indexOf(QLatin1Char(']'));
        if (close < 0)
            return false;
        hostIp = spec.mid(1, close - 1);
        spec = spec.mid(close + 1);
        if (spec.startsWith(QLatin1Char(':')))
            spec.remove(0, 1);
    }
    QStringList parts = spec.split(QLatin1Char(':'));
    if (parts.size() == 3 && hostIp.isEmpty())
        hostIp = parts.takeFirst();
    if (parts.size() > 2 || parts.isEmpty())
        return false;
    auto firstOfRange = [](const QString &p) { return toPort(p.section(QLatin1Char('-'), 0, 0)); };
    ComposePort result;
    result.hostIp = hostIp;
    result.target = firstOfRange(parts.last());
    result.published = parts.size() == 2 ? firstOfRange(parts.first()) : 0;
    if (result.target == 0)
        return false;
    *port = result;
    return true;
}

ComposeFile ComposeFile::load(const QString &path, const VariableInterpolator &interpolator,
                              QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return ComposeFile();
    }
    return parse(file.readAll(), QFileInfo(path).fileName(), QFileInfo(path).absolutePath(), &interpolator, error);
}

ComposeFile ComposeFile::fromResolved(const QByteArray &text, const QString &label, QString *error)
{
    return parse(text, label, QString(), nullptr, error);
}

ComposeFile ComposeFile::parse(const QByteArray &text, const QString &label, const QString &baseDir,
                               const VariableInterpolator *interpolator, QString *error)
{
    ComposeFile compose;
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        if (error)
            *error = QStringLiteral("%1 is not valid YAML: %2").arg(label, QString::fromStdString(e.what()));
        return compose;
    }
    if (!root.IsMap()) {
        if (error)
            *error = QStringLiteral("%1 is not a compose file (no mapping at the top)").arg(label);
        return compose;
    }

    try {
        compose.m_name = scalar(root["name"], interpolator);
        const YAML::Node volumes = root["volumes"];
        if (volumes && volumes.IsMap()) {
            for (const auto &entry : volumes) {
                const QString key = QString::fromStdString(entry.first.as<std::string>());
                compose.m_volumes << key;
                if (entry.second.IsMap() && entry.second["name"])
                    compose.m_volumeNames.insert(key, scalar(entry.second["name"], interpolator));
            }
        }
        const YAML::Node services = root["services"];
        if (!services || !services.IsMap()) {
            compose.m_warnings << QStringLiteral("no services in %1").arg(label);
            return compose;
        }
        for (const auto &entry : services) {
            ComposeService service;
            service.name = QString::fromStdString(entry.first.as<std::string>());
            const YAML::Node node = entry.second;
            if (!node.IsMap()) {
                compose.m_services << service;
                continue;
            }
            service.image = scalar(node["image"], interpolator);
            service.workingDir = scalar(node["working_dir"], interpolator);
            service.containerName = scalar(node["container_name"], interpolator);
            auto addEnvFile = [&](const YAML::Node &entry) {
                const QString file = entry.IsMap() ? scalar(entry["path"], interpolator) : scalar(entry, interpolator);
                if (!file.isEmpty())
                    service.envFiles << (baseDir.isEmpty() ? file : QDir::cleanPath(QDir(baseDir).absoluteFilePath(file)));
            };
            const YAML::Node envFile = node["env_file"];
            if (envFile && envFile.IsSequence()) {
                for (const auto &entry : envFile)
                    addEnvFile(entry);
            } else if (envFile) {
                addEnvFile(envFile);
            }
            const YAML::Node build = node["build"];
            if (build && build.IsScalar())
                service.buildContext = scalar(build, interpolator);
            else if (build && build.IsMap())
                service.buildContext = scalar(build["context"], interpolator);

            const YAML::Node ports = node["ports"];
            if (ports && ports.IsSequence()) {
                for (const auto &p : ports) {
                    ComposePort port;
                    if (p.IsScalar()) {
                        if (!parsePortSpec(scalar(p, interpolator), &port)) {
                            compose.m_warnings << QStringLiteral("service %1: cannot read port \"%2\"")
                                                      .arg(service.name, scalar(p, interpolator));
                            continue;
                        }
                    } else if (p.IsMap()) { // long syntax
                        port.target = toPort(scalar(p["target"], interpolator));
                        port.published = toPort(scalar(p["published"], interpolator)
                                                     .section(QLatin1Char('-'), 0, 0));
                        port.hostIp = scalar(p["host_ip"], interpolator);
                    }
                    if (port.target > 0)
                        service.ports << port;
                }
            }
            const YAML::Node mounts = node["volumes"];
            if (mounts && mounts.IsSequence()) {
                for (const auto &v : mounts) {
                    ComposeVolumeMount mount;
                    if (v.IsScalar()) {
                        const QStringList parts = scalar(v, interpolator).split(QLatin1Char(':'));
                        mount.source = parts.value(0);
                        mount.target = parts.value(1);
                    } else if (v.IsMap()) {
                        mount.source = scalar(v["source"], interpolator);
                        mount.target = scalar(v["target"], interpolator);
                    }
                    service.volumes << mount;
                }
            }
            const YAML::Node environment = node["environment"];
            if (environment && environment.IsMap()) {
                for (const auto &e : environment)
                    service.environment.insert(QString::fromStdString(e.first.as<std::string>()),
                                               scalar(e.second, interpolator));
            } else if (environment && environment.IsSequence()) {
                for (const auto &e : environment) {
                    const QString item = scalar(e, interpolator);
                    const qsizetype eq = item.indexOf(QLatin1Char('='));
                    if (eq > 0)
                        service.environment.insert(item.left(eq), item.mid(eq + 1));
                }
            }
            compose.m_services << service;
        }
    } catch (const YAML::Exception &e) {
        if (error)
            *error = QStringLiteral("%1: unexpected structure: %2")
                         .arg(label, QString::fromStdString(e.what()));
    }
    return compose;
}

const ComposeService *ComposeFile::service(const QString &name) const
{
    for (const ComposeService &s : m_services) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

QString ComposeFile::namedVolumeOf(const QString &serviceName) const
{
    const ComposeService *s = service(serviceName);
    if (!s)
        return QString();
    for (const ComposeVolumeMount &mount : s->volumes) {
        if (m_volumes.contains(mount.source))
            return mount.source;
    }
    return QString();
}

int ComposeFile::publishedPort(const QString &serviceName, int containerPort) const
{
    const ComposeService *s = service(serviceName);
    if (!s)
        return 0;
    for (const ComposePort &port : s->ports) {
        if (port.target == containerPort && port.published > 0)
            return port.published;
    }
    return 0;
}
