#pragma once

#include "status/migrationstate.h"

#include <array>
#include <memory>

class QIODevice;
class QJsonObject;
class QJsonValue;
class QString;
struct MigrationProvenance;
struct MigrationRow;
struct ProjectConfig;
struct StatusSnapshot;

namespace StatusJsonWriter {

// Everything but the rows ("migrations" is an empty array): with the rows, the reference form.
QJsonObject frame(const ProjectConfig &config, const StatusSnapshot &snapshot);
// One element of "migrations", as a QJsonObject (the reference the streamed text must match).
QJsonObject rowObject(const MigrationRow &row, const StatusSnapshot &snapshot);
// The row's "git": {addedIn, deletedIn, onBranches} (commits {hash, date, subject} or null), or null.
QJsonValue provenanceValue(const StatusSnapshot &snapshot, const QString &key);

// A whole snapshot through StatusJsonStream. False when the device refused a write.
bool write(const ProjectConfig &config, const StatusSnapshot &snapshot, QIODevice *out);

class ChunkedOutput;

} // namespace StatusJsonWriter

// The status document written as its rows arrive, in 64 KiB pieces: the frame, the
// "migrations" array row by row, then "counts" (after the rows it counts, so nothing has to be
// held back). Parsed, it is the reference form; the keys of the top level are not sorted.
// At 1,000,000 rows a QJsonDocument tree took 2 GB and most of the time.
class StatusJsonStream
{
public:
    StatusJsonStream(QIODevice *out, const ProjectConfig &config, bool historyTableMissing);
    ~StatusJsonStream();

    // False once the device refused a write: the rest would go nowhere.
    bool row(const MigrationRow &row, const MigrationProvenance *git);
    // False when the device refused a write (at any point).
    bool finish(const std::array<int, int(MigrationState::StateCount)> &counts);

private:
    std::unique_ptr<StatusJsonWriter::ChunkedOutput> m_out;
    qsizetype m_rows = 0;
};
