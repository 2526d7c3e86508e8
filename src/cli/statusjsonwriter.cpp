#include "cli/statusjsonwriter.h"

#include "project/projectconfig.h"
#include "status/statussnapshot.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

constexpr qsizetype kFlushAt = 64 * 1024;

// The key that holds the rows, as QJsonDocument indents it at the top level. Strings never
// hold a raw newline, so this text can only be that key.
constexpr char kRowsKey[] = "\n    \"migrations\": [\n    ]";

// Printable ASCII without '"' and '\' is written as is; anything else goes through Qt's own
// escaping, so the rare odd name comes out exactly as QJsonDocument writes it.
void appendString(QByteArray &out, const QString &s)
{
    const char16_t *p = reinterpret_cast<const char16_t *>(s.utf16());
    const qsizetype n = s.size();
    bool plain = true;
    for (qsizetype i = 0; i < n && plain; ++i)
        plain = p[i] >= 0x20 && p[i] < 0x7f && p[i] != u'"' && p[i] != u'\\';
    if (plain) {
        const qsizetype at = out.size();
        out.resize(at + n + 2);
        char *d = out.data() + at;
        *d++ = '"';
        for (qsizetype i = 0; i < n; ++i)
            *d++ = char(p[i]);
        *d = '"';
        return;
    }
    const QByteArray quoted = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    out.append(quoted.constData() + 1, quoted.size() - 2); // without the brackets
}

void appendDigits(char *d, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        d[i] = char('0' + value % 10);
}

// Qt::ISODateWithMs of a UTC time ("2026-11-24T10:00:00.123Z") without QDateTime::toString,
// which dominated the time per row; other time specs and odd years take Qt's path.
void appendApplied(QByteArray &out, const QDateTime &applied)
{
    const QDate date = applied.timeSpec() == Qt::UTC ? applied.date() : QDate();
    if (!date.isValid() || date.year() < 1000 || date.year() > 9999) {
        out += '"' + applied.toString(Qt::ISODateWithMs).toUtf8() + '"';
        return;
    }
    const QTime time = applied.time();
    char d[] = "\"0000-00-00T00:00:00.000Z\"";
    appendDigits(d + 1, date.year(), 4);
    appendDigits(d + 6, date.month(), 2);
    appendDigits(d + 9, date.day(), 2);
    appendDigits(d + 12, time.hour(), 2);
    appendDigits(d + 15, time.minute(), 2);
    appendDigits(d + 18, time.second(), 2);
    appendDigits(d + 21, time.msec(), 3);
    out.append(d, sizeof(d) - 1);
}

// Keys in QJsonObject's (sorted) order, indented as one element of the top-level array.
void appendRow(QByteArray &out, const MigrationRow &r)
{
    out += "        {\n            \"app\": ";
    appendString(out, r.app);
    out += ",\n            \"applied\": ";
    if (r.applied.isValid())
        appendApplied(out, r.applied);
    else
        out += "null";
    out += ",\n            \"file\": ";
    if (r.file.isEmpty())
        out += "null";
    else
        appendString(out, r.file);
    out += ",\n            \"name\": ";
    appendString(out, r.name);
    out += ",\n            \"state\": ";
    appendString(out, migrationStateName(r.state));
    out += "\n        }";
}

} // namespace

QJsonObject StatusJsonWriter::frame(const ProjectConfig &config, const StatusSnapshot &snapshot)
{
    QJsonObject project{
        {QStringLiteral("root"), config.root},
        {QStringLiteral("composeFile"), config.composeFile},
        {QStringLiteral("envFile"), config.envFile},
        {QStringLiteral("composeProject"), config.composeProjectName},
        {QStringLiteral("backendDir"), config.backendDir},
        {QStringLiteral("dbService"), config.dbService},
        {QStringLiteral("backendService"), config.backendService},
        {QStringLiteral("target"), targetKindName(config.target)},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("host"), config.db.host},
                                                 {QStringLiteral("port"), config.db.port},
                                                 {QStringLiteral("name"), config.db.name},
                                                 {QStringLiteral("user"), config.db.user}}},
    };
    QJsonObject counts;
    const auto c = snapshot.counts();
    for (int i = 0; i < int(MigrationState::StateCount); ++i)
        counts.insert(migrationStateName(MigrationState(i)), c[i]);
    return QJsonObject{{QStringLiteral("project"), project},
                       {QStringLiteral("historyTableMissing"), snapshot.historyTableMissing},
                       {QStringLiteral("counts"), counts},
                       {QStringLiteral("migrations"), QJsonArray()}};
}

QJsonObject StatusJsonWriter::rowObject(const MigrationRow &r)
{
    return QJsonObject{
        {QStringLiteral("app"), r.app},
        {QStringLiteral("name"), r.name},
        {QStringLiteral("state"), migrationStateName(r.state)},
        {QStringLiteral("applied"), r.applied.isValid() ? QJsonValue(r.applied.toString(Qt::ISODateWithMs))
                                                        : QJsonValue()},
        {QStringLiteral("file"), r.file.isEmpty() ? QJsonValue() : QJsonValue(r.file)},
    };
}

// Qt writes the frame (project, counts: small, and its escaping is the reference); the rows
// are spliced in where its empty "migrations" array stands.
bool StatusJsonWriter::write(const ProjectConfig &config, const StatusSnapshot &snapshot, QIODevice *out)
{
    const QByteArray document = QJsonDocument(frame(config, snapshot)).toJson(QJsonDocument::Indented);
    const qsizetype at = document.indexOf(kRowsKey);
    if (at < 0 || snapshot.rows.isEmpty())
        return out->write(document) == document.size();
    const qsizetype openEnd = at + qsizetype(sizeof(kRowsKey) - 1) - qsizetype(sizeof("\n    ]") - 1);
    QByteArray buffer = document.left(openEnd + 1); // up to and including "[\n"
    buffer.reserve(kFlushAt + 4096);
    bool ok = true;
    const qsizetype last = snapshot.rows.size() - 1;
    for (qsizetype i = 0; i <= last && ok; ++i) {
        appendRow(buffer, snapshot.rows.at(i));
        buffer += i < last ? ",\n" : "\n";
        if (buffer.size() >= kFlushAt) {
            ok = out->write(buffer) == buffer.size();
            buffer.resize(0); // keeps the capacity
        }
    }
    buffer += QByteArrayView(document).sliced(openEnd + 1); // "    ]" and the rest of the frame
    return ok && out->write(buffer) == buffer.size();
}
