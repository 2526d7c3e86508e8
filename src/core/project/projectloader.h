#pragma once

#include "project/projectconfig.h"

#include <QString>
#include <QStringList>

// The outcome of opening a folder: the config as detected (then overridden), and what is wrong.
struct ProjectLoadResult
{
    ProjectConfig config;
    QStringList errors;   // the project cannot be used: no manage.py, unreadable folder, ...
    QStringList warnings; // usable, but the user should know: .env missing, no compose file, ...

    bool ok() const { return errors.isEmpty(); }
};

// Detects a project in a folder: compose file, .env, backend folder, services, DB settings.
class ProjectDetector
{
public:
    // Like docker compose, ${VAR} in the compose file resolves from the shell first, then .env.
    // MIGRATIONDESK_DB_PASSWORD in the environment wins over the .env's password.
    // chosenComposeFile: the file the user picked (settings, --compose-file), passed to compose
    // as -f; empty lets compose find its files as the user's own commands do. Runs the compose
    // CLI (`config`) when one is installed: blocking, call it off the GUI thread.
    static ProjectLoadResult detect(const QString &folder, const QString &chosenComposeFile = QString());
};
