#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

// `migrationdesk backups --project DIR [--json] [--prune KEEP]`: the project's backups (time,
// operation, contents, size), newest first; --prune keeps the newest KEEP and deletes the rest.
// With --json, errors are the JSON error object on stdout (docs/json-schema.md).
int runBackupsCommand(const QStringList &arguments);
QList<QCommandLineOption> backupsCommandOptions();

// `migrationdesk restore BACKUP --project DIR --yes [--confirm-database NAME]`: restores a backup
// (BACKUP is an id from `backups`, or "last" for the last destructive operation's backup), first
// backing up what it overwrites. Without --yes it prints the plan and does nothing.
int runRestoreCommand(const QStringList &arguments);
QList<QCommandLineOption> restoreCommandOptions();
