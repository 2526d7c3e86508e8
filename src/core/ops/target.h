#pragma once

#include "ops/plan.h"
#include "project/composecli.h"

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

    // The target for config.target; variant is only used by Compose.
    static std::unique_ptr<Target> forProject(const ProjectConfig &config,
                                              ComposeVariant variant = ComposeVariant::Plugin);
};

// `docker compose -f FILE -p PROJECT exec -T [-e NAME…] [-w DIR] SERVICE …`. -T always: output is
// captured, and a TTY would corrupt binary output. Secrets are forwarded with `-e NAME` and set
// in docker's own environment, so argv never holds their value.
class ComposeTarget : public Target
{
public:
    ComposeTarget(const ProjectConfig &config, ComposeVariant variant);

    ProcessStep manage(const QStringList &args, const QList<EnvVar> &env = {}) const override;
    ProcessStep psql(const QStringList &args) const override;
    ProcessStep postgresTool(const QString &tool, const QStringList &args) const override;

    ProcessStep exec(const QString &service, const QStringList &command,
                     const QList<EnvVar> &env = {}, const QString &workdir = QString()) const;
    // A compose command without exec, e.g. {"up", "-d"} or {"down"}.
    ProcessStep compose(const QStringList &args) const;

private:
    QStringList composePrefix() const; // arguments after the program, up to the subcommand

    ProjectConfig m_config;
    ComposeVariant m_variant;
};

// The project's own interpreter in the backend folder, local PostgreSQL tools. The connection
// reaches manage.py through DB_NAME/DB_USER/DB_PASSWORD/DB_HOST/DB_PORT (names from config.dbEnv)
// and psql through PGPASSWORD, both in the environment.
class LocalTarget : public Target
{
public:
    explicit LocalTarget(const ProjectConfig &config);

    ProcessStep manage(const QStringList &args, const QList<EnvVar> &env = {}) const override;
    ProcessStep psql(const QStringList &args) const override;
    ProcessStep postgresTool(const QString &tool, const QStringList &args) const override;

private:
    ProjectConfig m_config;
};
