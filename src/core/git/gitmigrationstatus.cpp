#include "git/gitmigrationstatus.h"

#include "scan/migrationfilescanner.h"
#include "platform/childprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace {

struct GitRun
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

GitRun git(const QString &workDir, const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    // Reading must not take the index lock another git (the user's) may need.
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    const ChildProcess::ToolRun run = ChildProcess::runTool(QStringLiteral("git"), args, workDir, env);
    return {run.exitCode, run.out, run.err};
}

// The text after the first n space-separated fields (a path may itself contain spaces).
QByteArray afterFields(const QByteArray &entry, int n)
{
    qsizetype pos = 0;
    for (int k = 0; k < n; ++k) {
        pos = entry.indexOf(' ', pos);
        if (pos < 0)
            return {};
        ++pos;
    }
    return entry.mid(pos);
}

QList<QByteArray> splitZ(const QByteArray &data)
{
    QList<QByteArray> parts = data.split('\0');
    if (!parts.isEmpty() && parts.constLast().isEmpty())
        parts.removeLast();
    return parts;
}

} // namespace

QStringList GitMigrationStatus::untrackedInUpstream() const
{
    QStringList result;
    for (const QString &file : untracked) {
        if (upstreamFiles.contains(file))
            result << file;
    }
    return result;
}

bool GitMigrationStatus::modifiedSince(const QString &file, const QDateTime &applied) const
{
    if (changed.contains(file))
        return true;
    const QList<QDateTime> times = commitTimes.value(file);
    // times[0] is the newest commit; the last one added the file.
    return times.size() > 1 && applied.isValid() && times.constFirst() > applied;
}

bool GitMigrationReader::isMigrationPath(const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'));
    if (parts.size() < 2 || parts.at(parts.size() - 2) != QLatin1String("migrations"))
        return false;
    const QString file = parts.constLast();
    return file.endsWith(QLatin1String(".py")) && MigrationFileScanner::isMigrationModule(file);
}

void GitMigrationReader::parsePorcelainV2(const QByteArray &output, QStringList *untracked, QStringList *changed)
{
    const QList<QByteArray> entries = splitZ(output);
    for (int i = 0; i < entries.size(); ++i) {
        const QByteArray &e = entries.at(i);
        if (e.startsWith("? ")) {
            untracked->append(QString::fromUtf8(e.mid(2)));
        } else if (e.startsWith("1 ")) {
            // 1 XY sub mH mI mW hH hI path
            const QByteArray path = afterFields(e, 8);
            if (!path.isEmpty())
                changed->append(QString::fromUtf8(path));
        } else if (e.startsWith("2 ")) {
            // 2 XY sub mH mI mW hH hI Xscore path, then the original path as its own entry
            const QByteArray path = afterFields(e, 9);
            if (!path.isEmpty())
                changed->append(QString::fromUtf8(path));
            ++i;
        } else if (e.startsWith("u ")) {
            // u XY sub m1 m2 m3 mW h1 h2 h3 path (unmerged)
            const QByteArray path = afterFields(e, 10);
            if (!path.isEmpty())
                changed->append(QString::fromUtf8(path));
        }
    }
}

GitMigrationStatus GitMigrationReader::read(const QString &projectRoot, const QString &backendDir)
{
    GitMigrationStatus status;
    const GitRun top = git(projectRoot, {QStringLiteral("rev-parse"), QStringLiteral("--show-toplevel")});
    if (top.exitCode != 0) {
        if (top.exitCode < 0)
            status.error = top.err;
        return status; // not a repository: nothing to say
    }
    status.isRepository = true;
    status.repositoryRoot = QString::fromUtf8(top.out).trimmed();
    const QDir repo(status.repositoryRoot);
    const QDir project(QFileInfo(projectRoot).canonicalFilePath());
    const QString scope = repo.relativeFilePath(QFileInfo(backendDir).canonicalFilePath());
    // git speaks in repository paths; the doctor in project paths.
    auto toProject = [&](const QString &repoPath) {
        return project.relativeFilePath(repo.absoluteFilePath(repoPath));
    };

    const GitRun st = git(status.repositoryRoot,
                          {QStringLiteral("status"), QStringLiteral("--porcelain=v2"), QStringLiteral("-z"),
                           QStringLiteral("--untracked-files=all"), QStringLiteral("--"), scope});
    if (st.exitCode != 0) {
        status.error = QStringLiteral("git status failed: %1").arg(st.err);
        return status;
    }
    QStringList untracked, changed;
    parsePorcelainV2(st.out, &untracked, &changed);
    for (const QString &p : std::as_const(untracked)) {
        if (isMigrationPath(p))
            status.untracked << toProject(p);
    }
    for (const QString &p : std::as_const(changed)) {
        if (isMigrationPath(p))
            status.changed << toProject(p);
    }

    const GitRun up = git(status.repositoryRoot,
                          {QStringLiteral("rev-parse"), QStringLiteral("--abbrev-ref"),
                           QStringLiteral("--symbolic-full-name"), QStringLiteral("@{upstream}")});
    if (up.exitCode == 0) {
        status.upstream = QString::fromUtf8(up.out).trimmed();
        const GitRun tree = git(status.repositoryRoot,
                                {QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"),
                                 QStringLiteral("-z"), QStringLiteral("@{upstream}"), QStringLiteral("--"), scope});
        if (tree.exitCode == 0) {
            for (const QByteArray &p : splitZ(tree.out)) {
                const QString path = QString::fromUtf8(p);
                if (isMigrationPath(path))
                    status.upstreamFiles.insert(toProject(path));
            }
        } else {
            status.error = QStringLiteral("git ls-tree %1 failed: %2").arg(status.upstream, tree.err);
        }
    }

    // One pass over history: "\x01<unix time>" then the files that commit touched.
    const GitRun log = git(status.repositoryRoot,
                           {QStringLiteral("log"), QStringLiteral("--format=%x01%ct"), QStringLiteral("--name-only"),
                            QStringLiteral("-z"), QStringLiteral("--no-renames"), QStringLiteral("--"), scope});
    if (log.exitCode == 0) {
        QDateTime current;
        for (QByteArray part : splitZ(log.out)) {
            part = part.trimmed();
            if (part.isEmpty())
                continue;
            if (part.startsWith('\x01')) {
                // A commit header may share its entry with the first path after a newline.
                const qsizetype nl = part.indexOf('\n');
                current = QDateTime::fromSecsSinceEpoch(part.mid(1, nl < 0 ? -1 : nl - 1).trimmed().toLongLong(),
                                                        Qt::UTC);
                if (nl < 0)
                    continue;
                part = part.mid(nl + 1).trimmed();
                if (part.isEmpty())
                    continue;
            }
            const QString path = QString::fromUtf8(part);
            if (isMigrationPath(path))
                status.commitTimes[toProject(path)].append(current);
        }
    }
    // An unborn branch has no log: that is not an error.
    return status;
}
