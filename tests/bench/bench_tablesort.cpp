// Sorting the status table by each column (a click on its header) at 10k, 100k and 1M rows:
// the GUI-thread stall of QTableView::sortByColumn through MigrationFilterProxy, until the view
// has repainted, as CPU time of the GUI thread (on a shared machine wall time mostly measures
// the other processes; the worst wall time is printed too). Reference in the same run: std::stable_sort of as many row numbers by one
// precomputed 64-bit key each, the least a sort of those rows costs. Rows as bench_status
// makes them (20 apps, half without a file, applied times one second apart, some pending).
//
// Usage: bench_tablesort [MAX_ROWS]   (default 1000000; QT_QPA_PLATFORM=offscreen when unset)
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QRandomGenerator>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <ctime>
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
    std::printf("status table: stall of a click on a column header until repainted (GUI-thread CPU ms), beside\n"
                "std::stable_sort of as many row numbers by a 64-bit key (goal: every column <= 50 ms at 100k rows)\n");
    std::printf("%9s %10s", "rows", "reference");
    for (int c : columns)
        std::printf(" %12s", qPrintable(MigrationTableModel().headerData(c, Qt::Horizontal).toString()));
    std::printf(" %10s %10s\n", "worst/ref", "wall worst");
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
        view.resize(1200, 800);
        view.show();
        model.setSnapshot(snapshotOf(rows));
        QCoreApplication::processEvents();
        const double reference = referenceMs(rows);
        std::printf("%9d %10.1f", rows, reference);
        double worst = 0, wallWorst = 0;
        for (const int column : columns) {
            // Descending after ascending, as a second click does; the worse of the two counts.
            double columnWorst = 0;
            for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                QElapsedTimer t;
                t.start();
                const double start = threadCpuMs();
                view.sortByColumn(column, order);
                view.viewport()->repaint();
                QCoreApplication::processEvents();
                columnWorst = std::max(columnWorst, threadCpuMs() - start);
                wallWorst = std::max(wallWorst, t.nsecsElapsed() / 1e6);
            }
            worst = std::max(worst, columnWorst);
            std::printf(" %12.1f", columnWorst);
        }
        std::printf(" %9.1fx %10.1f\n", reference > 0 ? worst / reference : 0, wallWorst);
        view.sortByColumn(MigrationTableModel::App, Qt::AscendingOrder);
    }
    return 0;
}
