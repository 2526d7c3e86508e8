#include "git/gitprovenance.h"

#include "platform/childprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace {

QProcessEnvironment gitEnvironment()
{
    QProcessEnvironment env = ChildProcess::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    env.insert(QStringLiteral("GIT_OPTIONAL_LOCKS"), QStringLiteral("0")); // never the user's index lock
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    return env;
}

QList<QByteArray> splitZ(const QByteArray &data)
{
    QList<QByteArray> parts = data.split('\0');
    if (!parts.isEmpty() && parts.constLast().isEmpty())
        parts.removeLast();
    return parts;
}

} // namespace

QHash<QString, GitProvenanceReader::PathHistory> GitProvenanceReader::parseLog(const QByteArray &output)
{
    QHash<QString, PathHistory> result;
    GitCommitRef current;
    const QList<QByteArray> parts = splitZ(output);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QByteArray part = parts.at(i);
        while (part.startsWith('\n'))
            part.remove(0, 1);
        if (part.startsWith('\x01')) {
            const QList<QByteArray> fields = part.mid(1).split('\x02');
            current.hash = QString::fromLatin1(fields.value(0));
            current.date = QDateTime::fromSecsSinceEpoch(fields.value(1).toLongLong(), Qt::UTC);
            current.subject = QString::fromUtf8(fields.value(2)).trimmed();
            continue;
        }
        if ((part != "A" && part != "D") || i + 1 >= parts.size() || current.isNull())
            continue;
        const QString path = QString::fromUtf8(parts.at(++i));
        PathHistory &h = result[path];
        const bool first = h.added.isNull() && h.deleted.isNull(); // newest event: log is newest first
        if (part == "A") {
            h.added = current; // keeps being replaced: the last one seen is the oldest
        } else if (h.deleted.isNull()) {
            h.deleted = current; // the first seen is the newest
        }
        if (first)
            h.deletedLast = part == "D";
    }
    return result;
}

GitProvenance GitProvenanceReader::read(const QString &projectRoot, const QString &backendDir,
                                        const QHash<QString, QString> &files, const QStringList &orphans)
{
    return fromHistory(projectRoot, readHistory(projectRoot, backendDir), files, orphans);
}

GitProvenanceReader::History GitProvenanceReader::readHistory(const QString &projectRoot, const QString &backendDir)
{
    History history;
    const QString scope = QDir(projectRoot).relativeFilePath(backendDir);
    // --relative: paths relative to the project root, as the scanner's.
    const QString pathspec = QStringLiteral(":(glob)%1/**/migrations/*.py").arg(scope == QLatin1String(".") ? QString() : scope)
                                 .replace(QStringLiteral("(glob)/"), QStringLiteral("(glob)"));
    ++history.gitCalls;
    const ChildProcess::ToolRun log = ChildProcess::runTool(
        QStringLiteral("git"),
        {QStringLiteral("log"), QStringLiteral("--all"), QStringLiteral("--relative"),
         QStringLiteral("--format=%x01%H%x02%ct%x02%s"), QStringLiteral("--name-status"), QStringLiteral("-z"),
         QStringLiteral("--no-renames"), QStringLiteral("--diff-filter=AD"), QStringLiteral("--"), pathspec},
        projectRoot, gitEnvironment());
    if (!log.started) {
        history.error = log.err;
        return history;
    }
    if (log.exitCode != 0) {
        // 128: not a repository (or an unborn branch with nothing to log): nothing to say.
        if (!log.err.contains(QLatin1String("not a git repository")) && !log.err.contains(QLatin1String("does not have any commits")))
            history.error = QStringLiteral("git log failed: %1").arg(log.err);
        history.isRepository = !log.err.contains(QLatin1String("not a git repository"));
        return history;
    }
    history.isRepository = true;
    history.paths = parseLog(log.out);
    return history;
}

QStringList GitProvenanceReader::History::keys() const
{
    QStringList keys;
    for (auto it = paths.cbegin(); it != paths.cend(); ++it) {
        const QStringList parts = it.key().split(QLatin1Char('/'));
        if (parts.size() >= 3 && parts.at(parts.size() - 2) == QLatin1String("migrations")
            && parts.last().endsWith(QLatin1String(".py")))
            keys << parts.at(parts.size() - 3) + QLatin1Char('.') + parts.last().chopped(3);
    }
    keys.removeDuplicates();
    return keys;
}

