#pragma once

#include "operations/operation.h"

// "Automated migration reset": the guide end to end as one plan. Backups first (database,
// django_migrations, the migration files), then clear history → delete files → makemigrations →
// migrate (--fake-initial when the apps' tables already exist: facts.appTablesExist) →
// optional superuser → optional commit (add, commit, push).
namespace AutomatedResetPlan {
Plan build(const ProjectConfig &config, const OperationOptions &options);

// Whether the migrate step gets --fake-initial: asked for, or the tables exist.
bool usesFakeInitial(const OperationOptions &options);
}
