#pragma once

#include "plan/plan.h"

#include <memory>

// How a step reaches the project. Builders of plans ask a target for process steps and never
// care whether they run in a container or on this machine.
class Target
{
public:
    virtual ~Target() = default;

    // `python manage.py ARGS` in the backend (container or folder); env is added to its environment.
    virtual ProcessStep manage(const QStringList &args, const QList<EnvVar> &env = {}) const = 0;
    // `psql -U USER -d NAME ARGS` against the project's database.
    virtual ProcessStep psql(const QStringList &args) const = 0;
    // A PostgreSQL client tool (pg_dump, pg_restore) with ARGS, for the project's database: in the
    // db container for Compose (exec -T: binary output), from PATH for Local (connection in
    // PGHOST/PGPORT/PGUSER/PGPASSWORD, the password only in the environment).
    virtual ProcessStep postgresTool(const QString &tool, const QStringList &args) const = 0;
};
