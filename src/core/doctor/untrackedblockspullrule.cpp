#include "doctor/doctorrule.h"

#include <algorithm>

// Untracked migration files that exist upstream: `git pull` would stop on them.

using namespace DoctorEvidence;

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;
    const QStringList blocking = in.git.untrackedInUpstream();
    if (!blocking.isEmpty()) {
        Finding f;
        f.kind = FindingKind::UntrackedBlocksPull;
        f.severity = Severity::Error;
        f.title = QStringLiteral("%1 untracked migration file(s) would block git pull").arg(blocking.size());
        f.explanation = QStringLiteral(
            "These files are not tracked here but exist in %1. `git pull` stops with \"untracked working tree "
            "files would be overwritten by merge\". Moving them to a backup folder lets the pull bring the "
            "upstream versions; compare them afterwards if yours differed.")
                            .arg(in.git.upstream);
        for (const QString &file : blocking) {
            f.migrations << keyOfPath(file);
            f.evidence << QStringLiteral("untracked: %1, also in %2").arg(file, in.git.upstream);
        }
        DoctorFix move;
        move.id = QStringLiteral("move-untracked");
        move.title = QStringLiteral("Move them to a backup folder");
        move.explanation = QStringLiteral("Copies each file into a timestamped folder under the project's backups, "
                                          "keeping its relative path, then deletes it from the working tree.");
        move.recommended = true;
        move.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-move-untracked"), move.title);
        move.plan.destructive = true;
        move.plan.steps << DoctorPlans::moveToBackup(ctx, blocking);
        f.fixes << move;
        findings << f;
    }
    return findings;
}

} // namespace

DoctorRule untrackedBlocksPullRule()
{
    return {FindingKind::UntrackedBlocksPull, QStringLiteral("UntrackedBlocksPull"), QStringLiteral("Untracked files block git pull"), false, 3, analyse};
}
