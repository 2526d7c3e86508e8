#include "git/gitbranches.h"

#include "platform/childprocess.h"

#include <QProcessEnvironment>

namespace {

ChildProcess::ToolRun git(const QString &root, const QStringList &args)
{
    QProcessEnvironment env = ChildProcess::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0")); // never the user's index lock
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    return ChildProcess::runTool(QStringLiteral("git"), args, root, env);
}

QStringList splitZ(const QByteArray &data)
{
    QStringList parts;
    for (const QByteArray &part : data.split('\0')) {
        if (!part.isEmpty())
            parts << QString::fromUtf8(part);
    }
    return parts;
}

bool answered(const ChildProcess::ToolRun &run, const QString &what, GitBranches::Answer *answer)
{
    const bool ok = run.exitCode == 0;
    if (answer) {
        answer->ok = ok;
        answer->error = ok ? QString() : QStringLiteral("git %1 failed: %2").arg(what, run.err);
    }
    return ok;
}

} // namespace

namespace GitBranches {

QString currentBranch(const QString &root)
{
    const auto run = git(root, {QStringLiteral("symbolic-ref"), QStringLiteral("-q"), QStringLiteral("--short"), QStringLiteral("HEAD")});
    return run.exitCode == 0 ? QString::fromUtf8(run.out).trimmed() : QString();
}

QStringList localBranches(const QString &root)
{
    const auto run = git(root, {QStringLiteral("for-each-ref"), QStringLiteral("--format=%(refname:short)"), QStringLiteral("refs/heads")});
    QStringList names;
    if (run.exitCode != 0)
        return names;
    for (const QByteArray &line : run.out.split('\n')) {
        const QString name = QString::fromUtf8(line).trimmed();
        if (!name.isEmpty())
            names << name;
    }
    names.sort();
    return names;
}

bool isCommit(const QString &root, const QString &rev)
{
    if (rev.isEmpty() || rev.startsWith(QLatin1Char('-')))
        return false;
    return git(root, {QStringLiteral("rev-parse"), QStringLiteral("--verify"), QStringLiteral("--quiet"),
                      rev + QStringLiteral("^{commit}")})
               .exitCode
        == 0;
}

bool isValidBranchName(const QString &root, const QString &name)
{
    if (name.isEmpty() || name.startsWith(QLatin1Char('-')))
        return false;
    return git(root, {QStringLiteral("check-ref-format"), QStringLiteral("--branch"), name}).exitCode == 0;
}

QString switchTarget(const QString &root, const QString &name)
{
    if (!isValidBranchName(root, name))
        return QString();
    if (isCommit(root, QStringLiteral("refs/heads/") + name))
        return QStringLiteral("refs/heads/") + name;
    const auto refs = git(root, {QStringLiteral("for-each-ref"), QStringLiteral("--format=%(refname)"), QStringLiteral("refs/remotes")});
    QStringList matches;
    for (const QByteArray &line : refs.out.split('\n')) {
        const QString ref = QString::fromUtf8(line).trimmed();
        // refs/remotes/<remote>/<name>, the remote being one path component
        const QString rest = ref.mid(int(qstrlen("refs/remotes/")));
        if (ref.startsWith(QLatin1String("refs/remotes/")) && rest.section(QLatin1Char('/'), 1) == name)
            matches << ref;
    }
    return matches.size() == 1 ? matches.constFirst() : QString();
}

QStringList filesAt(const QString &root, const QString &rev, const QString &folder, Answer *answer)
{
    const auto run = git(root, {QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"),
                                QStringLiteral("-z"), rev, QStringLiteral("--"), folder.isEmpty() ? QStringLiteral(".") : folder});
    return answered(run, QStringLiteral("ls-tree"), answer) ? splitZ(run.out) : QStringList();
}

QByteArray fileAt(const QString &root, const QString &rev, const QString &path, Answer *answer)
{
    const auto run = git(root, {QStringLiteral("show"), rev + QStringLiteral(":./") + path});
    return answered(run, QStringLiteral("show"), answer) ? run.out : QByteArray();
}

QStringList changedAgainst(const QString &root, const QString &rev, Answer *answer)
{
    const auto run = git(root, {QStringLiteral("diff"), QStringLiteral("--relative"), QStringLiteral("--name-only"),
                                QStringLiteral("--no-renames"), QStringLiteral("-z"), QStringLiteral("HEAD"), rev, QStringLiteral("--")});
    return answered(run, QStringLiteral("diff"), answer) ? splitZ(run.out) : QStringList();
}

QStringList dirtyFiles(const QString &root, Answer *answer)
{
    const auto tracked = git(root, {QStringLiteral("diff"), QStringLiteral("--relative"), QStringLiteral("--name-only"),
                                    QStringLiteral("--no-renames"), QStringLiteral("-z"), QStringLiteral("HEAD"), QStringLiteral("--")});
    if (!answered(tracked, QStringLiteral("diff HEAD"), answer))
        return {};
    const auto untracked = git(root, {QStringLiteral("ls-files"), QStringLiteral("--others"), QStringLiteral("--exclude-standard"),
                                      QStringLiteral("-z")});
    if (!answered(untracked, QStringLiteral("ls-files"), answer))
        return {};
    return splitZ(tracked.out) + splitZ(untracked.out);
}

} // namespace GitBranches
