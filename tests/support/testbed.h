#pragma once

// The real test bed every test stands on: a throwaway PostgreSQL 15 cluster (started by the
// CTest fixture "pg" through tests/support/pgcluster.sh), Debian's Django 3.2, the Hanna-shaped
// fixture project in tests/fixtures/hanna and real git. The Docker engine is in dockerbed.h.
// Nothing here is a mock.

#include "project/projectconfig.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace TestBed {

// Django's interpreter: Debian's python3 (the first python3 on PATH may lack Django).
inline constexpr const char *kPython = "/usr/bin/python3";
inline constexpr const char *kPgBin = "/usr/lib/postgresql/15/bin";

// The cluster directory of the CTest fixture: $MIGRATIONDESK_TESTBED, else the build-time default.
QString dir();

// True when the fixture cluster is running and accepts the stored password.
bool available();

// Connection to the fixture cluster (name "postgres"; set .name for your own database).
DbSettings server();

// Connection to the cluster described by a pgcluster.sh DIR (its pg.env and pgpass).
// Returns settings with port 0 when DIR holds no cluster description.
DbSettings clusterSettings(const QString &clusterDir);

// Creates an empty database with a unique name starting with prefix (lower case, [a-z0-9_]),
// on the fixture cluster or on the given server. Returns the name, empty on failure.
QString createDatabase(const QString &prefix);
QString createDatabase(const DbSettings &server, const QString &prefix);
// Drops a database (terminating its sessions first). True when it is gone.
bool dropDatabase(const QString &name);
bool dropDatabase(const DbSettings &server, const QString &name);

// Runs SQL (one or more statements, no results wanted) on db. error gets the driver message.
bool execSql(const DbSettings &db, const QString &sql, QString *error = nullptr);
// Runs a query and returns each row's columns joined by '|' (one string per row).
QStringList queryStrings(const DbSettings &db, const QString &sql, QString *error = nullptr);

// Source of the fixture project (read-only: always work on a copy).
QString fixtureSourceDir();

// Copies tests/fixtures/hanna to parentDir/folderName (spaces and non-ASCII are fine) and
// rewrites its .env for the given server: DB_NAME=db.name, DB_USER, DB_PASSWORD, DB_PORT,
// DB_HOST=127.0.0.1. Without db: the fixture cluster, DB_NAME kept (whatsappcrm_db).
// Returns the absolute project directory, empty on failure. __pycache__ is not copied.
QString copyFixture(const QString &parentDir, const QString &folderName);
QString copyFixture(const QString &parentDir, const QString &folderName, const DbSettings &db);

// The fixture's backend folder inside a project directory.
QString backendDir(const QString &projectDir);
// "app.name" of every numbered migration file (0*.py in an app's migrations/) below backendDir.
QStringList migrationFileKeys(const QString &backendDir);

// A ProjectConfig for TargetKind::Local: /usr/bin/python3, the fixture server, database dbName.
// Filled field by field (no detector involved).
ProjectConfig localConfig(const QString &projectDir, const QString &dbName);
ProjectConfig localConfig(const QString &projectDir, const DbSettings &db);
// The same project as a Compose-target value (plans only; engine tests use DockerBed stacks).
ProjectConfig composeConfig(const QString &projectDir, const DbSettings &db);

// Compose's default project name for a folder: lower case, only [a-z0-9_-].
QString composeProjectName(const QString &projectDir);

// Environment for manage.py: the current one plus DB_NAME/USER/PASSWORD/HOST/PORT of db.
QProcessEnvironment manageEnvironment(const DbSettings &db);

// Runs `/usr/bin/python3 manage.py ARGS` in the backend folder with the DB_* variables in the
// environment (never in argv). output gets stdout and stderr merged. True on exit code 0.
bool runManage(const QString &projectDir, const DbSettings &db, const QStringList &args,
               QString *output = nullptr, int timeoutMs = 120000);

// Runs a program (no shell) in workDir; output gets stdout+stderr merged. Returns the exit
// code, -1 when it failed to start or timed out.
int run(const QString &program, const QStringList &args, const QString &workDir = QString(),
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        QString *output = nullptr, int timeoutMs = 120000);

// A fixture copy with its own fresh database on the fixture cluster, fully migrated by Django.
struct MigratedProject
{
    QString dir;    // project root (has docker-compose.yml, .env, whatsappcrm_backend/)
    QString dbName;
    DbSettings db;  // server() with name = dbName
    ProjectConfig config; // localConfig(dir, db)
    QString error;  // empty on success (with the migrate output when it failed)

    bool ok() const { return error.isEmpty(); }
};
MigratedProject migratedProject(const QString &parentDir, const QString &folderName = QStringLiteral("hanna"));

// Every public table except django_migrations with its row count, "table=count", by name:
// what a repair must leave exactly as it was.
QStringList tableRowCounts(const DbSettings &db);

// The headless flags that point a command at a migrated project: Local target, Debian's
// python, its database (the password comes from the copy's .env).
QStringList localCliArgs(const MigratedProject &project);

// Makes projectDir a git repository (local user.name/email), commits everything, creates a
// bare repository at bareRemoteDir as "origin", pushes and sets the upstream. True on success.
bool initGitRepo(const QString &projectDir, const QString &bareRemoteDir, QString *error = nullptr);

// A private cluster in DIR for tests that stop, start or wipe servers (pgcluster.sh start|stop).
bool startPrivateCluster(const QString &clusterDir, QString *error = nullptr);
bool stopPrivateCluster(const QString &clusterDir, QString *error = nullptr);

// `count` backups of config's project as the safety steps leave them (a dump of dumpBytes, a
// history snapshot, three copied migration files, the manifest written by BackupStore itself),
// one minute apart from 2026-01-01 09:00 + firstIndex minutes on; every third one a manual
// "backup". Returns their ids, oldest first (empty with error set on failure).
QStringList makeBackups(const ProjectConfig &config, int count, qint64 dumpBytes, QString *error = nullptr,
                        int firstIndex = 0);

} // namespace TestBed
