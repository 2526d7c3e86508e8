#pragma once

#include <QtGlobal>

// A child started in its own session (ChildProcess::tieToParent(process, true)) leads a process
// group holding everything it starts. Ending the group ends all of it: what the runner does on
// cancel, on a step's timeout, and when it is destroyed mid-run.
namespace ProcessGroup {
// SIGTERM / SIGKILL to every member; false when the group is gone.
bool terminate(qint64 pgid);
bool kill(qint64 pgid);
// Whether a living member is left (zombies nobody reaped yet do not count).
bool alive(qint64 pgid);
// Blocking end: SIGTERM, up to graceMs for the group to go, then SIGKILL and up to killDeadlineMs.
void endBlocking(qint64 pgid, int graceMs, int killDeadlineMs);
}
