#pragma once

#include "plan/plan.h"

// What replacing the project's database with an empty one loses, in words for the confirmation.
struct DatabaseLoss
{
    QString question;  // "Delete volume hanna_postgres_data and with it every table and row of database x?"
    QStringList items; // the concrete things removed
    QString typedWord; // what the user types to confirm
};

// How a step reaches the project. Builders of plans ask a target for process steps and never
// care whether they run in a container or on this machine.
class Target
{
public:
    virtual ~Target() = default;

    // `python manage.py ARGS` in the backend (container or folder); env is added to its environment.
    virtual ProcessStep manage(const QStringList &args, const QList<EnvVar> &env = {}) const = 0;
    // `python manage.py ARGS` pointed at another database of the same server (a scratch copy) and,
    // when backendCopy is set, run on that copy of the backend folder instead of the project's:
    // Compose starts a one-off container (`run --rm --no-deps -v COPY:…`), Local runs in COPY.
    virtual ProcessStep manageOn(const QString &dbName, const QString &backendCopy, const QStringList &args,
                                 const QList<EnvVar> &env = {}) const = 0;
    // `psql -U USER -d NAME ARGS` against the project's database.
    virtual ProcessStep psql(const QStringList &args) const = 0;
    // A PostgreSQL client tool (pg_dump, pg_restore) with ARGS, for the project's database: in the
    // db container for Compose (exec -T: binary output), from PATH for Local (connection in
    // PGHOST/PGPORT/PGUSER/PGPASSWORD, the password only in the environment).
    virtual ProcessStep postgresTool(const QString &tool, const QStringList &args) const = 0;

    // For people: "Compose", "Local".
    virtual QString displayName() const = 0;
    // Why the target's own tool may not answer, empty when it does (Compose: neither compose CLI
    // is installed). Blocking the first time (the answer is cached): not on the GUI thread.
    virtual QString toolProblem() const = 0;
    // How the plan's inputs record the way it reaches the project (a resume must match them).
    virtual QStringList inputs() const = 0;

    // Whether the database's data lives in a volume the full reset must find first (then the
    // caller passes it to emptyDatabase()).
    virtual bool keepsDatabaseInVolume() const = 0;
    // Why the database must not be replaced at all, empty when it may (Local: a server database).
    virtual QString emptyDatabaseRefusal() const = 0;
    // What replacing the database loses, for the confirmation; volume as for emptyDatabase().
    virtual DatabaseLoss databaseLoss(const QString &volume) const = 0;
    // The steps that leave the project with an empty database once it is backed up: Compose
    // removes the db volume and starts the stack again, Local drops and re-creates the database.
    virtual QList<PlanStep> emptyDatabase(const QString &volume, int waitMs) const = 0;

    // Starts stopped services (empty on a target without services).
    virtual QList<ProcessStep> startServices(const QStringList &services) const = 0;
    // Whether host names this project's database on this machine although it is no local name
    // (Compose: the db service's name on the compose network).
    virtual bool isProjectDatabaseHost(const QString &host) const = 0;

    // Commands as the user would type them, for hints: "docker compose exec backend python
    // manage.py ARGS", and the command that starts the project's services (empty when none).
    virtual QString manageHint(const QString &args) const = 0;
    virtual QString startHint() const = 0;
};
