#include "doctor/doctorrule.h"

#include <algorithm>

// Applied migrations whose file changed in git after they were applied.

using namespace DoctorEvidence;

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    QList<Finding> findings;
    if (in.git.isRepository) {
        Finding f;
        f.kind = FindingKind::ModifiedAppliedMigration;
        f.severity = Severity::Warning;
        for (const MigrationRecord &r : in.records) {
            const QString key = MigrationGraph::makeKey(r.app, r.name);
            const MigrationFile *file = a.fileOf.value(key);
            if (!file || f.migrations.contains(key) || !in.git.modifiedSince(file->relativePath, r.applied))
                continue;
            f.migrations << key;
            f.evidence << (in.git.changed.contains(file->relativePath)
                               ? QStringLiteral("%1 has uncommitted changes; applied %2").arg(file->relativePath, applyTime(r.applied))
                               : QStringLiteral("%1 was changed by a commit of %2, after it was applied %3")
                                     .arg(file->relativePath, applyTime(in.git.commitTimes.value(file->relativePath).constFirst()),
                                          applyTime(r.applied)));
        }
        if (!f.migrations.isEmpty()) {
            f.title = QStringLiteral("%1 applied migration(s) changed since they were applied").arg(f.migrations.size());
            f.explanation = QStringLiteral(
                "Django never re-runs an applied migration, so edits to these files did not reach this database "
                "and the schema may differ from what the files describe. Revert the edit and add a new migration "
                "instead, or re-apply deliberately.");
            findings << f;
        }
    }
    return findings;
}

} // namespace

DoctorRule modifiedAppliedMigrationRule()
{
    return {FindingKind::ModifiedAppliedMigration, QStringLiteral("ModifiedAppliedMigration"), QStringLiteral("Modified applied migration"), false, 6, analyse};
}
