#pragma once

#include "plan/plan.h"

// A dress rehearsal of a plan that migrates: the live database copied into a scratch one
// (pg_dump | pg_restore), the plan's Django and SQL steps replayed there in order on a copy of
// the backend (its file steps applied to the copy), each step timed, the scratch database and
// the copy dropped at the end. Backups, git, compose and checks of the live state are skipped
// and said so. Nothing of the user's changes: a failure here is a failure the real run would hit,
// found without touching the real database.
namespace Rehearsal {
// Whether the plan has a step to rehearse (manage.py or SQL).
bool applies(const Plan &plan);
// The plan that rehearses real: one step, read-only for the user's data.
Plan plan(const ProjectConfig &config, const Plan &real);
}
