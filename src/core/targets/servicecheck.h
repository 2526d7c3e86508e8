#pragma once

#include "plan/plan.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// Container truth before work: a step that execs into a compose service needs that service's
// container running, serving this project's folder; an `up` step needs its images present.
// Each function asks the real CLI (`compose ps -q`, `docker inspect`, `docker image inspect`) and
// returns one sentence per problem with the command that fixes it; empty when all is well.
// Blocking (a few CLI starts): call it from the pre-flight or a worker thread.
namespace ServiceCheck {
// True when a step from fromStep on execs into a service or needs images: the runner then runs
// a pre-flight even before a plan that changes nothing.
bool needed(const Plan &plan, int fromStep = 0);
QStringList serviceProblems(const ProcessStep &step, const QProcessEnvironment &environment);
QStringList imageProblems(const ProcessStep &step, const QProcessEnvironment &environment);
// The command that starts the step's service, as the user would paste it.
QString startCommand(const ProcessStep &step);
}
