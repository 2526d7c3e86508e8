#pragma once

#include "django/migrationgraph.h"
#include "status/statussnapshot.h"

#include <QHash>
#include <QStringList>

// What the graph adds to one status row: its dependencies (the Dependencies column).
struct StatusGraphInfo
{
    QHash<QString, QStringList> dependencies; // "app.name" → its dependencies, as Django lists them
    QStringList inconsistent;                 // keys marked Inconsistent
};

// Feeds Django's graph into a status snapshot (the doctor's findings feed the status table):
//  - an applied row whose dependency is not applied becomes Inconsistent;
//  - a row without a file is Orphan or External by stateOfRowWithoutFile() (status/migrationstate.h),
//    the doctor's definition too: an Orphan row (file gone) that Django still knows through a squash
//    becomes External; a row of an app outside the project stays External, known to Django or not.
// Returns the dependencies of every row for a Dependencies column.
//
// GUI: after a StatusLoadJob delivers a snapshot, run MigrationDoctor::diagnose on a worker
// (QtConcurrent::run), then on the GUI thread:
//     StatusSnapshot s = current; StatusGraphInfo info = StatusEnricher::enrich(&s, diagnosis.inputs.graph);
// and give `s` and `info.dependencies` to the table model. Skip it when !diagnosis.inputs.graphAvailable.
class StatusEnricher
{
public:
    static StatusGraphInfo enrich(StatusSnapshot *snapshot, const MigrationGraph &graph);
};
