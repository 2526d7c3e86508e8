#include "cli/localtimeformatter.h"

#include <QTimeZone>

#include <algorithm>

namespace {

QString slowFormat(const QDateTime &t)
{
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

void putDigits(char16_t *d, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        d[i] = char16_t(u'0' + value % 10);
}

} // namespace

LocalTimeFormatter::LocalTimeFormatter(const QDateTime &first, const QDateTime &last)
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    if (!zone.isValid() || !first.isValid() || !last.isValid() || last < first)
        return;
    m_firstMSecs = first.toMSecsSinceEpoch();
    m_lastMSecs = last.toMSecsSinceEpoch();
    m_spans.append({m_firstMSecs, zone.offsetFromUtc(first)});
    for (const QTimeZone::OffsetData &t : zone.transitions(first, last))
        m_spans.append({t.atUtc.toMSecsSinceEpoch(), t.offsetFromUtc});
    // The zone database and the C library (which toLocalTime() asks) must agree: checked at
    // both ends, otherwise every row takes the slow, always-right path.
    for (const QDateTime &probe : {first, last}) {
        if (probe.toLocalTime().offsetFromUtc() != zone.offsetFromUtc(probe)) {
            m_spans.clear();
            return;
        }
    }
}

QString LocalTimeFormatter::format(const QDateTime &utc) const
{
    QString out;
    appendTo(&out, utc);
    return out;
}

void LocalTimeFormatter::appendTo(QString *out, const QDateTime &utc) const
{
    if (!utc.isValid())
        return;
    const qint64 msecs = utc.toMSecsSinceEpoch();
    if (m_spans.isEmpty() || msecs < m_firstMSecs || msecs > m_lastMSecs) {
        *out += slowFormat(utc);
        return;
    }
    const auto span = std::upper_bound(m_spans.cbegin(), m_spans.cend(), msecs,
                                       [](qint64 v, const Span &s) { return v < s.fromMSecs; }) - 1;
    const qint64 local = msecs / 1000 + span->offsetSeconds;
    if (local < 0) { // before 1970: integer division would round the wrong way
        *out += slowFormat(utc);
        return;
    }
    const qint64 days = local / 86400;
    const int secs = int(local % 86400);
    int year = 0, month = 0, day = 0;
    QDate::fromJulianDay(2440588 + days).getDate(&year, &month, &day); // 1970-01-01
    if (year < 1000 || year > 9999) {
        *out += slowFormat(utc);
        return;
    }
    const qsizetype at = out->size();
    out->resize(at + 19);
    char16_t *d = reinterpret_cast<char16_t *>(out->data()) + at;
    putDigits(d, year, 4);
    d[4] = u'-';
    putDigits(d + 5, month, 2);
    d[7] = u'-';
    putDigits(d + 8, day, 2);
    d[10] = u' ';
    putDigits(d + 11, secs / 3600, 2);
    d[13] = u':';
    putDigits(d + 14, secs / 60 % 60, 2);
    d[16] = u':';
    putDigits(d + 17, secs % 60, 2);
}
