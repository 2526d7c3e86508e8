#pragma once

#include "operations/operation.h"

// Blockers several operations share (the reset runs the steps' own checks).
namespace OperationBlockers {
// Facts the operation reads that are not known yet.
QStringList unreadFacts(Facts facts, const ProjectConfig &config, const OperationOptions &options);
// clear-history and the reset: no app of the project has a migrations folder.
QStringList noHistory(const ProjectConfig &config, const OperationOptions &options);
// createsuperuser, and the resets ending with one: a username and a password.
QStringList superuser(const OperationOptions &options);
// commit, and the reset ending with one: what git says against it.
QStringList commit(const OperationOptions &options);
}
