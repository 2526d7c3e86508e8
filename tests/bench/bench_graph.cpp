// The Graph tab before the doctor ran (no Django graph: the status rows are the nodes), at 10k,
// 100k and 1M django_migrations rows shaped as in bench_status (20 apps, 10 of them with 100
// migration files each): the longest GUI-thread stall (5 ms heartbeat) from setData() until the
// graph is laid out and painted, the time until then and the peak RSS, beside the reference of
// the former path measured in the same run: one node per row, built and laid out on the GUI
// thread (skipped at 1M rows, where it took 13.7 s and 4.5 GB). Three runs per size, the median
// printed; each run's stall is split into the longest gap while the thread pool built (the GUI
// thread has nothing to do then) and the longest from the result's arrival to the paint, beside
// what the GUI thread did in it: the rebuild of the items (ms) and its CPU time after that (the
// paint). A gap well above those two is time the thread waited for a CPU, not work of ours.
//
// Usage: bench_graph    (QT_QPA_PLATFORM=offscreen is set when unset)
#include "gui/graphpanel.h"
#include "gui/migrationgraphview.h"
#include "benchsupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <utility>
#include <cstdio>
#include <ctime>

namespace {

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

StatusSnapshot rows(int count)
{
    StatusSnapshot s;
    s.rows.reserve(count);
    const QDateTime start(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
    for (int g = 1; g <= count; ++g) {
        MigrationRow row;
        const int app = g % 20;
        const int number = g / 20;
        row.app = QStringLiteral("app%1").arg(app);
        row.name = QStringLiteral("%1_migration").arg(number, 4, 10, QLatin1Char('0'));
        row.recordId = g;
        row.applied = start.addSecs(g);
        const bool hasFile = app < 10 && number < 100;
        row.state = hasFile ? MigrationState::Applied : app < 10 ? MigrationState::Orphan : MigrationState::External;
        if (hasFile)
            row.file = QStringLiteral("backend/%1/migrations/%2.py").arg(row.app, row.name);
        s.rows << row;
    }
    std::sort(s.rows.begin(), s.rows.end(), [](const MigrationRow &a, const MigrationRow &b) {
        return a.app != b.app ? a.app < b.app : a.name < b.name;
    });
    return s;
}

qint64 procStatusKb(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

struct Figures
{
    qint64 stallMs = 0;
    qint64 buildingMs = 0; // the longest gap while the thread pool built (the GUI thread idle)
    qint64 applyingMs = 0; // the longest gap from the result's arrival to the paint
    qint64 rebuildMs = 0;  // the items' rebuild itself
    double applyCpuMs = 0; // the GUI thread's CPU time from the result's arrival to the paint
    qint64 readyMs = 0;
    double peakMb = 0;
    int nodes = 0;
};

// Ours: setData() as MainWindow calls it, until nodesChanged() and a paint.
Figures ours(const StatusSnapshot &snapshot)
{
    Figures f;
    resetPeakRss();
    GraphPanel panel;
    panel.resize(1200, 700);
    panel.show();
    QCoreApplication::processEvents();
    StallMeter meter;
    QEventLoop loop;
    QObject::connect(panel.view(), &MigrationGraphView::nodesChanged, &loop, [&] {
        f.buildingMs = meter.takeMax();
        f.applyCpuMs = -threadCpuMs(); // the rebuild ran just before: counted below from its start
        panel.view()->viewport()->repaint();
        QTimer::singleShot(0, &loop, &QEventLoop::quit);
    });
    QElapsedTimer t;
    t.start();
    meter.start();
    panel.setData(MigrationGraph(), snapshot);
    if (panel.view()->isBuilding())
        loop.exec();
    else
        panel.view()->viewport()->repaint();
    QCoreApplication::processEvents();
    f.readyMs = t.elapsed();
    f.applyingMs = meter.stop();
    f.applyCpuMs += threadCpuMs();
    f.stallMs = std::max(f.buildingMs, f.applyingMs);
    f.rebuildMs = panel.view()->lastLayoutMs();
    f.peakMb = procStatusKb("VmHWM:") / 1024.0;
    f.nodes = panel.view()->nodeCount();
    return f;
}

// The former path: one node per distinct row, on the GUI thread, then a paint.
Figures former(const StatusSnapshot &snapshot)
{
    Figures f;
    resetPeakRss();
    GraphPanel panel;
    panel.resize(1200, 700);
    panel.show();
    QCoreApplication::processEvents();
    panel.view()->setLooseNodeLimits(INT_MAX, INT_MAX);
    QElapsedTimer t;
    t.start();
    panel.view()->setDataSynchronously(MigrationGraph(), snapshot);
    panel.view()->viewport()->repaint();
    QCoreApplication::processEvents();
    f.readyMs = f.stallMs = t.elapsed();
    f.peakMb = procStatusKb("VmHWM:") / 1024.0;
    f.nodes = panel.view()->nodeCount();
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::printf("graph tab before the doctor ran: status rows -> nodes, laid out and painted (goal: stall <= 50 ms)\n");
    std::printf("%9s %7s %9s %9s %9s | %7s %9s %9s %9s\n", "rows", "nodes", "stall ms", "ready ms", "peak MB",
                "former", "stall ms", "peak MB", "ratio");
    bool met = true;
    constexpr int kRuns = 3;
    for (const int count : {10000, 100000, 1000000}) {
        const StatusSnapshot snapshot = rows(count);
        const double baseMb = procStatusKb("VmRSS:") / 1024.0;
        QList<Figures> runs;
        for (int run = 0; run < kRuns; ++run)
            runs << ours(snapshot);
        std::sort(runs.begin(), runs.end(), [](const Figures &a, const Figures &b) { return a.stallMs < b.stallMs; });
        const Figures &o = runs.at(kRuns / 2); // the median run
        if (count <= 100000) {
            const Figures r = former(snapshot);
            std::printf("%9d %7d %9lld %9lld %9.0f | %7d %9lld %9.0f %8.4fx\n", count, o.nodes, o.stallMs, o.readyMs,
                        o.peakMb, r.nodes, r.stallMs, r.peakMb, double(o.stallMs) / double(std::max<qint64>(1, r.stallMs)));
        } else {
            std::printf("%9d %7d %9lld %9lld %9.0f | %7s %9s %9s %9s\n", count, o.nodes, o.stallMs, o.readyMs, o.peakMb,
                        "-", "(skipped)", "-", "-");
        }
        std::printf("%9s runs (stall = max of: while the pool built / applying; rebuild ms + the GUI thread's CPU ms after it):\n%9s", "", "");
        for (const Figures &f : runs)
            std::printf(" %lld = %lld/%lld (%lld + %.0f)", f.stallMs, f.buildingMs, f.applyingMs, f.rebuildMs, f.applyCpuMs);
        std::printf("\n%9s (RSS before, with the snapshot: %.0f MB)\n", "", baseMb);
        for (const Figures &f : runs)
            met = met && f.stallMs <= 50;
    }
    std::printf("goal (no stall > 50 ms in any run): %s\n", met ? "met" : "MISSED");
    return 0;
}
