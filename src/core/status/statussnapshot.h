#pragma once

#include "git/gitprovenance.h"
#include "status/migrationstate.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>

// One migration as the status table shows it.
struct MigrationRow
{
    QString app;
    QString name;
    MigrationState state = MigrationState::Pending;
    QDateTime applied; // invalid when there is no row in django_migrations
    qint64 recordId = 0; // django_migrations.id, 0 when there is no row
    bool outOfOrder = false; // applied before one of its dependencies was (both applied)
    QString file;      // path relative to the project root, empty when there is no file
    // "app.name" keys, sorted: what its file declares (dependencies, __first__/__latest__
    // resolved, other files' run_before added) from the load on; Django's graph once the doctor ran.
    QStringList dependencies;

    QString key() const { return app + QLatin1Char('.') + name; }
};

// The reconciled state of a project at one moment: a value, safe to pass between threads.
struct StatusSnapshot
{
    QList<MigrationRow> rows;          // sorted by app, then name
    bool historyTableMissing = false;  // django_migrations does not exist yet
    int recordCount = 0;               // rows read from django_migrations
    int fileCount = 0;                 // migration files found on disk
    QStringList projectApps;           // apps with a migrations folder in the backend
    QStringList unreadableFiles;       // "path: why" for files whose declarations could not be read
    QStringList missingDependencies;   // "a.x needs b.y, which has no file and no row"
    QHash<QString, QStringList> replacements; // squash key → the keys it replaces (from the files)
    bool gitRepository = false;        // the project is in a git repository (provenance was read)
    QHash<QString, MigrationProvenance> provenance; // "app.name" → where its file came from / went

    // Index of the row (app, name) by binary search, -1 when there is none.
    qsizetype find(const QString &app, const QString &name) const;
    qsizetype find(const QString &key) const;
    // Whether Django counts key as applied: its row, a squash whose replaced rows all exist, or a
    // migration replaced by a squash that has a row.
    bool isApplied(const QString &key) const;
    // What a dependency key is to Django: applied; not applied (a file without a row, or a
    // migration of an app outside the project that has other rows); Missing (a project app that
    // has neither its file nor its row: Django's loader would stop); Unknown (an app with no
    // files and no rows here: not migrated, or its migrations live elsewhere).
    enum class Dependency { Applied, NotApplied, Missing, Unknown };
    Dependency dependencyState(const QString &key) const;
    bool hasApp(const QString &app) const; // some row of that app
    // The dependencies of a row that are not applied (what makes it Inconsistent), and those
    // applied after it (what makes it out of order).
    QStringList unappliedDependencies(const MigrationRow &row) const;
    QStringList laterDependencies(const MigrationRow &row) const;

    std::array<int, int(MigrationState::StateCount)> counts() const;
    bool allApplied() const; // nothing Pending, Orphan or Inconsistent
    static bool allApplied(const std::array<int, int(MigrationState::StateCount)> &counts);
};
