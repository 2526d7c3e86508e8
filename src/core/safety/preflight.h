#pragma once

#include "plan/plan.h"

#include <QProcessEnvironment>
#include <QStringList>

// What a plan needs before it starts, read from the plan itself (so every plan, whoever built
// it, is checked the same way): the programs on PATH (and a working compose variant), the
// database reachable, the backup folders creatable and writable with room for the backup, and
// the project folders a step deletes from writable. Nothing is changed.
namespace Preflight {
// The problems (one sentence each, with what to do), empty when the plan may start. Blocking
// (starts `docker compose version`, connects to the database): call it off the GUI thread, or let
// GuardedRunner do it (it does for destructive plans).
QStringList check(const Plan &plan,
                  const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                  int fromStep = 0);

// Only the container truth: each compose service a step execs into (before the plan's first
// `up`) runs and serves this project, and every image an `up` step needs is present. Part of
// check(); GuardedRunner also runs it alone before plans that change nothing, so a stopped
// service is named instead of "exit code 1".
QStringList checkServices(const Plan &plan,
                          const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                          int fromStep = 0);

// Bytes free for an unprivileged writer on the filesystem holding path (or its nearest
// existing ancestor); -1 when unknown.
qint64 freeBytes(const QString &path);
}
