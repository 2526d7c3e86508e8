#pragma once

#include "plan/target.h"
#include "project/composecli.h"

#include <QList>

#include <functional>
#include <memory>

// Every target: a kind (ProjectConfig::target), its settings name and label, and its class.
// Adding one is its class, its TargetKind, and a line in Targets::kinds().
struct TargetKindInfo
{
    TargetKind kind;
    QString label; // for the settings: "Compose (docker compose exec)"
    std::function<std::unique_ptr<Target>(const ProjectConfig &)> make;
};

namespace Targets {
const QList<TargetKindInfo> &kinds();
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
    ProcessStep manageOn(const QString &dbName, const QString &backendCopy, const QStringList &args,
                         const QList<EnvVar> &env = {}) const override;
    ProcessStep psql(const QStringList &args) const override;
    ProcessStep postgresTool(const QString &tool, const QStringList &args) const override;

    QString displayName() const override;
    QString toolProblem() const override;
    QStringList inputs() const override;
    bool keepsDatabaseInVolume() const override;
    QString emptyDatabaseRefusal() const override;
    DatabaseLoss databaseLoss(const QString &volume) const override;
    QList<PlanStep> emptyDatabase(const QString &volume, int waitMs) const override;
    QList<ProcessStep> startServices(const QStringList &services) const override;
    bool isProjectDatabaseHost(const QString &host) const override;
    QString manageHint(const QString &args) const override;
    QString startHint() const override;

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
    ProcessStep manageOn(const QString &dbName, const QString &backendCopy, const QStringList &args,
                         const QList<EnvVar> &env = {}) const override;
    ProcessStep psql(const QStringList &args) const override;
    ProcessStep postgresTool(const QString &tool, const QStringList &args) const override;

    QString displayName() const override;
    QString toolProblem() const override;
    QStringList inputs() const override;
    bool keepsDatabaseInVolume() const override;
    QString emptyDatabaseRefusal() const override;
    DatabaseLoss databaseLoss(const QString &volume) const override;
    QList<PlanStep> emptyDatabase(const QString &volume, int waitMs) const override;
    QList<ProcessStep> startServices(const QStringList &services) const override;
    bool isProjectDatabaseHost(const QString &host) const override;
    QString manageHint(const QString &args) const override;
    QString startHint() const override;

private:
    ProjectConfig m_config;
};
