// Status load of 100,000 django_migrations rows and 1,000 migration files, beside `psql -Atc`
// running the same SELECT in the same run; then, at 100,000 and at 1,000,000 rows, the longest
// GUI-thread stall while the table takes the result, until the rows are shown in order: first
// load in the default order (App), an in-place merge, and a first load while sorted by Applied
// at (the proxy orders every row, on the thread pool above its synchronous size).
//
// Usage: bench_status [MAX_ROWS]   (default 1000000)
#include "db/migrationrecordstore.h"
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"
#include "status/statusloader.h"
#include "testbed.h"
#include "benchsupport.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QHeaderView>
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
    const int maxRows = argc > 1 ? std::atoi(argv[1]) : 1000000;
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_status: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    const QString dbName = TestBed::createDatabase(QStringLiteral("bench_status"));
    DbSettings db = TestBed::server();
    db.name = dbName;
    // django_migrations as Django 3.2 creates it; rows spread over 20 apps, the first 10 of
    // which have files on disk (so the reconciler sees Applied, Orphan and External rows).
    if (!fillDjangoMigrations(db, kRows))
        return 1;
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
    for (const int rows : {kRows, 1000000}) {
        if (rows > maxRows)
            break;
        if (rows != kRows && !fillDjangoMigrations(db, rows))
            return 1;
        std::printf("-- %d rows\n", rows);
        auto *model = new MigrationTableModel(&app);
        auto *proxy = new MigrationFilterProxy(&app);
        proxy->setSourceModel(model);
        auto *view = new QTableView;
        view->setModel(proxy);
        view->setSortingEnabled(true);
        view->sortByColumn(MigrationTableModel::App, Qt::AscendingOrder); // as the main window does
        view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // as StatusPage has it
        view->horizontalHeader()->setHighlightSections(false);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->resize(1200, 800);
        view->show();

        QElapsedTimer clock;
        qint64 last = 0, worst = 0;
        QTimer heartbeat;
        heartbeat.setTimerType(Qt::PreciseTimer);
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
            qint64 taken = 0, merged = 0, shown = 0;
            QObject::connect(&watcher, &QFutureWatcher<StatusResult>::finished, [&] {
                const StatusResult result = watcher.result(); // as StatusPage keeps it
                taken = clock.elapsed();
                model->setSnapshot(result.snapshot); // planned on the thread pool at 1M rows
                QObject::connect(model, &MigrationTableModel::merged, &loop, [&] { merged = clock.elapsed(); });
                if (!model->isMerging())
                    merged = clock.elapsed();
                const auto settled = [&] {
                    if (model->isMerging() || proxy->isBusy() || shown > 0)
                        return;
                    shown = clock.elapsed();
                    QTimer::singleShot(50, &loop, &QEventLoop::quit); // let the view repaint
                };
                QObject::connect(proxy, &MigrationFilterProxy::busyChanged, &loop, settled);
                QObject::connect(model, &MigrationTableModel::merged, &loop, settled, Qt::QueuedConnection);
                settled();
            });
            watcher.setFuture(QtConcurrent::run([config] { return StatusLoader::load(config); }));
            loop.exec();
            heartbeat.stop();
            std::printf("%s: longest GUI-thread stall %lld ms (goal <= 50 ms; merged after %lld ms), %d rows "
                        "shown %lld ms after the load ended\n",
                        label, worst, merged - taken, proxy->rowCount(), shown - taken);
        };
        refreshOnce("first refresh, sorted by App (source order passed through)");
        TestBed::execSql(db, QStringLiteral("DELETE FROM django_migrations WHERE id % 10 = 0"));
        refreshOnce("refresh after deleting 10% of rows (in-place merge)");
        // The same first load while the table is sorted by another column: the proxy sorts it.
        model->clear();
        view->sortByColumn(MigrationTableModel::AppliedAt, Qt::AscendingOrder);
        QCoreApplication::processEvents();
        refreshOnce("first refresh, sorted by Applied at (the proxy sorts)");
        delete view;
        delete proxy;
        delete model;
    }
    TestBed::dropDatabase(dbName);
    return 0;
}
