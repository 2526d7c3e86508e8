#pragma once

#include <QString>
#include <QMap>
#include <QStringList>

// What git says before migration files are committed. The GUI calls the same check as the CLI
// (GuideFactsReader::checkCommit) and shows blockers() instead of running the commit.
struct CommitCheck
{
    bool checked = false;
    bool isRepository = false;
    QString repositoryRoot;
    QString branch;           // empty on a detached HEAD
    bool detachedHead = false;
    bool rebaseInProgress = false; // git rebase stopped half-way (HEAD is detached because of it)
    QString upstream;         // "origin/main"; empty when the branch tracks nothing
    QStringList remotes;
    QStringList stagedOther;  // already staged, not a migration file under the backend: refused
    QStringList migrationFiles; // migration files with changes (added, modified, deleted, untracked)
    // Apps whose new migration files git ignores (.gitignore, untracked): makemigrations' output
    // there cannot be committed. All of them: a commit after a reset would have nothing to add.
    QStringList ignoredMigrationApps;
    int appCount = 0;
    QString error;            // git itself failed

    // Human sentences; empty when the commit may run. push: a push was asked for.
    QStringList blockers(bool push) const;
};

// What git and the database say before `switch-branch --to BRANCH` (GuideFactsReader::checkSwitch).
struct BranchSwitchCheck
{
    bool checked = false;
    QString branch;             // as asked
    QString current;            // the checked-out branch; empty when detached
    QString treeRef;            // whose tree is read: refs/heads/BRANCH, or the remote branch git switch would track
    QStringList lacking;        // applied migrations of the project's apps BRANCH has no file for, "app.name", undo order
    // Per app with lacking migrations, where Django goes back to: the last migration BRANCH shares,
    // or "zero"; in undo order (the app applied last first). "app=target".
    QStringList unapplyTo;
    QStringList withoutFile;    // applied rows of the project's apps with no file here either (phantoms)
    QStringList blockingFiles;  // changed or untracked files the switch would overwrite
    QStringList problems;       // why it cannot run (no such branch, no repository, git failed), one sentence each
};

// Facts an operation's plan and its confirmation are built from. They come from the database,
// the disk, docker and git, so reading them blocks (GuideFactsReader, off the GUI thread); the
// plan builders only read this value and stay pure. A fact not read yet is shown as such in the
// preview and blocks the run.
struct GuideFacts
{
    // Apps of the project: every <backend>/<app>/ with a migrations/ folder.
    bool appsKnown = false;
    QStringList projectApps;

    // clear-history: the rows the DELETE will remove (same scope as the statement).
    bool historyCounted = false;
    qint64 historyRows = 0;
    QMap<QString, qint64> historyRowsByApp; // the same rows, counted per app (for the confirmation)

    // delete-files: every <backend>/<app>/migrations/*.py except __init__.py, and each
    // migrations/__pycache__ folder; relative to the project root.
    bool filesListed = false;
    QStringList deletableFiles;

    // reset-database (Compose): volumes labelled with this compose project and its postgres
    // volume key. Exactly one is expected.
    bool volumeChecked = false;
    QString volumeKey;        // the compose file's key, e.g. "postgres_data"
    QStringList postgresVolumes;

    // reset-migrations: tables of the project's apps already exist, so migrate needs --fake-initial.
    bool tablesChecked = false;
    bool appTablesExist = false;
    // migrate: those tables of apps without a row in django_migrations (their initial migration
    // would fail with "relation already exists"; --fake-initial records it instead).
    QStringList unmigratedAppTables;

    CommitCheck commit;
    BranchSwitchCheck branchSwitch;

    // align-schema: the live tables against a scratch migrate (SchemaCheck): the differences and
    // the statements that resolve them. Statements are SQL text from the catalog, not user input.
    bool schemaChecked = false;
    QStringList schemaDifferences;
    QStringList schemaAlignment;     // one statement each
    QStringList schemaReasons;       // why, per statement
    QStringList schemaUnresolved;

    // createsuperuser (and the resets' superuser option): a user of that name is already in
    // auth_user, so createsuperuser would fail at the end (read whenever a username is given).
    bool usernameChecked = false;
    bool usernameTaken = false;

    QStringList errors; // facts that could not be read, one sentence each

    QString postgresVolume() const { return postgresVolumes.size() == 1 ? postgresVolumes.constFirst() : QString(); }
};
