#pragma once

// Runs a guide operation as the GUI and the CLI do (facts → blockers → plan → PlanRunner) and
// checks the effects a completed reset leaves: shared by the PostgreSQL and the engine tests.

#include "operations/operationcatalog.h"
#include "plan/runresult.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace GuideRun {

extern const QString kSuperPassword;
extern const QStringList kApps;

struct Outcome
{
    RunResult result;
    QString text;        // masked stdout + stderr
    QStringList blockers;
    Plan plan;
};

Outcome runOperation(const QString &name, const ProjectConfig &config, OperationOptions options,
                     const QProcessEnvironment &env, int fromStep = 0);
QString describe(const Outcome &o);
QStringList migrationFiles(const QString &projectDir);
QStringList appRows(const DbSettings &db);
QString git(const QStringList &args, const QString &dir);
OperationOptions superuserOptions();
// The effects every completed reset of the migrations leaves behind (QVERIFYs inside).
void verifyRegenerated(const QString &dir, const DbSettings &db);

} // namespace GuideRun
