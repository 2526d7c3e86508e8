#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

// `migrationdesk run OPERATION --project DIR [--dry-run] [--yes] [operation flags]` and
// `migrationdesk run --list`. Operation flags: --fake-initial, --apps A,B, --all-apps,
// --username U, --email E (password from MIGRATIONDESK_SUPERUSER_PASSWORD), --superuser,
// --commit, --message M, --push, --wait-seconds N, --resume (continue the last failed run of the
// operation from its failed step).
// arguments: argv without the program name and without "run". A QCoreApplication must exist.
// Returns the exit code: 0 on success, the failing step's exit code, 2 for usage or config errors,
// for a plan with blockers and for a destructive plan without --yes.
// --dry-run exits 2 when the plan would be refused. With --json, stdout is one document: the plan
// (--dry-run), the run's result, or the error object (docs/json-schema.md).
int runOperationCommand(const QStringList &arguments);
QList<QCommandLineOption> runCommandOptions();
