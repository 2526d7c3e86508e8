#pragma once

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
    QString envFile;            // absolute path of the .env, empty when missing
    QString composeProjectName; // `docker compose -p`, defaults to the folder name (normalised)
    QString backendDir;         // absolute folder holding manage.py
    QString dbService = QStringLiteral("db");
    QString backendService = QStringLiteral("backend");
    QString containerWorkdir;   // backend folder inside the container, empty = service default
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
