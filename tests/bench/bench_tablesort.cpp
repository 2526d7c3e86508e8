// Sorting the status table by each column (a click on its header) at 10k, 100k and 1M rows:
// the longest GUI-thread stall from QTableView::sortByColumn until the rows are in the new order
// and repainted (a 5 ms heartbeat timer: the longest gap between its beats), the time until
// then, and the GUI thread's CPU time over it. Above MigrationFilterProxy::synchronousRows() the
// order is computed on the thread pool, so the stall is the one pass that applies it. Reference
// in the same run: std::stable_sort of as many row numbers by one precomputed 64-bit key each,
// the least a sort of those rows costs on the GUI thread. Rows as bench_status makes them (20
// apps, half without a file, applied times one second apart, some pending).
//
// Usage: bench_tablesort [MAX_ROWS]   (default 1000000; QT_QPA_PLATFORM=offscreen when unset)
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"
#include "benchsupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <numeric>
#include <vector>

namespace {

StatusSnapshot snapshotOf(int rows)
{
    StatusSnapshot snapshot;
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-rows);
    snapshot.rows.reserve(rows);
    for (int g = 0; g < rows; ++g) {
        MigrationRow row;
        row.app = QStringLiteral("app%1").arg(g % 20);
        row.name = QStringLiteral("%1_migration").arg(g / 20, 5, 10, QLatin1Char('0'));
        if (g % 20 < 10)
            row.file = QStringLiteral("backend/%1/migrations/%2.py").arg(row.app, row.name);
        if (g % 7 != 3) {
            row.applied = start.addSecs(rows - g);
            row.recordId = g + 1;
            row.state = row.file.isEmpty() ? MigrationState::Orphan : MigrationState::Applied;
        }
        snapshot.rows << row;
    }
    std::sort(snapshot.rows.begin(), snapshot.rows.end(), [](const MigrationRow &a, const MigrationRow &b) {
        return std::tie(a.app, a.name) < std::tie(b.app, b.name);
    });
    snapshot.recordCount = rows;
    return snapshot;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double referenceMs(int rows)
{
    std::vector<qint64> keys(rows);
    QRandomGenerator random(16);
    for (qint64 &k : keys)
        k = qint64(random.generate64() >> 1);
    std::vector<int> order(rows);
    std::iota(order.begin(), order.end(), 0);
    const double start = threadCpuMs();
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] < keys[b]; });
    return threadCpuMs() - start;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int maxRows = argc > 1 ? std::atoi(argv[1]) : 1000000;
    const int columns[] = {MigrationTableModel::Migration, MigrationTableModel::State, MigrationTableModel::AppliedAt,
                           MigrationTableModel::File, MigrationTableModel::Dependencies, MigrationTableModel::App};
    std::printf("status table: longest GUI-thread stall of a click on a column header until sorted and repainted\n"
                "(ms, worse of ascending and descending), beside std::stable_sort of as many row numbers by a\n"
                "64-bit key on one thread (goal: every column <= 50 ms at 1M rows)\n");
    std::printf("%9s %10s", "rows", "reference");
    for (int c : columns)
        std::printf(" %12s", qPrintable(MigrationTableModel().headerData(c, Qt::Horizontal).toString()));
    std::printf(" %10s %10s %10s\n", "worst/ref", "ready max", "GUI CPU");
    for (const int rows : {10000, 100000, 1000000}) {
        if (rows > maxRows)
            break;
        MigrationTableModel model;
        MigrationFilterProxy proxy;
        proxy.setSourceModel(&model);
        QTableView view;
        view.setModel(&proxy);
        view.setSortingEnabled(true);
        view.sortByColumn(MigrationTableModel::App, Qt::AscendingOrder);
        // As StatusPage has it (forms/statuspage.ui): with highlighted sections a full selection
        // makes the header ask the selection about every row of each column it paints (180 ms).
        view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        view.horizontalHeader()->setHighlightSections(false);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.resize(1200, 800);
        view.show();
        model.setSnapshot(snapshotOf(rows));
        while (model.isMerging()) // planned on the thread pool at 1M rows
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::processEvents();
        // A selected current row, as a user has one: the sort keeps it.
        view.setCurrentIndex(proxy.index(rows / 3, 0));
        view.selectRow(rows / 3);
        const double reference = referenceMs(rows);
        std::printf("%9d %10.1f", rows, reference);
        double worst = 0, readyWorst = 0, cpuWorst = 0;
        StallMeter meter;
        for (const int column : columns) {
            // Descending after ascending, as a second click does; the worse of the two counts.
            double columnWorst = 0;
            for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                QElapsedTimer t;
                t.start();
                const double start = threadCpuMs();
                meter.start();
                view.sortByColumn(column, order);
                while (proxy.isBusy())
                    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
                view.viewport()->repaint();
                QCoreApplication::processEvents();
                columnWorst = std::max(columnWorst, meter.stopMs());
                cpuWorst = std::max(cpuWorst, threadCpuMs() - start);
                readyWorst = std::max(readyWorst, t.nsecsElapsed() / 1e6);
            }
            worst = std::max(worst, columnWorst);
            std::printf(" %12.1f", columnWorst);
        }
        std::printf(" %9.2fx %10.1f %10.1f\n", reference > 0 ? worst / reference : 0, readyWorst, cpuWorst);
        const QString selected = view.currentIndex().data(MigrationTableModel::KeyRole).toString();
        if (selected != QStringLiteral("%1").arg(model.rowAt(rows / 3).key()))
            std::printf("%9s current row lost: %s\n", "", qPrintable(selected));

        // The other actions of the status page on the same table (sorted by Applied at, the
        // heaviest order to keep): each one's stall until its rows are shown and repainted.
        view.sortByColumn(MigrationTableModel::AppliedAt, Qt::DescendingOrder);
        while (proxy.isBusy())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        const std::pair<const char *, std::function<void()>> actions[] = {
            {"search", [&] { proxy.setSearchText(QStringLiteral("app1 0001")); }},
            {"clear search", [&] { proxy.setSearchText(QString()); }},
            {"state filter", [&] { proxy.setStateFilter(MigrationFilterProxy::stateBit(MigrationState::Orphan)); }},
            {"all states", [&] { proxy.setStateFilter(MigrationFilterProxy::allStates()); }},
            {"app filter", [&] { proxy.setAppFilter(QStringLiteral("app3")); }},
            {"all apps", [&] { proxy.setAppFilter(QString()); }},
            {"history on", [&] { proxy.setHistoryMode(true); }},
            {"history off", [&] { proxy.setHistoryMode(false); }},
            {"select all", [&] { view.selectAll(); }},
        };
        std::printf("%9s other actions, stall ms:", "");
        for (const auto &[name, action] : actions) {
            meter.start();
            action();
            while (proxy.isBusy())
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            view.viewport()->repaint();
            QCoreApplication::processEvents();
            std::printf(" %s %.1f;", name, meter.stopMs());
        }
        std::printf(" (%d rows shown at the end)\n", proxy.rowCount());
        view.clearSelection();
        view.sortByColumn(MigrationTableModel::App, Qt::AscendingOrder);
    }
    return 0;
}
