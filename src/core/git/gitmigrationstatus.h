#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// Git's view of the migration files of a project. Paths are relative to the project root.
//
// "Modified since applied" is decided from history, not content: a file counts when it has
// uncommitted changes (index or working tree), or when a commit later than the one that added
// it is newer than its row's applied time. Committing a file after applying it (the usual
// makemigrations → migrate → commit) therefore does not count; editing it afterwards does.
// One `git log` covers every file, so the cost does not grow with one process per migration.
struct GitMigrationStatus
{
    bool isRepository = false;
    QString repositoryRoot;
    QString upstream;               // e.g. "origin/main"; empty when the branch tracks none
    QStringList untracked;          // migration files git does not track
    QStringList changed;            // tracked migration files with uncommitted changes
    QSet<QString> upstreamFiles;    // migration files in the upstream branch's tree
    QHash<QString, QList<QDateTime>> commitTimes; // file → commit times, newest first
    QString error;                  // git failed (not: "not a repository")

    // Untracked here but present upstream: `git pull` stops with "untracked working tree files
    // would be overwritten by merge".
    QStringList untrackedInUpstream() const;
    bool modifiedSince(const QString &file, const QDateTime &applied) const;
};

class GitMigrationReader
{
public:
    // Runs git (no shell, no fetch: the upstream tree is what the last fetch brought) in the
    // project. backendDir limits every command to the backend folder. Blocking, < 1 s typically.
    static GitMigrationStatus read(const QString &projectRoot, const QString &backendDir);

    // Whether a path (relative, '/' separated) is a migration module Django would load.
    static bool isMigrationPath(const QString &path);
    // Parses `git status --porcelain=v2 -z` output into untracked and changed paths.
    static void parsePorcelainV2(const QByteArray &output, QStringList *untracked, QStringList *changed);
};
