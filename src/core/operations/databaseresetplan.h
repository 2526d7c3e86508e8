#pragma once

#include "operations/operation.h"

// "Full database reset" (group "Database"): a verified backup of the database first, then
// Compose: down → volume rm (this compose project's postgres volume, found by its labels) →
// up -d → wait until PostgreSQL accepts connections → migrate → optional superuser.
// Local: DROP DATABASE … WITH (FORCE) → CREATE DATABASE on the maintenance connection (database
// "postgres") → migrate → optional superuser.
namespace DatabaseResetPlan {
Plan build(const ProjectConfig &config, const OperationOptions &options);

// Why the Local reset must not DROP config.db.name (one sentence), empty when it may: the server's
// own databases (postgres, template0, template1) and any name but [A-Za-z0-9_]+ are refused, since
// the name comes from a .env file. The Compose reset removes the volume and drops no name.
QString refusedDatabaseName(const ProjectConfig &config);

// How long the wait step waits for PostgreSQL (GuideOption::WaitSeconds, default 120 s).
int waitTimeoutMs(const OperationOptions &options);
}
