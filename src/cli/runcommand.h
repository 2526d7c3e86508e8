#pragma once

#include <QStringList>

// `migrationdesk run OPERATION --project DIR [--dry-run] [--yes]` and `migrationdesk run --list`.
// arguments: argv without the program name and without "run". A QCoreApplication must exist.
// Returns the exit code: 0 on success, the failing step's exit code, 2 for usage or config errors
// and for a destructive plan without --yes.
int runOperationCommand(const QStringList &arguments);
