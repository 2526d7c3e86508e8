#pragma once

#include "plan/plan.h"

#include <QString>
#include <QStringList>

// What the schema check and the rehearsal share: a copy of the backend to run Django on, and a
// step run with its output said line by line. Both work on scratch things only.
namespace ScratchRun {
// The backend's code without caches, media or virtualenvs: what makemigrations and migrate read.
bool copyTree(const QString &from, const QString &to, QString *error);
// Runs a process step (its env added, secrets masked in what is said). Returns the exit code, -1
// when it did not run to its end; tail gets the last lines (Python's exception) or why it stopped.
int runStep(const ProcessStep &step, const CallContext &context, QString *tail);
// The same; lines that start with reportPrefix are what the step reports to us: they go to
// reports (prefix removed) instead of being said.
int runStep(const ProcessStep &step, const CallContext &context, QString *tail, const QString &reportPrefix,
            QStringList *reports);
}
