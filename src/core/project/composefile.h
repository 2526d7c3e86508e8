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

    QString projectName() const { return m_name; } // top-level `name:`, may be empty
    QList<ComposeService> services() const { return m_services; }
    const ComposeService *service(const QString &name) const;
    QStringList namedVolumes() const { return m_volumes; }
    QStringList warnings() const { return m_warnings; }

    // The host port published for a container port of a service, 0 when none.
    int publishedPort(const QString &service, int containerPort) const;

    static bool parsePortSpec(const QString &spec, ComposePort *port);

private:
    QString m_name;
    QList<ComposeService> m_services;
    QStringList m_volumes;
    QStringList m_warnings;
};
