#include "graphexport.h"

#include "migrationgraphview.h"

#include <climits>

bool GraphExport::render(const MigrationGraph &graph, const StatusSnapshot &snapshot, const QString &path, bool svg, QString *error)
{
    MigrationGraphView view;
    view.setLooseNodeLimits(INT_MAX, INT_MAX); // a file shows every row without a file, one by one
    view.setDataSynchronously(graph, snapshot);
    return view.exportTo(path, svg, error);
}
