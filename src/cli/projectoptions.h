#pragma once

#include "project/projectloader.h"

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

#include <optional>

class QCommandLineParser;

// The options every headless command shares: --project and the overrides of what was detected
// or saved (--target, --python, --compose-file, --db-host, --db-port, --db-name, --db-user).
// The password never comes from a flag: .env or MIGRATIONDESK_DB_PASSWORD.
namespace ProjectOptions {
QList<QCommandLineOption> options();
void addTo(QCommandLineParser &parser);
// Detects the project, applies its saved settings, then the flags.
ProjectLoadResult resolve(const QCommandLineParser &parser);
// The start every project command shares: parses `migrationdesk COMMAND ARGUMENTS`, answers
// --help, resolves the project and prints its warnings to stderr and its errors (as JSON on stdout
// when --json was given). Returns the exit code to stop with (0 after --help, 2 on an error), or
// nothing to go on.
std::optional<int> prepare(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                           ProjectLoadResult *project);
}
