#pragma once

#include "ops/operationcatalog.h"

// "Full database reset" (group "Database"): a verified backup of the database first, then
// Compose: down → volume rm (this compose project's postgres volume, found by its labels) →
// up -d → wait until PostgreSQL accepts connections → migrate → optional superuser.
// Local: DROP DATABASE … WITH (FORCE) → CREATE DATABASE on the maintenance connection (database
// "postgres") → migrate → optional superuser.
namespace DatabaseResetPlan {
Plan build(const ProjectConfig &config, const OperationOptions &options);

// How long the wait step waits for PostgreSQL (GuideOption::WaitSeconds, default 120 s).
int waitTimeoutMs(const OperationOptions &options);
}
