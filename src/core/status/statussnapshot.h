#pragma once

#include "status/migrationstate.h"

#include <QDateTime>
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
    QString file;      // path relative to the project root, empty when there is no file
    QStringList dependencies; // "app.name" keys from Django's graph; empty until the doctor read it

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

    std::array<int, int(MigrationState::StateCount)> counts() const;
    bool allApplied() const; // nothing Pending, Orphan or Inconsistent
};
