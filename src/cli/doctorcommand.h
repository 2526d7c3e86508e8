#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

// `migrationdesk doctor --project DIR [--json] [--fix [--yes]]`: every inconsistency of the
// migration state, and the recommended repairs.
//   --fix without --yes prints the "Fix all" plan (exact SQL and commands) and exits 2;
//   --fix --yes runs it (snapshot first, SQL in one transaction, Django verifies), then
//   diagnoses again and prints what remains.
// Exit code 0 when nothing is wrong, 1 when findings remain, 2 on an error.
// With --json, errors are the JSON error object on stdout (docs/json-schema.md).
int runDoctorCommand(const QStringList &arguments);
QList<QCommandLineOption> doctorCommandOptions();
