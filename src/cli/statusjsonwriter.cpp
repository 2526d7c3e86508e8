#include "cli/statusjsonwriter.h"

#include "cli/clioutput.h"
#include "project/projectconfig.h"
#include "status/statussnapshot.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace StatusJsonWriter {

// A fixed 64 KiB buffer in front of the device: rows are many small pieces, and QByteArray's
// append (through insert) cost more than formatting them.
class ChunkedOutput
{
public:
    explicit ChunkedOutput(QIODevice *device) : m_device(device) {}

    void put(const char *data, qsizetype size)
    {
        if (m_used + size > qsizetype(sizeof m_buffer)) {
            flush();
            if (size > qsizetype(sizeof m_buffer)) {
                m_ok = m_ok && m_device->write(data, size) == size;
                return;
            }
        }
        std::memcpy(m_buffer + m_used, data, size_t(size));
        m_used += size;
    }
    template<qsizetype N>
    void put(const char (&literal)[N]) { put(literal, N - 1); }
    void put(QByteArrayView bytes) { put(bytes.data(), bytes.size()); }
    // Room for n bytes written in place, then commit(n).
    char *room(qsizetype n)
    {
        if (m_used + n > qsizetype(sizeof m_buffer))
            flush();
        return m_buffer + m_used;
    }
    void commit(qsizetype n) { m_used += n; }
    bool ok() const { return m_ok; }
    bool finish()
    {
        flush();
        return m_ok;
    }

private:
    void flush()
    {
        if (m_used > 0)
            m_ok = m_ok && m_device->write(m_buffer, m_used) == m_used;
        m_used = 0;
    }

    QIODevice *m_device;
    char m_buffer[64 * 1024];
    qsizetype m_used = 0;
    bool m_ok = true;
};

} // namespace StatusJsonWriter

using StatusJsonWriter::ChunkedOutput;

namespace {

// Printable ASCII without '"' and '\' is written as is; anything else goes through Qt's own
// escaping, so the rare odd name comes out exactly as QJsonDocument writes it.
void putString(ChunkedOutput &out, const QString &s)
{
    const char16_t *p = reinterpret_cast<const char16_t *>(s.constData()); // utf16() may copy
    const qsizetype n = s.size();
    bool plain = n < 4096; // room() needs it to fit the buffer
    for (qsizetype i = 0; i < n && plain; ++i)
        plain = p[i] >= 0x20 && p[i] < 0x7f && p[i] != u'"' && p[i] != u'\\';
    if (plain) {
        char *d = out.room(n + 2);
        *d++ = '"';
        for (qsizetype i = 0; i < n; ++i)
            *d++ = char(p[i]);
        *d = '"';
        out.commit(n + 2);
        return;
    }
    const QByteArray quoted = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    out.put(quoted.constData() + 1, quoted.size() - 2); // without the brackets
}

void putDigits(char *d, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        d[i] = char('0' + value % 10);
}

// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days):
// integers only, where QDateTime::date() and time() each convert through the Julian day.
void civilFromDays(qint64 days, int *year, int *month, int *day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    *day = int(dayOfYear - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yearOfEra + era * 400 + (*month <= 2 ? 1 : 0));
}

// Qt::ISODateWithMs of a UTC time ("2026-11-24T10:00:00.123Z") without QDateTime::toString,
// which dominated the time per row; other time specs and odd years take Qt's path.
void putApplied(ChunkedOutput &out, const QDateTime &applied)
{
    constexpr qint64 msPerDay = 86400000;
    const qint64 ms = applied.timeSpec() == Qt::UTC ? applied.toMSecsSinceEpoch() : 0;
    const qint64 days = ms >= 0 ? ms / msPerDay : (ms - msPerDay + 1) / msPerDay;
    int year = 0, month = 0, day = 0;
    civilFromDays(days, &year, &month, &day);
    if (applied.timeSpec() != Qt::UTC || year < 1000 || year > 9999) {
        out.put("\"");
        out.put(applied.toString(Qt::ISODateWithMs).toUtf8());
        out.put("\"");
        return;
    }
    const qint64 msOfDay = ms - days * msPerDay;
    char d[] = "\"0000-00-00T00:00:00.000Z\"";
    putDigits(d + 1, year, 4);
    putDigits(d + 6, month, 2);
    putDigits(d + 9, day, 2);
    putDigits(d + 12, int(msOfDay / 3600000), 2);
    putDigits(d + 15, int(msOfDay / 60000 % 60), 2);
    putDigits(d + 18, int(msOfDay / 1000 % 60), 2);
    putDigits(d + 21, int(msOfDay % 1000), 3);
    out.put(d);
}

void putCommit(ChunkedOutput &out, const GitCommitRef &c)
{
    if (c.isNull()) {
        out.put("null");
        return;
    }
    out.put("{\n                    \"date\": ");
    putString(out, c.date.toString(Qt::ISODate));
    out.put(",\n                    \"hash\": ");
    putString(out, c.hash);
    out.put(",\n                    \"subject\": ");
    putString(out, c.subject);
    out.put("\n                }");
}

// Keys in QJsonObject's (sorted) order, indented as one element of the top-level array.
void putRow(ChunkedOutput &out, const MigrationRow &r, const MigrationProvenance *git)
{
    out.put("        {\n            \"app\": ");
    putString(out, r.app);
    out.put(",\n            \"applied\": ");
    if (r.applied.isValid())
        putApplied(out, r.applied);
    else
        out.put("null");
    out.put(",\n            \"dependencies\": [");
    if (!r.dependencies.isEmpty()) {
        for (qsizetype i = 0; i < r.dependencies.size(); ++i) {
            out.put(i == 0 ? "\n                " : ",\n                ");
            putString(out, r.dependencies.at(i));
        }
    }
    out.put("\n            ]"); // QJsonDocument writes an empty array on two lines too
    out.put(",\n            \"file\": ");
    if (r.file.isEmpty())
        out.put("null");
    else
        putString(out, r.file);
    out.put(",\n            \"git\": ");
    if (!git) {
        out.put("null");
    } else {
        out.put("{\n                \"addedIn\": ");
        putCommit(out, git->addedIn);
        out.put(",\n                \"deletedIn\": ");
        putCommit(out, git->deletedIn);
        out.put(",\n                \"onBranches\": [");
        for (qsizetype i = 0; i < git->onBranches.size(); ++i) {
            out.put(i == 0 ? "\n                    " : ",\n                    ");
            putString(out, git->onBranches.at(i));
        }
        out.put("\n                ]\n            }");
    }
    out.put(",\n            \"name\": ");
    putString(out, r.name);
    out.put(r.outOfOrder ? ",\n            \"outOfOrder\": true" : ",\n            \"outOfOrder\": false");
    out.put(",\n            \"state\": ");
    putString(out, migrationStateName(r.state));
    out.put("\n        }");
}

QJsonObject countsObject(const std::array<int, int(MigrationState::StateCount)> &c)
{
    QJsonObject counts;
    for (int i = 0; i < int(MigrationState::StateCount); ++i)
        counts.insert(migrationStateName(MigrationState(i)), c[i]);
    return counts;
}

// A value as QJsonDocument indents it one level down: for an object under a top-level key.
QByteArray nested(const QJsonObject &object)
{
    QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Indented);
    text.chop(1); // its final '\n'
    return text.replace('\n', "\n    ");
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
    const QJsonObject counts = countsObject(snapshot.counts());
    return CliOutput::document(QStringLiteral("status"),
                               QJsonObject{{QStringLiteral("project"), project},
                                           {QStringLiteral("historyTableMissing"), snapshot.historyTableMissing},
                                           {QStringLiteral("counts"), counts},
                                           {QStringLiteral("migrations"), QJsonArray()}});
}

