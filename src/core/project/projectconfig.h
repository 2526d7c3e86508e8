#pragma once

#include "project/composecli.h"

#include <QString>
#include <QStringList>

// How steps reach the project: through `docker compose exec` or on this machine directly.
enum class TargetKind { Compose, Local };

QString targetKindName(TargetKind kind);
TargetKind targetKindFromName(const QString &name, bool *ok = nullptr);

struct DbSettings
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 5432;
    QString name = QStringLiteral("postgres");
    QString user = QStringLiteral("postgres");
    QString password; // never printed, logged or put in argv
    // Where password came from, for a rejected login: "DB_PASSWORD in /src/hanna/.env" (no value).
    QString passwordSource;
};

// Names of the environment variables that hand the connection to manage.py (Local target)
// and that are read from the project's .env. Hanna's settings read these.
struct DbEnvNames
{
    QString name = QStringLiteral("DB_NAME");
    QString user = QStringLiteral("DB_USER");
    QString password = QStringLiteral("DB_PASSWORD");
    QString host = QStringLiteral("DB_HOST");
    QString port = QStringLiteral("DB_PORT");
};

// Everything MigrationDesk knows about one compose-based Django project.
// A plain value: detected from disk, then overridden by saved settings and command-line flags.
struct ProjectConfig
{
    QString root;               // absolute project folder
    QString composeFile;        // absolute path, empty when none was found
    bool composeFileChosen = false; // the user chose composeFile: commands pass it as -f;
                                // otherwise they pass no -f, and compose finds its files
                                // (override, COMPOSE_FILE) exactly as the user's own commands do
    ComposeVariant composeVariant = ComposeVariant::Plugin; // which compose CLI runs commands:
                                // resolved once per project (ProjectDetector), travels with the config
    QString composeResolvedBy;  // "docker compose config" when compose resolved the project,
                                // empty when MigrationDesk read the file itself (fallback)
    QString envFile;            // absolute path of the .env, empty when missing
    QString composeProjectName; // `docker compose -p`, defaults to the folder name (normalised)
    QString backendDir;         // absolute folder holding manage.py
    QString dbService = QStringLiteral("db");
    QString backendService = QStringLiteral("backend");
    QString containerWorkdir;   // backend folder inside the container, empty = service default
    QString backendMountPoint;  // where the backend container mounts backendDir ("/app"), if it does
    QStringList stackImages;    // "service=image" (pulled) or "service=image=build" for each service
    QString backendContainer;   // `container_name:` of the backend service, empty when compose names it
    bool dbViaContainerAddress = false; // db.host is the db container's address on the compose
                                // network (the service publishes no port): still this machine
    QString dbVolumeKey;        // named volume of the db service in the compose model ("postgres_data")
    QString dbVolumeName;       // its engine name when compose told it ("hanna_postgres_data")
    QStringList backendEnvFiles;   // env_file entries of the backend service (absolute)
    QStringList backendEnvironment; // NAME=value of the backend's resolved environment: read by
                                // the production guard, never shown (it holds secrets)
    DbSettings db;
    DbEnvNames dbEnv;
    TargetKind target = TargetKind::Compose;
    QString python = QStringLiteral("python3"); // Local target: the project's interpreter
    bool allowDestructiveOnProduction = false;

    QString backendRelative() const; // backendDir relative to root, e.g. "whatsappcrm_backend"
    QString managePy() const;        // absolute path of manage.py
};

// One setting that the user (settings dialog, QSettings, CLI flags) chose over detection.
// Empty/unset fields leave the detected value alone.
struct ProjectOverrides
{
    QString composeFile;
    QString backendDir;
    QString dbService;
    QString backendService;
    QString dbHost;
    int dbPort = 0;
    QString dbName;
    QString dbUser;
    QString python;
    QString target; // "compose" | "local"

    bool isEmpty() const;
    void applyTo(ProjectConfig &config) const;
};
