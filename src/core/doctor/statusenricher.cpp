#include "doctor/statusenricher.h"

#include <QSet>

StatusGraphInfo StatusEnricher::enrich(StatusSnapshot *snapshot, const MigrationGraph &graph)
{
    StatusGraphInfo info;
    if (!snapshot)
        return info;
    const QSet<QString> projectApps(snapshot->projectApps.cbegin(), snapshot->projectApps.cend());
    QSet<QString> inconsistent;
    for (const auto &pair : graph.inconsistentPairs())
        inconsistent.insert(pair.first);
    for (MigrationRow &row : snapshot->rows) {
        const QString key = row.key();
        if (const MigrationNode *node = graph.node(key))
            info.dependencies.insert(key, node->dependencies);
        if (inconsistent.contains(key)
            && (row.state == MigrationState::Applied || row.state == MigrationState::Inconsistent)) {
            row.state = MigrationState::Inconsistent;
            info.inconsistent << key;
        } else if (inconsistent.contains(key) && row.state == MigrationState::External) {
            row.state = MigrationState::Inconsistent; // e.g. admin.0001 applied before auth.0001
            info.inconsistent << key;
        } else if (row.state == MigrationState::Inconsistent && graph.contains(key)) {
            // The files' declarations said so at load; Django's graph is the authority.
            row.state = row.file.isEmpty() ? MigrationState::External : MigrationState::Applied;
        } else if (row.state == MigrationState::External || row.state == MigrationState::Orphan) {
            row.state = stateOfRowWithoutFile(projectApps.contains(row.app),
                                              graph.knows(key) ? DjangoKnows::Yes : DjangoKnows::No);
        }
    }
    return info;
}
