#pragma once

#include "scan/migrationfile.h"

// Finds migration modules on disk: <backend>/<app>/migrations/*.py and one level deeper
// (<backend>/apps/<app>/migrations), the way Django discovers them.
class MigrationFileScanner
{
public:
    static MigrationFileScan scan(const QString &projectRoot, const QString &backendDir);

    // Django skips modules whose name starts with '_' or '~'.
    static bool isMigrationModule(const QString &fileName);
};
