#include "status/statusreconciler.h"

#include <QHash>
#include <QSet>

#include <algorithm>

StatusSnapshot StatusReconciler::reconcile(const QList<MigrationRecord> &records,
                                           const MigrationFileScan &scan, bool historyTableMissing)
{
    StatusSnapshot snapshot;
    snapshot.historyTableMissing = historyTableMissing;
    snapshot.recordCount = int(records.size());
    snapshot.fileCount = int(scan.files.size());
    snapshot.projectApps = scan.apps;

    QHash<QString, const MigrationFile *> files;
    files.reserve(scan.files.size());
    for (const MigrationFile &f : scan.files)
        files.insert(f.app + QLatin1Char('.') + f.name, &f);
    const QSet<QString> projectApps(scan.apps.cbegin(), scan.apps.cend());

    snapshot.rows.reserve(records.size() + scan.files.size());
    QSet<QString> recorded;
    recorded.reserve(records.size());
    for (const MigrationRecord &r : records) {
        MigrationRow row;
        row.app = r.app;
        row.name = r.name;
        row.applied = r.applied;
        row.recordId = r.id;
        const QString key = row.key();
        if (recorded.contains(key))
            continue; // Django never writes duplicates; a hand-edited table might.
        recorded.insert(key);
        if (const MigrationFile *f = files.value(key)) {
            row.state = MigrationState::Applied;
            row.file = f->relativePath;
        } else {
            // A row with no file: ours to call Orphan only when the app's migrations live here.
            row.state = projectApps.contains(r.app) ? MigrationState::Orphan : MigrationState::External;
        }
        snapshot.rows.append(std::move(row));
    }
    for (const MigrationFile &f : scan.files) {
        if (recorded.contains(f.app + QLatin1Char('.') + f.name))
            continue;
        MigrationRow row;
        row.app = f.app;
        row.name = f.name;
        row.state = MigrationState::Pending;
        row.file = f.relativePath;
        snapshot.rows.append(std::move(row));
    }
    std::sort(snapshot.rows.begin(), snapshot.rows.end(), [](const MigrationRow &a, const MigrationRow &b) {
        const int byApp = a.app.compare(b.app);
        return byApp != 0 ? byApp < 0 : a.name < b.name;
    });
    return snapshot;
}
