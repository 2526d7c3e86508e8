#include "project/projectloader.h"

#include "project/composefile.h"
#include "project/composeresolver.h"
#include "project/dotenvfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>

namespace {

const QStringList kSkippedFolders = {
    QStringLiteral(".git"), QStringLiteral("node_modules"), QStringLiteral("venv"),
    QStringLiteral(".venv"), QStringLiteral("env"), QStringLiteral("site-packages"),
    QStringLiteral("__pycache__"), QStringLiteral(".tox"), QStringLiteral("build"),
};

// Folders (depth <= 2) that hold a manage.py, nearest first.
QStringList findManagePyFolders(const QString &root)
{
    QStringList found;
    const QDir dir(root);
    if (dir.exists(QStringLiteral("manage.py")))
        found << dir.absolutePath();
    const QStringList level1 = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QStringList level2Hits;
    for (const QString &sub : level1) {
        if (kSkippedFolders.contains(sub) || sub.startsWith(QLatin1Char('.')))
            continue;
        const QDir subDir(dir.filePath(sub));
        if (subDir.exists(QStringLiteral("manage.py")))
            found << subDir.absolutePath();
        for (const QString &sub2 : subDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            if (kSkippedFolders.contains(sub2) || sub2.startsWith(QLatin1Char('.')))
                continue;
            if (QFileInfo::exists(subDir.filePath(sub2 + QStringLiteral("/manage.py"))))
                level2Hits << QDir(subDir.filePath(sub2)).absolutePath();
        }
    }
    return found + level2Hits;
}

} // namespace

