#pragma once

#include "plan/target.h"
#include "project/composecli.h"

#include <memory>

namespace Targets {
// The target for config.target (Compose runs config.composeVariant).
std::unique_ptr<Target> forProject(const ProjectConfig &config);
}

// `docker compose -f FILE -p PROJECT exec -T [-e NAME…] [-w DIR] SERVICE …`. -T always: output is
// captured, and a TTY would corrupt binary output. Secrets are forwarded with `-e NAME` and set
// in docker's own environment, so argv never holds their value.
class ComposeTarget : public Target
{
public:
    explicit ComposeTarget(const ProjectConfig &config);

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
