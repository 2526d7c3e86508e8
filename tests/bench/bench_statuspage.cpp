// The status page as a user drives it, at 10k, 100k and 1M django_migrations rows: the real
// StatusPage loads from the test cluster (StatusLoadJob, model, proxy, filters, counts), then
// each action runs until its rows are shown and repainted: typing a search word, clearing it, a
// state filter, an app filter, Show All Migrations, history mode, select all, Copy Rows (until
// the clipboard holds the text) and a refresh. Printed: each action's longest GUI-thread stall
// (a 5 ms heartbeat: the longest gap between its beats; goal <= 50 ms). Reference in the same
// run: `psql -Atc` of the status SELECT at that size, the least it costs to read those rows.
//
// Usage: bench_statuspage [MAX_ROWS]   (default 1000000)
#include "db/migrationrecordstore.h"
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"
#include "gui/statuspage.h"
#include "testbed.h"
#include "benchsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace {


double psqlMs(const DbSettings &db)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), db.password);
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("/usr/lib/postgresql/15/bin/psql"),
            {QStringLiteral("-h"), db.host, QStringLiteral("-p"), QString::number(db.port), QStringLiteral("-U"),
             db.user, QStringLiteral("-d"), db.name, QStringLiteral("-Atc"), MigrationRecordStore::readAllSql()});
    p.waitForFinished(120000);
    (void)p.readAllStandardOutput();
    return t.nsecsElapsed() / 1e6;
}

// Events until nothing of the page works any more (load, merge, order, copy), then a repaint.
void settle(StatusPage &page, const std::function<bool()> &done = {})
{
    const auto busy = [&] {
        return page.isLoading() || page.model()->isMerging() || page.proxy()->isBusy() || (done && !done());
    };
    while (busy())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents); // the heartbeat wakes it
    page.tableView()->viewport()->repaint();
    QCoreApplication::processEvents();
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int maxRows = argc > 1 ? std::atoi(argv[1]) : 1000000;
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_statuspage: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    const QString dbName = TestBed::createDatabase(QStringLiteral("bench_statuspage"));
    DbSettings db = TestBed::server();
    db.name = dbName;
    QTemporaryDir tmp;
    ProjectConfig config;
    config.root = tmp.path();
    config.backendDir = tmp.filePath(QStringLiteral("backend"));
    config.db = db;

    std::printf("status page: longest GUI-thread stall of each action until its rows are shown (ms; goal <= 50),\n"
                "beside psql -Atc of the status SELECT at the same size\n");
    for (const int rows : {10000, 100000, 1000000}) {
        if (rows > maxRows)
            break;
        if (!fillDjangoMigrations(db, rows))
            return 1;
        const double reference = psqlMs(db);
        StatusPage page;
        page.resize(1200, 800);
        page.show();
        page.setProject(config, true);
        StallMeter meter;
        double worst = 0;
        std::printf("%9d rows, psql %.0f ms:", rows, reference);
        const auto measure = [&](const char *name, const std::function<void()> &action,
                                 const std::function<bool()> &done = {}) {
            meter.start();
            action();
            settle(page, done);
            const double stall = meter.stopMs();
            worst = std::max(worst, stall);
            std::printf(" %s %.1f;", name, stall);
            std::fflush(stdout);
        };
        measure("load", [&] { page.load(); });
        measure("type search", [&] {
            for (const QChar c : QStringLiteral("app1 0001")) {
                page.searchEdit()->insert(QString(c));
                QCoreApplication::processEvents();
            }
        });
        measure("clear search", [&] { page.searchEdit()->clear(); });
        measure("state filter", [&] { page.stateFilter()->setCurrentIndex(page.stateFilter()->count() - 1); });
        measure("all states", [&] { page.stateFilter()->setCurrentIndex(0); });
        measure("app filter", [&] { page.appFilter()->setCurrentIndex(page.appFilter()->count() - 1); });
        measure("show all", [&] { page.resetFiltersAction()->trigger(); });
        measure("history on", [&] { page.historyAction()->setChecked(true); });
        measure("history off", [&] { page.historyAction()->setChecked(false); });
        measure("select all", [&] { page.tableView()->selectAll(); });
        bool copied = false;
        const QMetaObject::Connection watch =
            QObject::connect(QApplication::clipboard(), &QClipboard::dataChanged, [&copied] { copied = true; });
        measure("copy rows", [&] { page.copyAction()->trigger(); }, [&copied] { return copied; });
        QObject::disconnect(watch);
        const qsizetype copiedLines = QApplication::clipboard()->text().count(QLatin1Char('\n'));
        page.tableView()->clearSelection();
        measure("refresh", [&] { page.load(); });
        std::printf(" worst %.1f ms (%.2fx psql); %lld rows copied\n", worst, worst / reference,
                    qlonglong(copiedLines));
    }
    TestBed::dropDatabase(dbName);
    return 0;
}
