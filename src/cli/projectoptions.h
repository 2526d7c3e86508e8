#pragma once

#include "project/projectloader.h"

class QCommandLineParser;

// The options every headless command shares: --project and the overrides of what was detected
// or saved (--target, --python, --compose-file, --db-host, --db-port, --db-name, --db-user).
// The password never comes from a flag: .env or MIGRATIONDESK_DB_PASSWORD.
namespace ProjectOptions {
void addTo(QCommandLineParser &parser);
// Detects the project, applies its saved settings, then the flags.
ProjectLoadResult resolve(const QCommandLineParser &parser);
}
