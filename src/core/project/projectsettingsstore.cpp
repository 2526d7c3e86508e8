#include "project/projectsettingsstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace {

QString canonicalRoot(const QString &root)
{
    const QString canonical = QFileInfo(root).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(QFileInfo(root).absoluteFilePath()) : canonical;
}

// One QSettings group per project; the path is hashed because QSettings keys cannot hold '/'.
QString groupFor(const QString &root)
{
    return QStringLiteral("projects/")
        + QString::fromLatin1(QCryptographicHash::hash(canonicalRoot(root).toUtf8(),
                                                       QCryptographicHash::Sha1).toHex());
}

const char *const kFields[] = {"composeFile", "backendDir", "dbService", "backendService",
                               "dbHost", "dbPort", "dbName", "dbUser", "python", "target"};

} // namespace

ProjectOverrides ProjectSettingsStore::load(const QString &projectRoot)
{
    QSettings settings;
    settings.beginGroup(groupFor(projectRoot));
    ProjectOverrides o;
    o.composeFile = settings.value(QStringLiteral("composeFile")).toString();
    o.backendDir = settings.value(QStringLiteral("backendDir")).toString();
    o.dbService = settings.value(QStringLiteral("dbService")).toString();
    o.backendService = settings.value(QStringLiteral("backendService")).toString();
    o.dbHost = settings.value(QStringLiteral("dbHost")).toString();
    o.dbPort = settings.value(QStringLiteral("dbPort"), 0).toInt();
    o.dbName = settings.value(QStringLiteral("dbName")).toString();
    o.dbUser = settings.value(QStringLiteral("dbUser")).toString();
    o.python = settings.value(QStringLiteral("python")).toString();
    o.target = settings.value(QStringLiteral("target")).toString();
    return o;
}

void ProjectSettingsStore::save(const QString &projectRoot, const ProjectOverrides &o)
{
    QSettings settings;
    settings.beginGroup(groupFor(projectRoot));
    for (const char *field : kFields)
        settings.remove(QLatin1String(field));
    settings.setValue(QStringLiteral("root"), canonicalRoot(projectRoot));
    auto put = [&settings](const char *key, const QString &value) {
        if (!value.isEmpty())
            settings.setValue(QLatin1String(key), value);
    };
    put("composeFile", o.composeFile);
    put("backendDir", o.backendDir);
    put("dbService", o.dbService);
    put("backendService", o.backendService);
    put("dbHost", o.dbHost);
    if (o.dbPort > 0)
        settings.setValue(QStringLiteral("dbPort"), o.dbPort);
    put("dbName", o.dbName);
    put("dbUser", o.dbUser);
    put("python", o.python);
    put("target", o.target);
}

QStringList ProjectSettingsStore::recentProjects()
{
    return QSettings().value(QStringLiteral("recentProjects")).toStringList();
}

void ProjectSettingsStore::addRecentProject(const QString &projectRoot)
{
    const QString root = canonicalRoot(projectRoot);
    QStringList recent = recentProjects();
    recent.removeAll(root);
    recent.prepend(root);
    while (recent.size() > 10)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentProjects"), recent);
}

void ProjectSettingsStore::removeRecentProject(const QString &projectRoot)
{
    QStringList recent = recentProjects();
    recent.removeAll(canonicalRoot(projectRoot));
    QSettings().setValue(QStringLiteral("recentProjects"), recent);
}
