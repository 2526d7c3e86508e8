#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

// A commit as provenance names it: short enough for a tooltip, exact enough for `git show`.
struct GitCommitRef
{
    QString hash;    // full
    QDateTime date;  // committer date, UTC
    QString subject;

    bool isNull() const { return hash.isEmpty(); }
    QString shortHash() const { return hash.left(10); }
};

// Where one migration's file comes from, or went.
struct MigrationProvenance
{
    QString path;            // project-relative path of the file (for an orphan: where it was)
    GitCommitRef addedIn;    // the oldest commit, on any branch, that added the file
    GitCommitRef deletedIn;  // the newest commit that deleted it (orphans: the row's file gone)
    QStringList onBranches;  // orphans only: local and remote branches whose tip still has the file

    bool isEmpty() const { return addedIn.isNull() && deletedIn.isNull() && onBranches.isEmpty(); }
};

// Git's memory of the project's migration files, read in one batch per project load:
//  - one `git log --all --name-status --diff-filter=AD` over the backend's migration modules gives,
//    for every path ever added or deleted on any branch, the adding and the deleting commit;
//  - only when an orphan row's file is in that history and not deleted everywhere: one
//    `git for-each-ref` and one `git ls-tree` per branch (at most kMaxBranches) say where it is now.
// The number of git processes never grows with the number of migrations. Blocking: worker threads.
struct GitProvenance
{
    bool isRepository = false;
    QString error;                                // git failed (not: "not a repository")
    QHash<QString, MigrationProvenance> byKey;    // "app.name" → provenance
    int gitCalls = 0;                             // processes run (tests hold the batch to its word)
};

class GitProvenanceReader
{
public:
    static constexpr int kMaxBranches = 30;

    // files: "app.name" → project-relative path of each migration file on disk; orphans: keys of
    // rows without a file (their path is found in history by <app>/migrations/<name>.py).
    static GitProvenance read(const QString &projectRoot, const QString &backendDir,
                              const QHash<QString, QString> &files, const QStringList &orphans);

    struct PathHistory
    {
        GitCommitRef added;
        GitCommitRef deleted;
        bool deletedLast = false; // the newest event on any branch is a deletion
    };
    // Parses `git log --format=%x01%H%x02%ct%x02%s --name-status -z` (newest first) into per-path history.
    static QHash<QString, PathHistory> parseLog(const QByteArray &output);

    // read() in two halves, for a reader that must know which rows to look at before it reads
    // them (the status stream): the one `git log`, then what it says of files and orphans.
    struct History
    {
        bool isRepository = false;
        QString error;
        QHash<QString, PathHistory> paths; // project-relative path → its history
        int gitCalls = 0;
        QStringList keys() const; // "app.name" of every migration path git has known
    };
    static History readHistory(const QString &projectRoot, const QString &backendDir);
    static GitProvenance fromHistory(const QString &projectRoot, const History &history,
                                    const QHash<QString, QString> &files, const QStringList &orphans);
};
