#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// Formats UTC times as local "yyyy-MM-dd HH:mm:ss", what toLocalTime().toString() gives, for
// a whole table: the zone's offsets over the table's range are looked up once (one offset, or
// one per DST change), so a row costs a binary search and some digits, not a zone conversion.
class LocalTimeFormatter
{
public:
    // first..last: the earliest and latest time that will be formatted.
    LocalTimeFormatter(const QDateTime &first, const QDateTime &last);

    QString format(const QDateTime &utc) const;
    void appendTo(QString *out, const QDateTime &utc) const; // the same, appended

private:
    struct Span
    {
        qint64 fromMSecs; // UTC, inclusive
        int offsetSeconds;
    };
    QList<Span> m_spans; // ascending; empty: convert per row (no usable system zone)
    qint64 m_firstMSecs = 0;
    qint64 m_lastMSecs = 0;
};
