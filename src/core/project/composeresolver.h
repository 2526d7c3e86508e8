#pragma once

#include "project/composecli.h"
#include "project/composefile.h"

#include <QProcessEnvironment>
#include <QString>

// The project as compose itself resolves it: `docker compose config --format json` (v2) or
// `docker-compose config` (v1), run in the project folder with the user's environment, so
// override files, COMPOSE_FILE, COMPOSE_PROJECT_NAME, `name:`, env_file lists, profiles and
// interpolation are exactly compose's. Blocking (a compose CLI start): call it off the GUI thread.
struct ComposeResolution
{
    bool ok = false;
    ComposeFile model;
    QString projectName; // what compose calls the project (v2 prints it; v1's rule otherwise)
    QString resolvedBy;  // "docker compose config" / "docker-compose config"
    QString error;       // why the CLI gave no model (not installed, invalid file, …)
};

namespace ComposeResolver {
// composeFile: the file the user chose (passed as -f), empty for compose's own discovery.
// dotEnvProjectName: COMPOSE_PROJECT_NAME from the project's .env (v1's naming rule needs it).
ComposeResolution resolve(const QString &root, const QString &composeFile, ComposeVariant variant,
                          const QString &dotEnvProjectName = QString(),
                          const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// The address of a running service's container on its compose network(s) ("172.18.0.3"), for a
// db service that publishes no port (Linux reaches container addresses directly). Empty when the
// service has no running container. Blocking (compose ps, docker inspect).
QString serviceAddress(const QString &root, const QString &composeFile, ComposeVariant variant, const QString &service,
                       const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// Compose's default project name for a folder name: lower case, only [a-z0-9_-].
QString normalisedProjectName(const QString &name);
}
