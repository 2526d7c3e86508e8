// Status load of 100,000 django_migrations rows and 1,000 migration files, beside `psql -Atc`
// running the same SELECT in the same run; then the longest GUI-thread stall while the table
// takes the result: first load in the default order (App), an in-place merge, and a first load
// while sorted by Applied at (the reference of the former path: the proxy sorting every row).
#include "db/migrationrecordstore.h"
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"
#include "status/statusloader.h"
#include "testbed.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtConcurrent>

#include <algorithm>
#include <cstdio>

namespace {

constexpr int kRows = 100000;
constexpr int kApps = 10;
constexpr int kFilesPerApp = 100;
constexpr int kRuns = 7;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_status: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    const QString dbName = TestBed::createDatabase(QStringLiteral("bench_status"));
    DbSettings db = TestBed::server();
    db.name = dbName;
    // django_migrations as Django 3.2 creates it; rows spread over 20 apps, the first 10 of
    // which have files on disk (so the reconciler sees Applied, Orphan and External rows).
    QString error;
    if (!TestBed::execSql(db, QStringLiteral(
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, "
            "name varchar(255) NOT NULL, applied timestamptz NOT NULL);"
            "INSERT INTO django_migrations (app, name, applied) "
            "SELECT 'app' || (g % 20), lpad((g / 20)::text, 4, '0') || '_migration', "
            "now() - (g || ' seconds')::interval FROM generate_series(1, %1) g").arg(kRows), &error)) {
        std::fprintf(stderr, "setup failed: %s\n", qPrintable(error));
        return 1;
    }
    QTemporaryDir tmp;
    const QString backend = tmp.filePath(QStringLiteral("backend"));
    for (int a = 0; a < kApps; ++a) {
        const QString migrations = QStringLiteral("%1/app%2/migrations").arg(backend).arg(a);
        QDir().mkpath(migrations);
        QFile(migrations + QStringLiteral("/__init__.py")).open(QIODevice::WriteOnly);
        for (int i = 0; i < kFilesPerApp; ++i) {
            QFile f(QStringLiteral("%1/%2_migration.py").arg(migrations).arg(i, 4, 10, QLatin1Char('0')));
            f.open(QIODevice::WriteOnly);
            f.write("from django.db import migrations\n");
        }
    }
    ProjectConfig config;
    config.root = tmp.path();
    config.backendDir = backend;
    config.db = db;

    QList<double> ours, psql;
    StatusResult result;
    for (int run = 0; run < kRuns; ++run) {
        QElapsedTimer t;
        t.start();
        result = StatusLoader::load(config);
        ours << t.nsecsElapsed() / 1e6;
        if (!result.ok()) {
            std::fprintf(stderr, "load failed: %s\n", qPrintable(result.error));
            return 1;
        }

        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), db.password);
        p.setProcessEnvironment(env);
        t.restart();
        p.start(QStringLiteral("/usr/lib/postgresql/15/bin/psql"),
                {QStringLiteral("-h"), db.host, QStringLiteral("-p"), QString::number(db.port), QStringLiteral("-U"),
                 db.user, QStringLiteral("-d"), db.name, QStringLiteral("-Atc"), MigrationRecordStore::readAllSql()});
        p.waitForFinished(60000);
        const QByteArray out = p.readAllStandardOutput();
        psql << t.nsecsElapsed() / 1e6;
        if (out.count('\n') != kRows) {
            std::fprintf(stderr, "psql returned %lld lines\n", qlonglong(out.count('\n')));
            return 1;
        }
    }
    const double o = median(ours), r = median(psql);
    std::printf("status load, %d rows + %d files: %.1f ms (median of %d)\n", kRows, kApps * kFilesPerApp, o, kRuns);
    std::printf("psql -Atc, same SELECT:            %.1f ms\n", r);
    std::printf("ratio: %.2fx   (goal <= 1.5x)\n", o / r);

    // GUI-thread stall: a 5 ms heartbeat runs while a refresh loads off-thread and the model
    // takes the result; the longest gap between beats is the stall a user would feel.
    auto *model = new MigrationTableModel(&app);
    auto *proxy = new MigrationFilterProxy(&app);
    proxy->setSourceModel(model);
    QTableView view;
    view.setModel(proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(MigrationTableModel::App, Qt::AscendingOrder); // as the main window does
    view.resize(1200, 800);
    view.show();

    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last);
        last = now;
    });
    auto refreshOnce = [&](const char *label) {
        worst = 0;
        clock.start();
        last = 0;
        heartbeat.start();
        QFutureWatcher<StatusResult> watcher;
        QEventLoop loop;
        QObject::connect(&watcher, &QFutureWatcher<StatusResult>::finished, [&] {
            model->setSnapshot(watcher.result().snapshot);
            QTimer::singleShot(50, &loop, &QEventLoop::quit); // let the view repaint
        });
        watcher.setFuture(QtConcurrent::run([config] { return StatusLoader::load(config); }));
        loop.exec();
        heartbeat.stop();
        std::printf("%s: longest GUI-thread stall %lld ms (goal <= 50 ms), %d rows shown\n", label,
                    worst, proxy->rowCount());
    };
    refreshOnce("first refresh, sorted by App (source order passed through)");
    TestBed::execSql(db, QStringLiteral("DELETE FROM django_migrations WHERE id % 10 = 0"));
    refreshOnce("refresh after deleting 10% of rows (in-place merge)");
    // The same first load while the table is sorted by another column: the proxy sorts it.
    model->clear();
    view.sortByColumn(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
    QCoreApplication::processEvents();
    refreshOnce("first refresh, sorted by Applied at (the proxy sorts)");
    TestBed::dropDatabase(dbName);
    return 0;
}
