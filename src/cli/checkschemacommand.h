#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

// `migrationdesk check-schema --project DIR [--regenerated | --applied | --migration KEY…] [--json]`:
// the schema check headless. Migrates a scratch database of the same server with the project's
// own manage.py, compares the tables the migrations create with the live ones, prints the
// verdict per migration, the differences and the SQL that aligns them. Changes nothing of the
// user's. Exit 0 when everything matches, 1 when something differs, 2 when it could not run.
int runCheckSchemaCommand(const QStringList &arguments);
QList<QCommandLineOption> checkSchemaCommandOptions();
