#pragma once

#include "db/migrationrecordstore.h"
#include "project/projectconfig.h"
#include "status/statussnapshot.h"

#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <memory>

class DatabaseConnection;

// The status row by row, for output that neither waits for nor holds the whole table (the
// CLI's `status` at a million rows). The rows the migration files name — their own, their
// dependencies, run_before and replaces targets, every row of an app outside the project
// that one of them depends on, and the rows whose file git remembers — are read first and reconciled as StatusLoader does (that is
// named()). Every other django_migrations row has no file and nothing depends on it: Orphan
// or External on its own, so it is reconciled as it arrives and dropped. Both reads run in one
// read-only REPEATABLE READ transaction, so they see the same table. Memory follows the files,
// not the table. Blocking, like StatusLoader.
class StatusStream
{
public:
    struct Options
    {
        bool readGit = true;      // provenance for named rows and for orphans as they pass
        bool readExtent = false;  // widths and time range for a table printed row by row
    };

    StatusStream();
    ~StatusStream();

    // Scans the files, connects, reads what the files name (and the extent when asked). False
    // with error() set when the database cannot be read.
    bool open(const ProjectConfig &config, const Options &options);
    // Every row, sorted by app then name, exactly as StatusLoader's snapshot would list them;
    // visit returns false to stop. False with error() set when reading failed midway: the rows
    // visited so far are then not the whole status.
    bool forEach(const std::function<bool(const MigrationRow &)> &visit);

    QString error() const { return m_error; }
    QStringList warnings() const { return m_warnings; }
    bool historyTableMissing() const { return m_named.historyTableMissing; }
    // The rows the files name, reconciled; also what answers unappliedDependencies() and
    // laterDependencies() for them, and holds the provenance (by key) of every row.
    const StatusSnapshot &named() const { return m_named; }
    const MigrationRecordStore::Extent &extent() const { return m_extent; }
    // Where a row's file came from or went, as StatusLoader reads it; null when git has nothing.
    const MigrationProvenance *provenanceOf(const MigrationRow &row) const;
    // Per state, of the rows visited so far.
    const std::array<int, int(MigrationState::StateCount)> &counts() const { return m_counts; }
    bool allApplied() const; // of the rows visited: nothing Pending, Orphan or Inconsistent

private:
    // Connects and starts the transaction both reads run in; the extent when asked.
    bool openHistory(const DbSettings &db, const Options &options, bool *tableExists);

    std::unique_ptr<DatabaseConnection> m_connection;
    StatusSnapshot m_named;
    MigrationRecordStore::Extent m_extent;
    std::array<int, int(MigrationState::StateCount)> m_counts{};
    QString m_error;
    QStringList m_warnings;
};
