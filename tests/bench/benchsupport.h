#pragma once

// What the benchmarks share: the stall a user would feel, and a django_migrations of any size.

#include "testbed.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <utility>

// The longest gap between beats of a 5 ms timer on the GUI thread: what a user feels as a
// frozen window while the work runs.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { m_maxNs = std::max(m_maxNs, m_sinceLast.nsecsElapsed()); m_sinceLast.restart(); });
    }
    void start()
    {
        m_maxNs = 0;
        m_sinceLast.start();
        m_timer.start();
    }
    double stopMs()
    {
        m_timer.stop();
        return std::max(m_maxNs, m_sinceLast.nsecsElapsed()) / 1e6;
    }
    qint64 stop() { return qint64(stopMs()); } // whole milliseconds
    qint64 takeMax() { return std::exchange(m_maxNs, 0) / 1000000; } // ms so far, and start over

private:
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_maxNs = 0;
};

// django_migrations as Django 3.2 creates it, with `rows` rows over 20 apps (app0…app19, names
// 0000_migration…; four digits as files have them, more past 9999), applied a second apart.
inline bool fillDjangoMigrations(const DbSettings &db, int rows)
{
    QString error;
    if (!TestBed::execSql(db, QStringLiteral(
            "DROP TABLE IF EXISTS django_migrations;"
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, "
            "name varchar(255) NOT NULL, applied timestamptz NOT NULL);"
            "INSERT INTO django_migrations (app, name, applied) "
            "SELECT 'app' || (g % 20), lpad((g / 20)::text, greatest(4, length((g / 20)::text)), '0') || '_migration', "
            "now() - (g || ' seconds')::interval FROM generate_series(1, %1) g").arg(rows), &error)) {
        std::fprintf(stderr, "setup failed: %s\n", qPrintable(error));
        return false;
    }
    return true;
}
