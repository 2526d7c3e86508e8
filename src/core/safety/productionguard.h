#pragma once

#include "plan/plan.h"
#include "project/projectconfig.h"

#include <QString>
#include <QStringList>

// Refuses destructive plans on what looks like production: a database host that is not this
// machine (or the compose project's own db service), a `.env.prod`/`.env.production`, an env
// file named *prod*, DEBUG=False, or DJANGO_SETTINGS_MODULE naming prod. The override is the
// project profile's allowDestructiveOnProduction AND the database name typed by the user.
namespace ProductionGuard {

// Why the project looks like production; empty when it looks like development.
QStringList reasons(const ProjectConfig &config);

// Empty when plan may run; else the refusal to show (what, why, how to override).
// typedDatabaseName: what the user typed in the confirmation (GUI) or --confirm-database (CLI).
QString refusal(const ProjectConfig &config, const Plan &plan, const QString &typedDatabaseName = QString());

bool isLocalHost(const QString &host);
}