GitProvenance GitProvenanceReader::fromHistory(const QString &projectRoot, const History &read,
                                              const QHash<QString, QString> &files, const QStringList &orphans)
{
    GitProvenance provenance;
    provenance.isRepository = read.isRepository;
    provenance.error = read.error;
    provenance.gitCalls = read.gitCalls;
    if (!read.isRepository || !read.error.isEmpty() || read.paths.isEmpty())
        return provenance;
    const QHash<QString, PathHistory> &history = read.paths;
    const QProcessEnvironment env = gitEnvironment();

    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const auto h = history.constFind(it.value());
        if (h == history.cend())
            continue; // never committed: untracked
        MigrationProvenance p;
        p.path = it.value();
        p.addedIn = h->added;
        provenance.byKey.insert(it.key(), p);
    }

    // An orphan's file: any path in history ending in <app>/migrations/<name>.py.
    QHash<QString, QString> pathOfOrphan;
    if (!orphans.isEmpty()) {
        QHash<QString, QString> bySuffix; // "app/migrations/name.py" → path
        for (auto it = history.cbegin(); it != history.cend(); ++it) {
            const QStringList parts = it.key().split(QLatin1Char('/'));
            if (parts.size() >= 3)
                bySuffix.insert(parts.mid(parts.size() - 3).join(QLatin1Char('/')), it.key());
        }
        for (const QString &key : orphans) {
            const QString app = key.section(QLatin1Char('.'), 0, 0), name = key.section(QLatin1Char('.'), 1);
            const QString path = bySuffix.value(QStringLiteral("%1/migrations/%2.py").arg(app, name));
            if (path.isEmpty())
                continue;
            const PathHistory &h = history[path];
            MigrationProvenance p;
            p.path = path;
            p.addedIn = h.added;
            p.deletedIn = h.deleted;
            provenance.byKey.insert(key, p);
            pathOfOrphan.insert(key, path);
        }
    }
    if (pathOfOrphan.isEmpty())
        return provenance;

    // Where the orphans' files are now: the branches whose tip tree holds them.
    ++provenance.gitCalls;
    const ChildProcess::ToolRun refs = ChildProcess::runTool(
        QStringLiteral("git"),
        {QStringLiteral("for-each-ref"), QStringLiteral("--format=%(refname:short)"), QStringLiteral("refs/heads"),
         QStringLiteral("refs/remotes")},
        projectRoot, env);
    if (refs.exitCode != 0) {
        provenance.error = QStringLiteral("git for-each-ref failed: %1").arg(refs.err);
        return provenance;
    }
    QStringList branches;
    for (const QByteArray &line : refs.out.split('\n')) {
        const QString ref = QString::fromUtf8(line).trimmed();
        if (!ref.isEmpty() && !ref.endsWith(QLatin1String("/HEAD")))
            branches << ref;
    }
    if (branches.size() > kMaxBranches)
        branches = branches.mid(0, kMaxBranches);
    QStringList orphanPaths(pathOfOrphan.cbegin(), pathOfOrphan.cend());
    orphanPaths.removeDuplicates();
    for (const QString &branch : std::as_const(branches)) {
        ++provenance.gitCalls;
        const ChildProcess::ToolRun tree = ChildProcess::runTool(
            QStringLiteral("git"),
            QStringList{QStringLiteral("ls-tree"), QStringLiteral("--name-only"), QStringLiteral("-z"), branch, QStringLiteral("--")}
                + orphanPaths,
            projectRoot, env);
        if (tree.exitCode != 0)
            continue;
        QSet<QString> present;
        for (const QByteArray &p : splitZ(tree.out))
            present.insert(QString::fromUtf8(p));
        for (auto it = pathOfOrphan.cbegin(); it != pathOfOrphan.cend(); ++it) {
            // ls-tree prints paths relative to the working directory, as our history does.
            if (present.contains(it.value()))
                provenance.byKey[it.key()].onBranches << branch;
        }
    }
    return provenance;
}
