#include "db/migrationrecordstore.h"

#include <QSqlError>
#include <QSqlQuery>


namespace {

// QPSQL hands timestamptz over as text; Qt's generic parser is the slowest part of reading
// 100,000 rows, so read PostgreSQL's fixed ISO output ("2026-11-24 10:00:00.123456+00") here.
QDateTime parsePgTimestamp(const QString &s)
{
    auto num = [&s](int from, int len) {
        int v = 0;
        for (int i = from; i < from + len && i < s.size(); ++i)
            v = v * 10 + (s.at(i).unicode() - '0');
        return v;
    };
    if (s.size() < 19)
        return {};
    const QDate date(num(0, 4), num(5, 2), num(8, 2));
    int ms = 0;
    int i = 19;
    if (i < s.size() && s.at(i) == QLatin1Char('.')) {
        int digits = 0;
        for (++i; i < s.size() && s.at(i).isDigit(); ++i, ++digits) {
            if (digits < 3)
                ms = ms * 10 + (s.at(i).unicode() - '0');
        }
        for (; digits < 3; ++digits)
            ms *= 10;
    }
    int offsetSeconds = 0;
    if (i < s.size() && (s.at(i) == QLatin1Char('+') || s.at(i) == QLatin1Char('-'))) {
        const int sign = s.at(i) == QLatin1Char('-') ? -1 : 1;
        offsetSeconds = num(i + 1, 2) * 3600;
        if (i + 5 < s.size() && s.at(i + 3) == QLatin1Char(':'))
            offsetSeconds += num(i + 4, 2) * 60;
        offsetSeconds *= sign;
    }
    const QTime time(num(11, 2), num(14, 2), num(17, 2), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

} // namespace

QString MigrationRecordStore::historySql()
{
    return QStringLiteral("SELECT app, name, applied FROM django_migrations ORDER BY applied");
}

QString MigrationRecordStore::readAllSql()
{
    // applied as text in a fixed format (see parsePgTimestamp); rows in byte order of app and
    // name, the order the reconciler merges them with the files in.
    return QStringLiteral("SELECT id, app, name, to_char(applied AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                          "FROM django_migrations ORDER BY app COLLATE \"C\", name COLLATE \"C\", id");
}

bool MigrationRecordStore::historyTableExists(QString *error) const
{
    QSqlQuery query(m_db);
    // to_regclass follows the search_path, as Django does.
    if (!query.exec(QStringLiteral("SELECT to_regclass('django_migrations') IS NOT NULL")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    return query.value(0).toBool();
}

bool MigrationRecordStore::readAll(QList<MigrationRecord> *records, QString *error) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(readAllSql())) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    records->clear();
    if (query.size() > 0)
        records->reserve(query.size());
    while (query.next()) {
        MigrationRecord r;
        r.id = query.value(0).toLongLong();
        r.app = query.value(1).toString();
        r.name = query.value(2).toString();
        r.applied = parsePgTimestamp(query.value(3).toString());
        records->append(std::move(r));
    }
    return true;
}
