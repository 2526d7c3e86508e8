#pragma once

#include "project/variableinterpolator.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// The parts of a compose file MigrationDesk needs, read with yaml-cpp and interpolated
// with the project's .env.
struct ComposePort
{
    QString hostIp;
    int published = 0; // 0 when the port is not published on the host
    int target = 0;
};

struct ComposeVolumeMount
{
    QString source; // host path (relative to the compose file) or named volume
    QString target; // path inside the container
};

struct ComposeService
{
    QString name;
    QString image;
    QString buildContext;
    QString workingDir;
    QString containerName;      // `container_name:`, empty when compose names the container
    QStringList envFiles;       // `env_file:` entries, absolute (only from the files themselves)
    QList<ComposePort> ports;
    QList<ComposeVolumeMount> volumes;
    QHash<QString, QString> environment;
};

class ComposeFile
{
public:
    // Candidate names, in docker compose's order of preference.
    static QStringList fileNames();
    static QString findIn(const QString &folder);

    static ComposeFile load(const QString &path, const VariableInterpolator &interpolator,
                            QString *error);
    // The model compose itself printed (`config --format json` of v2 or `config` of v1): already
    // interpolated and merged (override files, env_file contents, profiles), so nothing is
    // expanded again. label names the source in error messages.
    static ComposeFile fromResolved(const QByteArray &text, const QString &label, QString *error);

    QString projectName() const { return m_name; } // top-level `name:`, may be empty
    QList<ComposeService> services() const { return m_services; }
    const ComposeService *service(const QString &name) const;
    QStringList namedVolumes() const { return m_volumes; }
    QStringList warnings() const { return m_warnings; }

    // The host port published for a container port of a service, 0 when none.
    int publishedPort(const QString &service, int containerPort) const;

    static bool parsePortSpec(const QString &spec, ComposePort *port);

    // The key of the named volume mounted into a service (e.g. "postgres_data") and the engine's
    // name for it when compose told it ("hanna_postgres_data"); empty when there is none.
    QString namedVolumeOf(const QString &service) const;
    QString volumeName(const QString &key) const { return m_volumeNames.value(key); }

private:
    static ComposeFile parse(const QByteArray &text, const QString &label, const QString &baseDir,
                             const VariableInterpolator *interpolator, QString *error);

    QString m_name;
    QHash<QString, QString> m_volumeNames;
    QList<ComposeService> m_services;
    QStringList m_volumes;
    QStringList m_warnings;
};
