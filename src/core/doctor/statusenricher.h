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
    QStringList orphaned;                     // External rows turned into Orphan
};

// Feeds Django's graph into a status snapshot (the doctor's findings feed the status table):
//  - an applied row whose dependency is not applied becomes Inconsistent;
//  - an External row (no file here, e.g. auth) stays External when Django's graph knows it,
//    and becomes Orphan when Django does not know it (an app that was removed);
//  - an Orphan row (file gone) that Django still knows through a squash becomes External.
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