QJsonValue StatusJsonWriter::provenanceValue(const StatusSnapshot &snapshot, const QString &key)
{
    const auto git = snapshot.provenance.constFind(key);
    if (git == snapshot.provenance.cend())
        return QJsonValue();
    auto commit = [](const GitCommitRef &c) {
        return c.isNull() ? QJsonValue() : QJsonValue(QJsonObject{{QStringLiteral("hash"), c.hash},
                                                                  {QStringLiteral("date"), c.date.toString(Qt::ISODate)},
                                                                  {QStringLiteral("subject"), c.subject}});
    };
    return QJsonObject{{QStringLiteral("addedIn"), commit(git->addedIn)},
                       {QStringLiteral("deletedIn"), commit(git->deletedIn)},
                       {QStringLiteral("onBranches"), QJsonArray::fromStringList(git->onBranches)}};
}

QJsonObject StatusJsonWriter::rowObject(const MigrationRow &r, const StatusSnapshot &snapshot)
{
    return QJsonObject{
        {QStringLiteral("git"), provenanceValue(snapshot, r.key())},
        {QStringLiteral("app"), r.app},
        {QStringLiteral("name"), r.name},
        {QStringLiteral("state"), migrationStateName(r.state)},
        {QStringLiteral("applied"), r.applied.isValid() ? QJsonValue(r.applied.toString(Qt::ISODateWithMs))
                                                        : QJsonValue()},
        {QStringLiteral("file"), r.file.isEmpty() ? QJsonValue() : QJsonValue(r.file)},
        {QStringLiteral("dependencies"), QJsonArray::fromStringList(r.dependencies)},
        {QStringLiteral("outOfOrder"), r.outOfOrder},
    };
}


// Qt writes the frame (project and such: small, and its escaping is the reference) without
// "counts" and "migrations"; the rows follow, then the counts they add up to.
StatusJsonStream::StatusJsonStream(QIODevice *out, const ProjectConfig &config, bool historyTableMissing)
    : m_out(std::make_unique<ChunkedOutput>(out))
{
    StatusSnapshot empty;
    empty.historyTableMissing = historyTableMissing;
    QJsonObject frame = StatusJsonWriter::frame(config, empty);
    frame.remove(QStringLiteral("counts"));
    frame.remove(QStringLiteral("migrations"));
    QByteArray head = QJsonDocument(frame).toJson(QJsonDocument::Indented);
    head.chop(3); // "\n}\n"
    m_out->put(head);
    m_out->put(",\n    \"migrations\": [");
}

StatusJsonStream::~StatusJsonStream() = default;

bool StatusJsonStream::row(const MigrationRow &row, const MigrationProvenance *git)
{
    m_out->put(m_rows++ == 0 ? "\n" : ",\n");
    putRow(*m_out, row, git);
    return m_out->ok();
}

bool StatusJsonStream::finish(const std::array<int, int(MigrationState::StateCount)> &counts)
{
    m_out->put("\n    ],\n    \"counts\": ");
    m_out->put(nested(countsObject(counts)));
    m_out->put("\n}\n");
    return m_out->finish();
}

bool StatusJsonWriter::write(const ProjectConfig &config, const StatusSnapshot &snapshot, QIODevice *out)
{
    StatusJsonStream stream(out, config, snapshot.historyTableMissing);
    for (const MigrationRow &row : snapshot.rows) {
        const auto git = snapshot.provenance.isEmpty() ? snapshot.provenance.cend() : snapshot.provenance.constFind(row.key());
        stream.row(row, git == snapshot.provenance.cend() ? nullptr : &git.value());
    }
    return stream.finish(snapshot.counts());
}
