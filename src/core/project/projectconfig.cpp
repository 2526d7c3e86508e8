#include "project/projectconfig.h"

#include <QDir>

QString targetKindName(TargetKind kind)
{
    return kind == TargetKind::Local ? QStringLiteral("local") : QStringLiteral("compose");
}

TargetKind targetKindFromName(const QString &name, bool *ok)
{
    const QString n = name.trimmed().toLower();
    if (ok)
        *ok = n == QLatin1String("local") || n == QLatin1String("compose");
    return n == QLatin1String("local") ? TargetKind::Local : TargetKind::Compose;
}

QString ProjectConfig::backendRelative() const
{
    if (backendDir.isEmpty())
        return {};
    const QString rel = QDir(root).relativeFilePath(backendDir);
    return rel.isEmpty() ? QStringLiteral(".") : rel;
}

QString ProjectConfig::managePy() const
{
    return QDir(backendDir).filePath(QStringLiteral("manage.py"));
}

bool ProjectOverrides::isEmpty() const
{
    return composeFile.isEmpty() && backendDir.isEmpty() && dbService.isEmpty()
        && backendService.isEmpty() && dbHost.isEmpty() && dbPort == 0 && dbName.isEmpty()
        && dbUser.isEmpty() && python.isEmpty() && target.isEmpty();
}

void ProjectOverrides::applyTo(ProjectConfig &config) const
{
    const QDir root(config.root);
    if (!composeFile.isEmpty()) {
        const QString chosen = QDir::cleanPath(root.absoluteFilePath(composeFile));
        config.composeFileChosen = config.composeFileChosen || chosen != config.composeFile;
        config.composeFile = chosen;
    }
    if (!backendDir.isEmpty())
        config.backendDir = QDir::cleanPath(root.absoluteFilePath(backendDir));
    if (!dbService.isEmpty())
        config.dbService = dbService;
    if (!backendService.isEmpty())
        config.backendService = backendService;
    if (!dbHost.isEmpty() && dbHost != config.db.host) {
        config.db.host = dbHost;
        config.dbViaContainerAddress = false; // the user's host: the guard judges it as given
    }
    if (dbPort > 0)
        config.db.port = dbPort;
    if (!dbName.isEmpty())
        config.db.name = dbName;
    if (!dbUser.isEmpty())
        config.db.user = dbUser;
    if (!python.isEmpty())
        config.python = python;
    if (!target.isEmpty())
        config.target = targetKindFromName(target);
}
