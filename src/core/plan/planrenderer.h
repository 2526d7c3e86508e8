#pragma once

#include "plan/plan.h"

#include <QString>
#include <QStringList>

// Turns a plan into the text every button previews and `run --dry-run` prints: the exact
// commands, quoted so they paste into a terminal, secrets by name only, and the SQL.
class PlanRenderer
{
public:
    // The whole plan: a title line, then each step as "# N. description" and its command(s).
    static QString render(const Plan &plan);

    // One step's command(s) without the description, masked with the plan's secrets.
    // For a process: "cd DIR && NAME=value SECRET=•••• program args < in > out".
    static QString renderStep(const PlanStep &step, const QStringList &secrets);

    static QString renderProcess(const ProcessStep &step);
    static QString renderSql(const SqlStep &step);
    static QString renderFiles(const FileStep &step);
    static QString renderWait(const WaitStep &step);
    static QString renderCall(const CallStep &step);
};