ProjectLoadResult ProjectDetector::detect(const QString &folder, const QString &chosenComposeFile)
{
    ProjectLoadResult result;
    ProjectConfig &config = result.config;
    const QFileInfo rootInfo(folder);
    config.root = QDir::cleanPath(rootInfo.absoluteFilePath());

    if (!rootInfo.exists()) {
        result.errors << QStringLiteral("The folder %1 does not exist.").arg(config.root);
        return result;
    }
    if (!rootInfo.isDir()) {
        result.errors << QStringLiteral("%1 is a file, not a project folder.").arg(config.root);
        return result;
    }
    if (!rootInfo.isReadable() || !rootInfo.isExecutable()) {
        result.errors << QStringLiteral("Permission denied: cannot read the folder %1. "
                                        "Check its owner and permissions.")
                             .arg(config.root);
        return result;
    }

    // .env first: the compose file interpolates from it.
    const QString envPath = QDir(config.root).filePath(QStringLiteral(".env"));
    DotEnvFile env;
    if (QFileInfo::exists(envPath)) {
        QString envError;
        env = DotEnvFile::load(envPath, &envError);
        if (!envError.isEmpty())
            result.warnings << QStringLiteral("Cannot read .env: %1 — using the defaults "
                                              "(postgres/postgres).").arg(envError);
        else
            config.envFile = envPath;
        for (const QString &problem : env.problems())
            result.warnings << QStringLiteral(".env %1").arg(problem);
    } else {
        result.warnings << QStringLiteral("No .env in %1 — using the guide's defaults: database "
                                          "user postgres, password postgres.").arg(config.root);
    }
    const VariableInterpolator interpolator = env.composeInterpolator();

    if (!chosenComposeFile.isEmpty()) {
        config.composeFile = QDir::cleanPath(QDir(config.root).absoluteFilePath(chosenComposeFile));
        config.composeFileChosen = true;
    } else {
        config.composeFile = ComposeFile::findIn(config.root);
    }
    const bool composeFileFromEnv = qEnvironmentVariableIsSet("COMPOSE_FILE") || env.contains(QStringLiteral("COMPOSE_FILE"));
    ComposeFile compose;
    QString projectName;
    if (config.composeFile.isEmpty() && !composeFileFromEnv) {
        result.warnings << QStringLiteral("No compose file (%1) in %2 — the Compose target needs "
                                          "one; choose it in Project Settings or use the Local "
                                          "target.").arg(ComposeFile::fileNames().join(QStringLiteral(", ")), config.root);
    } else {
        // Ask compose first: it alone knows the override files, COMPOSE_FILE, profiles and names.
        bool cliFound = false;
        const ComposeVariant variant = ComposeCli::detect(&cliFound);
        config.composeVariant = variant;
        ComposeResolution resolved;
        if (cliFound) {
            resolved = ComposeResolver::resolve(config.root, config.composeFileChosen ? config.composeFile : QString(),
                                                variant, env.value(QStringLiteral("COMPOSE_PROJECT_NAME")));
        } else {
            resolved.error = QStringLiteral("neither `docker compose` nor `docker-compose` is installed");
        }
        if (resolved.ok) {
            compose = resolved.model;
            projectName = resolved.projectName;
            config.composeResolvedBy = resolved.resolvedBy;
            result.warnings << compose.warnings();
        } else if (!config.composeFile.isEmpty()) {
            QString composeError;
            compose = ComposeFile::load(config.composeFile, interpolator, &composeError);
            if (!composeError.isEmpty())
                result.warnings << composeError;
            result.warnings << compose.warnings();
            result.warnings << QStringLiteral("Compose could not resolve the project (%1); MigrationDesk read %2 "
                                              "itself, so override files, COMPOSE_FILE and profiles are not applied.")
                                   .arg(resolved.error, QFileInfo(config.composeFile).fileName());
        } else {
            result.warnings << QStringLiteral("COMPOSE_FILE is set but compose could not resolve the project: %1")
                                   .arg(resolved.error);
        }
    }
    // The raw file knows what compose's output drops: the env_file names of each service.
    ComposeFile raw;
    if (!config.composeFile.isEmpty())
        raw = ComposeFile::load(config.composeFile, interpolator, nullptr);

    // Project name: compose's answer, else COMPOSE_PROJECT_NAME, the file's `name:`, the folder.
    config.composeProjectName = !projectName.isEmpty() ? projectName : ComposeResolver::normalisedProjectName(
        env.value(QStringLiteral("COMPOSE_PROJECT_NAME"),
                  compose.projectName().isEmpty() ? rootInfo.fileName() : compose.projectName()));

    // Services: the guide's names when present, else a postgres image / a service with a build.
    const QList<ComposeService> services = compose.services();
    if (!services.isEmpty() && !compose.service(config.dbService)) {
        for (const ComposeService &s : services) {
            if (s.image.startsWith(QLatin1String("postgres")) || s.image.contains(QLatin1String("/postgres"))) {
                config.dbService = s.name;
                break;
            }
        }
    }

    // Backend folder: the one holding manage.py; prefer what the backend service mounts.
    const QStringList candidates = findManagePyFolders(config.root);
    if (candidates.isEmpty()) {
        result.errors << QStringLiteral("No manage.py found in %1 or its subfolders — this does "
                                        "not look like a Django project. Open the folder that "
                                        "holds docker-compose.yml and your Django code.")
                             .arg(config.root);
    } else {
        config.backendDir = candidates.first();
        const ComposeService *backend = compose.service(config.backendService);
        if (!backend) {
            for (const ComposeService &s : services) {
                if (!s.buildContext.isEmpty() && s.name != config.dbService) {
                    config.backendService = s.name;
                    backend = compose.service(s.name);
                    break;
                }
            }
        }
        if (backend) {
            const QDir composeDir = QFileInfo(config.composeFile).absoluteDir();
            QStringList mounted;
            for (const ComposeVolumeMount &m : backend->volumes) {
                if (m.source.startsWith(QLatin1Char('.')) || m.source.startsWith(QLatin1Char('/')))
                    mounted << QDir::cleanPath(composeDir.absoluteFilePath(m.source));
            }
            if (!backend->buildContext.isEmpty())
                mounted << QDir::cleanPath(composeDir.absoluteFilePath(backend->buildContext));
            for (const QString &candidate : candidates) {
                if (mounted.contains(candidate)) {
                    config.backendDir = candidate;
                    break;
                }
            }
            for (const ComposeVolumeMount &m : backend->volumes) {
                if (QDir::cleanPath(composeDir.absoluteFilePath(m.source)) == config.backendDir) {
                    config.containerWorkdir = m.target;
                    config.backendMountPoint = m.target;
                }
            }
            if (config.containerWorkdir.isEmpty())
                config.containerWorkdir = backend->workingDir;
            config.backendContainer = backend->containerName;
            const ComposeService *rawBackend = raw.service(backend->name);
            config.backendEnvFiles = rawBackend ? rawBackend->envFiles : backend->envFiles;
            // Resolved models carry the env_file contents already; a file read by hand does not.
            QHash<QString, QString> environment;
            if (config.composeResolvedBy.isEmpty()) {
                for (const QString &file : config.backendEnvFiles) {
                    const DotEnvFile values = DotEnvFile::load(file);
                    for (const QString &key : values.keys())
                        environment.insert(key, values.value(key));
                }
            }
            for (auto it = backend->environment.cbegin(); it != backend->environment.cend(); ++it)
                environment.insert(it.key(), it.value());
            for (auto it = environment.cbegin(); it != environment.cend(); ++it)
                config.backendEnvironment << it.key() + QLatin1Char('=') + it.value();
            config.backendEnvironment.sort();
        }
        if (!QFileInfo(config.backendDir).isReadable())
            result.errors << QStringLiteral("Permission denied: cannot read %1.").arg(config.backendDir);
    }

    // Database: .env's DB_* first, then the db service's POSTGRES_*, then the guide's defaults.
    const ComposeService *db = compose.service(config.dbService);
    config.dbVolumeKey = compose.namedVolumeOf(config.dbService);
    config.dbVolumeName = compose.volumeName(config.dbVolumeKey);
    auto fromEnv = [&](const QString &key, const QString &postgresKey, const QString &fallback) {
        if (env.contains(key) && !env.value(key).isEmpty())
            return env.value(key);
        if (db && !db->environment.value(postgresKey).isEmpty())
            return db->environment.value(postgresKey);
        return fallback;
    };
    config.db.name = fromEnv(config.dbEnv.name, QStringLiteral("POSTGRES_DB"), QStringLiteral("postgres"));
    config.db.user = fromEnv(config.dbEnv.user, QStringLiteral("POSTGRES_USER"), QStringLiteral("postgres"));
    config.db.password = fromEnv(config.dbEnv.password, QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("postgres"));
    if (env.contains(config.dbEnv.password) && !env.value(config.dbEnv.password).isEmpty())
        config.db.passwordSource = QStringLiteral("%1 in %2").arg(config.dbEnv.password, envPath);
    else if (db && !db->environment.value(QStringLiteral("POSTGRES_PASSWORD")).isEmpty())
        config.db.passwordSource = QStringLiteral("POSTGRES_PASSWORD of service %1 in %2").arg(config.dbService, config.composeFile);
    else
        config.db.passwordSource = QStringLiteral("the default \"postgres\" (no %1 in %2)").arg(config.dbEnv.password, envPath);
    if (qEnvironmentVariableIsSet("MIGRATIONDESK_DB_PASSWORD")) {
        config.db.password = qEnvironmentVariable("MIGRATIONDESK_DB_PASSWORD");
        config.db.passwordSource = QStringLiteral("the environment variable MIGRATIONDESK_DB_PASSWORD");
    }
    config.db.host = QStringLiteral("127.0.0.1");
    const int published = compose.publishedPort(config.dbService, 5432);
    if (published > 0) {
        config.db.port = published;
    } else {
        config.db.port = 5432;
        // Not published: on Linux the container's own address on the compose network answers.
        const QString address = db && !config.composeResolvedBy.isEmpty()
            ? ComposeResolver::serviceAddress(config.root, config.composeFileChosen ? config.composeFile : QString(),
                                              config.composeVariant, config.dbService)
            : QString();
        if (!address.isEmpty()) {
            config.db.host = address;
            config.dbViaContainerAddress = true;
            result.warnings << QStringLiteral("The %1 service publishes no port for 5432: MigrationDesk reaches PostgreSQL "
                                              "at its container's address %2:5432 on the compose network. That address "
                                              "changes when the container is recreated; publishing the port makes it "
                                              "stable (ports: [\"127.0.0.1:5432:5432\"] on the %1 service).")
                                   .arg(config.dbService, address);
        } else if (db) {
            result.warnings << QStringLiteral("The %1 service publishes no port for 5432 and has no running container; "
                                              "assuming 127.0.0.1:5432. Start it (docker compose up -d %1), publish the "
                                              "port (ports: [\"127.0.0.1:5432:5432\"]), or set the port in Project Settings.")
                                   .arg(config.dbService);
        }
    }
    // What `up -d` needs: an image per service, named by compose when the service is built.
    for (const ComposeService &s : services) {
        if (!s.image.isEmpty() && s.buildContext.isEmpty())
            config.stackImages << s.name + QLatin1Char('=') + s.image;
        else if (!s.buildContext.isEmpty())
            config.stackImages << s.name + QLatin1Char('=')
                    + (!s.image.isEmpty() ? s.image
                                          : config.composeProjectName + (config.composeVariant == ComposeVariant::Standalone ? QStringLiteral("_") : QStringLiteral("-")) + s.name)
                    + QStringLiteral("=build");
    }
    // Without a compose file there is nothing to `exec` into: run things locally.
    if (config.composeFile.isEmpty() && config.composeResolvedBy.isEmpty())
        config.target = TargetKind::Local;
    return result;
}
