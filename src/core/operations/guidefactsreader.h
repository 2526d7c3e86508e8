#pragma once

#include "operations/guidefacts.h"
#include "operations/operation.h"

#include <QProcessEnvironment>

#include <functional>

// Reads the facts of GuideFacts from the database, the disk, docker and git. Every function
// BLOCKS (connects, starts processes): the GUI calls them from a worker thread, the CLI
// before it builds the plan. Nothing is changed.
namespace GuideFactsReader {

// Reads what operation's plan and confirmation need (Operation::factsFor(options)).
GuideFacts read(const QString &operation, const ProjectConfig &config, const OperationOptions &options,
                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
// Reads the wanted facts (the project's apps always). cancelled: asked during the schema check
// (a scratch migrate, seconds), which then stops and drops its scratch database.
GuideFacts read(Facts wanted, const ProjectConfig &config, const OperationOptions &options,
                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                const std::function<bool()> &cancelled = {});

// <backend>/<app>/ folders holding a migrations/ folder, by name.
QStringList projectApps(const ProjectConfig &config);
// Every <backend>/<app>/migrations/*.py except __init__.py, then each migrations/__pycache__;
// relative to the project root, sorted.
QStringList deletableFiles(const ProjectConfig &config);

// Rows of django_migrations: all of them (apps empty) or those of apps. -1 on error. A missing
// django_migrations table counts as 0 rows.
qint64 countHistoryRows(const DbSettings &db, const QStringList &apps, QString *error = nullptr);
// Rows of django_migrations per app (every app); empty when the table does not exist or on error.
QMap<QString, qint64> historyRowsByApp(const DbSettings &db, QString *error = nullptr);
// Whether a table of one of apps (Django's default name <app>_<model>) exists in the schemas on
// the search path.
bool appTablesExist(const DbSettings &db, const QStringList &apps, QString *error = nullptr);
// The tables of those apps that have no row in django_migrations yet (or no such table): their
// initial migration would fail with "relation already exists" unless run with --fake-initial.
// Sorted; empty on error.
QStringList unmigratedAppTables(const DbSettings &db, const QStringList &apps, QString *error = nullptr);

// Whether auth_user has a row with this username: 1 yes, 0 no (or no auth_user table), -1 error.
int usernameTaken(const DbSettings &db, const QString &username, QString *error = nullptr);

// The compose file's key of the volume the db service keeps its data in ("postgres_data").
QString postgresVolumeKey(const ProjectConfig &config, QString *error = nullptr);
// `docker volume ls` filtered by the labels com.docker.compose.project=<project> and
// com.docker.compose.volume=<key>: this project's volume only, never another project's.
QStringList findPostgresVolumes(const ProjectConfig &config, const QString &volumeKey,
                                const QProcessEnvironment &environment, QString *error = nullptr);

// git: repository, branch (detached?), upstream, staged changes outside the migration files,
// and the migration files that have changes.
// What switching to branch unapplies, and whether git would let it (a dirty tree in files the
// switch rewrites is refused before anything runs).
BranchSwitchCheck checkSwitch(const ProjectConfig &config, const QString &branch);

CommitCheck checkCommit(const ProjectConfig &config,
                        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
}
