#pragma once

#include "plan/plan.h"
#include "plan/runresult.h"

#include <QString>

// Every run appended to a per-project file as one JSON line: plan, steps (masked), start, end,
// exit codes, user and host. Never a secret.
class OperationLog
{
public:
    // <state dir>/projects/<sha1 of the canonical root>/operations.jsonl, where the state dir is
    // $MIGRATIONDESK_STATE_DIR when set (tests), else QStandardPaths::AppDataLocation.
    static QString pathForProject(const QString &projectRoot);

    // Appends one line; false (with error) when the file cannot be written.
    static bool append(const QString &path, const Plan &plan, const RunResult &result,
                       QString *error = nullptr);
};
