#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// Small, blocking questions to git about branches and trees, asked in the project root (paths
// in and out are relative to it, '/' separated). Never changes anything; no fetch. Worker
// threads and the CLI only.
namespace GitBranches {

struct Answer
{
    bool ok = false;
    QString error; // git failed, or why it did not run
};

// The checked-out branch ("main"), empty on a detached HEAD or outside a repository.
QString currentBranch(const QString &root);
// Local branches (refs/heads), by name.
QStringList localBranches(const QString &root);
// Whether rev names a commit (a branch, remote branch, tag or hash).
bool isCommit(const QString &root, const QString &rev);
// Whether name is a valid branch name for `git switch` (git check-ref-format --branch), never
// an option.
bool isValidBranchName(const QString &root, const QString &name);
// The commit `git switch name` would check out: refs/heads/name, else the only remote branch
// <remote>/name (git's --guess). Empty when neither exists.
QString switchTarget(const QString &root, const QString &name);
// Every file of rev's tree below folder (relative to root; "." for all).
QStringList filesAt(const QString &root, const QString &rev, const QString &folder, Answer *answer = nullptr);
// The content of path at rev (`git show rev:./path`).
QByteArray fileAt(const QString &root, const QString &rev, const QString &path, Answer *answer = nullptr);
// Files that differ between HEAD's tree and rev's (what `git switch rev` rewrites).
QStringList changedAgainst(const QString &root, const QString &rev, Answer *answer = nullptr);
// Tracked files with changes (staged or not) and untracked files not ignored.
QStringList dirtyFiles(const QString &root, Answer *answer = nullptr);

} // namespace GitBranches
