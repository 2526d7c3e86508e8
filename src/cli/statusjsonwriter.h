#pragma once

class QIODevice;
class QJsonObject;
class QJsonValue;
class QString;
struct MigrationRow;
struct ProjectConfig;
struct StatusSnapshot;

// Writes exactly what QJsonDocument(statusToJson(config, snapshot)).toJson(Indented) would,
// but the "migrations" array row by row in 64 KiB pieces: at 1,000,000 rows the document
// tree alone took 2 GB and most of the time.
namespace StatusJsonWriter {

// Everything but the rows ("migrations" is an empty array).
QJsonObject frame(const ProjectConfig &config, const StatusSnapshot &snapshot);
// One element of "migrations", as a QJsonObject (the reference the streamed text must match).
QJsonObject rowObject(const MigrationRow &row, const StatusSnapshot &snapshot);
// The row's "git": {addedIn, deletedIn, onBranches} (commits {hash, date, subject} or null), or null.
QJsonValue provenanceValue(const StatusSnapshot &snapshot, const QString &key);

// False when the device refused a write.
bool write(const ProjectConfig &config, const StatusSnapshot &snapshot, QIODevice *out);

} // namespace StatusJsonWriter
