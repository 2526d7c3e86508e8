#include "safety/productionguard.h"

#include "project/dotenvfile.h"
#include "targets/targets.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QProcessEnvironment>
#include <QRegularExpression>

namespace {

bool isFalse(const QString &value)
{
    const QString v = value.trimmed().toLower();
    return v == QLatin1String("false") || v == QLatin1String("0") || v == QLatin1String("no")
        || v == QLatin1String("off");
}

bool namesProduction(const QString &text)
{
    return text.contains(QLatin1String("prod"), Qt::CaseInsensitive);
}

} // namespace

bool ProductionGuard::isLocalHost(const QString &host)
{
    const QString h = host.trimmed().toLower();
    if (h.isEmpty() || h == QLatin1String("localhost") || h.startsWith(QLatin1Char('/')))
        return true; // empty and a path both mean the local socket
    // Loopback without QtNetwork: 127.0.0.0/8, ::1 (core links QtCore and QtSql only).
    return h.startsWith(QLatin1String("127.")) || h == QLatin1String("::1")
        || h == QLatin1String("[::1]") || h == QLatin1String("0:0:0:0:0:0:0:1");
}

QStringList ProductionGuard::reasons(const ProjectConfig &config)
{
    QStringList why;
    // Inside a compose project the database is reached by its service name: still this machine's.
    const bool serviceName = Targets::forProject(config)->isProjectDatabaseHost(config.db.host);
    if (!isLocalHost(config.db.host) && !serviceName && !config.dbViaContainerAddress)
        why << QStringLiteral("the database host %1 is not this machine").arg(config.db.host);

    const QDir root(config.root);
    for (const QString &name : {QStringLiteral(".env.prod"), QStringLiteral(".env.production")}) {
        if (root.exists(name))
            why << QStringLiteral("%1 exists in the project").arg(name);
    }
    if (!config.envFile.isEmpty() && namesProduction(QFileInfo(config.envFile).fileName()))
        why << QStringLiteral("the env file %1 names production").arg(QFileInfo(config.envFile).fileName());

    DotEnvFile env;
    if (!config.envFile.isEmpty() && QFileInfo::exists(config.envFile))
        env = DotEnvFile::load(config.envFile);
    if (env.contains(QStringLiteral("DEBUG")) && isFalse(env.value(QStringLiteral("DEBUG"))))
        why << QStringLiteral("DEBUG=%1 in %2").arg(env.value(QStringLiteral("DEBUG")), QFileInfo(config.envFile).fileName());
    // The backend's own env_file and environment: Hanna keeps its production signal there
    // (env_file: ./whatsappcrm_backend/.env.prod with DJANGO_DEBUG=False and public hosts).
    for (const QString &file : config.backendEnvFiles) {
        if (namesProduction(QFileInfo(file).fileName()) && QFileInfo(file).fileName() != QFileInfo(config.envFile).fileName())
            why << QStringLiteral("the backend service reads the env file %1").arg(QDir(config.root).relativeFilePath(file));
    }
    QHash<QString, QString> backend;
    for (const QString &item : config.backendEnvironment)
        backend.insert(item.section(QLatin1Char('='), 0, 0), item.section(QLatin1Char('='), 1));
    for (const QString &key : {QStringLiteral("DEBUG"), QStringLiteral("DJANGO_DEBUG")}) {
        // Skipped only when the project's .env said the same and was reported above.
        if (backend.contains(key) && isFalse(backend.value(key)) && !(key == QLatin1String("DEBUG") && isFalse(env.value(key))))
            why << QStringLiteral("%1=%2 in the %3 service's environment").arg(key, backend.value(key), config.backendService);
    }
    for (const QString &key : {QStringLiteral("ALLOWED_HOSTS"), QStringLiteral("DJANGO_ALLOWED_HOSTS")}) {
        QStringList publicHosts;
        for (const QString &host : backend.value(key).split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
            const QString h = host.trimmed();
            if (!isLocalHost(h) && h != QLatin1String("0.0.0.0") && h != QLatin1String("*") && !h.startsWith(QLatin1String("[::")))
                publicHosts << h;
        }
        if (!publicHosts.isEmpty())
            why << QStringLiteral("%1 in the %2 service's environment names public hosts (%3)")
                       .arg(key, config.backendService, publicHosts.join(QStringLiteral(", ")));
    }
    const QString backendDbHost = backend.value(config.dbEnv.host);
    if (!backendDbHost.isEmpty() && !isLocalHost(backendDbHost) && backendDbHost.compare(config.dbService, Qt::CaseInsensitive) != 0)
        why << QStringLiteral("the %1 service reaches its database at %2").arg(config.backendService, backendDbHost);

    QString settings = env.value(QStringLiteral("DJANGO_SETTINGS_MODULE"));
    if (settings.isEmpty())
        settings = backend.value(QStringLiteral("DJANGO_SETTINGS_MODULE"));
    if (settings.isEmpty())
        settings = QProcessEnvironment::systemEnvironment().value(QStringLiteral("DJANGO_SETTINGS_MODULE"));
    if (namesProduction(settings))
        why << QStringLiteral("DJANGO_SETTINGS_MODULE is %1").arg(settings);
    return why;
}

QString ProductionGuard::refusal(const ProjectConfig &config, const Plan &plan, const QString &typedDatabaseName)
{
    if (!plan.destructive)
        return QString();
    const QStringList why = reasons(config);
    if (why.isEmpty())
        return QString();
    const QString head = QStringLiteral("%1 refused: this project looks like production (%2).")
                             .arg(plan.title.isEmpty() ? plan.id : plan.title, why.join(QStringLiteral("; ")));
    if (!config.allowDestructiveOnProduction) {
        return head + QStringLiteral(" Nothing was changed. If this really is a development copy, allow "
                                     "destructive operations in the project settings and type the "
                                     "database name to confirm.");
    }
    if (typedDatabaseName != config.db.name) {
        return head + QStringLiteral(" The project allows it: type the database name (%1) to confirm.")
                          .arg(config.db.name);
    }
    return QString();
}
