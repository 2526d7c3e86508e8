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

bool MigrationRecordStore::beginSnapshot(QString *error) const
{
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")))
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

void MigrationRecordStore::endSnapshot() const
{
    QSqlQuery(m_db).exec(QStringLiteral("COMMIT")); // read only: nothing to keep or lose
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
    records->clear();
    return forEach([records](const MigrationRecord &r) {
        records->append(r);
        return true;
    }, error);
}

namespace {

// Runs a forward-only SELECT of (id, app, name, applied as readAllSql formats it) and hands
// each row over; a row error (e.g. the server went away mid-stream) ends it with false.
bool visitRecords(QSqlQuery &query, const std::function<bool(const MigrationRecord &)> &visit, QString *error)
{
    MigrationRecord r;
    QString previousApp;
    while (query.next()) {
        r.id = query.value(0).toLongLong();
        // Rows come grouped by app: one string per app, shared by its rows.
        const QString app = query.value(1).toString();
        if (app != previousApp)
            previousApp = app;
        r.app = previousApp;
        r.name = query.value(2).toString();
        r.applied = parsePgTimestamp(query.value(3).toString());
        if (!visit(r))
            return true;
    }
    if (query.lastError().isValid()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    return true;
}

// A PostgreSQL text[] literal, bound as one parameter: {"a","b\"c"}.
QString textArrayLiteral(const QStringList &values)
{
    QString literal = QStringLiteral("{");
    for (const QString &v : values) {
        if (literal.size() > 1)
            literal += QLatin1Char(',');
        QString escaped = v;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        literal += QLatin1Char('"') + escaped + QLatin1Char('"');
    }
    return literal + QLatin1Char('}');
}

} // namespace

bool MigrationRecordStore::forEach(const std::function<bool(const MigrationRecord &)> &visit, QString *error) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(readAllSql())) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    return visitRecords(query, visit, error);
}

bool MigrationRecordStore::readSome(const QStringList &keys, const QStringList &wholeApps,
                                    QList<MigrationRecord> *records, QString *error) const
{
    records->clear();
    if (keys.isEmpty() && wholeApps.isEmpty())
        return true;
    QStringList apps, names;
    for (const QString &key : keys) {
        const qsizetype dot = key.indexOf(QLatin1Char('.'));
        if (dot > 0) {
            apps << key.left(dot);
            names << key.mid(dot + 1);
        }
    }
    QString sql = readAllSql();
    sql.insert(sql.indexOf(QLatin1String(" ORDER BY")),
               QStringLiteral(" WHERE (app, name) IN (SELECT * FROM unnest(?::text[], ?::text[])) OR app = ANY(?::text[])"));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    query.addBindValue(textArrayLiteral(apps));
    query.addBindValue(textArrayLiteral(names));
    query.addBindValue(textArrayLiteral(wholeApps));
    if (!query.exec()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    return visitRecords(query, [records](const MigrationRecord &r) {
        records->append(r);
        return true;
    }, error);
}

bool MigrationRecordStore::readExtent(Extent *extent, QString *error) const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral(
            "SELECT coalesce(max(length(app)), 0), coalesce(max(length(name)), 0), "
            "to_char(min(applied) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), "
            "to_char(max(applied) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM django_migrations"))
        || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    extent->appWidth = query.value(0).toInt();
    extent->nameWidth = query.value(1).toInt();
    extent->firstApplied = parsePgTimestamp(query.value(2).toString());
    extent->lastApplied = parsePgTimestamp(query.value(3).toString());
    return true;
}
