#pragma once

#include "project/projectconfig.h"

#include <QString>
#include <QStringList>

// Per-project settings the user chose (QSettings, keyed by the project's canonical path),
// and the Recent Projects list.
class ProjectSettingsStore
{
public:
    static ProjectOverrides load(const QString &projectRoot);
    static void save(const QString &projectRoot, const ProjectOverrides &overrides);

    static QStringList recentProjects();
    static void addRecentProject(const QString &projectRoot); // most recent first, at most 10
    static void removeRecentProject(const QString &projectRoot);
};
