// A Saleor-sized history (1,500 migrations in 45 apps, skewed as a real project: a few big apps,
// many small ones; every migration depends on its predecessor, every 4th also on a migration of
// an earlier app) at three sizes, laid out and first painted by the Graph tab, beside Graphviz's
// `dot` laying out the same graph (`migrationdesk graph --format dot`'s text) in the same run:
// `dot -Tplain` (layout only) and `dot -Tsvg` (layout and drawing). Ours are medians of 5 runs:
//   layout    computeLayout() alone (lanes, layers, time axis, tooltips: what the thread pool does)
//   sync      setDataSynchronously() and a repaint: nodes, layout, items, first paint on one thread
//   stall     GraphPanel::setData() as the window calls it (the layout on the thread pool): the
//             longest GUI-thread stall (5 ms heartbeat) until laid out and painted by the event
//             loop (the viewport's first paint after nodesChanged()), and that time (ready)
//   pan       the longest of 40 scroll steps of 60 px (right, then down) until painted by the
//             event loop, after the first paint (goal: never > 16 ms)
// dot: one run per size (it takes seconds to minutes), stopped after 300 s (printed as -2);
// skipped, with a note, when `dot` is not installed (apt-get install graphviz).
//
// Usage: bench_graphlayout [--no-dot]   (QT_QPA_PLATFORM=offscreen is set when unset)
#include "cli/graphcommand.h"
#include "gui/graphpanel.h"
#include "gui/migrationgraphview.h"
#include "benchsupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

const QDateTime kStart(QDate(2024, 1, 1), QTime(9, 0), Qt::UTC);

// total migrations over 45 apps; the last 2 % of each app not applied.
void history(int total, MigrationGraph *graph, StatusSnapshot *snapshot)
{
    constexpr int apps = 45;
    QList<int> sizes;
    double weightSum = 0;
    for (int a = 0; a < apps; ++a)
        weightSum += std::exp(-a / 10.0) + 0.15;
    int assigned = 0;
    for (int a = 0; a < apps; ++a) {
        sizes << std::max(2, int(std::lround(total * (std::exp(-a / 10.0) + 0.15) / weightSum)));
        assigned += sizes.constLast();
    }
    sizes[0] += total - assigned;
    quint32 seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xffffff; };
    QList<QStringList> names(apps);
    int t = 0;
    for (int a = 0; a < apps; ++a) {
        const QString app = QStringLiteral("app_%1").arg(a, 2, 10, QLatin1Char('0'));
        for (int m = 1; m <= sizes.at(a); ++m) {
            MigrationNode node;
            node.app = app;
            node.name = QStringLiteral("%1_auto_change_%2").arg(m, 4, 10, QLatin1Char('0')).arg(next() % 1000);
            node.applied = m <= sizes.at(a) * 98 / 100;
            if (m > 1)
                node.dependencies << MigrationGraph::makeKey(app, names[a].constLast());
            if (a > 0 && m % 4 == 0) {
                const int other = int(next() % a);
                const QStringList &their = names.at(other);
                node.dependencies << MigrationGraph::makeKey(QStringLiteral("app_%1").arg(other, 2, 10, QLatin1Char('0')),
                                                             their.at(int(next() % their.size())));
            }
            names[a] << node.name;
            graph->addNode(node);
            MigrationRow row;
            row.app = node.app;
            row.name = node.name;
            row.file = QStringLiteral("%1/migrations/%2.py").arg(app, node.name);
            row.state = node.applied ? MigrationState::Applied : MigrationState::Pending;
            if (node.applied)
                row.applied = kStart.addSecs(++t * 2 + (m == 1 ? 3600 : 0));
            snapshot->rows << row;
        }
    }
}

qint64 median(QList<qint64> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? -1 : v.at(v.size() / 2);
}

// Quits loop once the watched widget painted after armed was set.
class PaintWatch : public QObject
{
public:
    PaintWatch(QWidget *widget, QEventLoop *loop)
        : m_loop(loop)
    {
        widget->installEventFilter(this);
        widget->update();
    }
    bool armed = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (armed && event->type() == QEvent::Paint) {
            armed = false;
            QTimer::singleShot(0, m_loop, &QEventLoop::quit); // after this paint
        }
        return false;
    }

private:
    QEventLoop *m_loop;
};

struct Ours
{
    qint64 layoutMs, syncMs, stallMs, readyMs, panMs;
    int nodes, edges;
};

Ours ours(const MigrationGraph &graph, const StatusSnapshot &snapshot)
{
    QList<qint64> layout, sync, stall, ready, pan;
    Ours o{};
    for (int run = 0; run < 5; ++run) {
        {
            QStringList apps;
            const QList<MigrationGraphView::Node> nodes = MigrationGraphView::buildNodes(graph, snapshot, &apps);
            QElapsedTimer t;
            t.start();
            const MigrationGraphView::Layout l = MigrationGraphView::computeLayout(nodes, apps, true);
            layout << t.elapsed();
            if (l.layer.size() != nodes.size())
                std::printf("layout incomplete\n");
        }
        {
            GraphPanel panel;
            panel.resize(1400, 850);
            panel.show();
            QCoreApplication::processEvents();
            QElapsedTimer t;
            t.start();
            panel.view()->setDataSynchronously(graph, snapshot);
            const qint64 items = t.elapsed();
            panel.view()->viewport()->repaint();
            sync << t.elapsed();
            qint64 worst = 0;
            for (int step = 0; step < 40; ++step) {
                QScrollBar *bar = step < 20 ? panel.view()->horizontalScrollBar() : panel.view()->verticalScrollBar();
                QElapsedTimer p;
                p.start();
                bar->setValue(bar->value() + 60); // the view scrolls what it has and paints the strip
                QCoreApplication::processEvents();
                worst = std::max(worst, p.elapsed());
            }
            pan << worst;
            if (qEnvironmentVariableIsSet("BENCH_DETAIL"))
                std::printf("  data+items %lld ms (items %lld ms), paint %lld ms\n", items, panel.view()->lastLayoutMs(),
                            t.elapsed() - items);
            o.nodes = panel.view()->nodeCount();
            o.edges = panel.view()->edgeCount();
        }
        {
            GraphPanel panel;
            panel.resize(1400, 850);
            panel.show();
            QCoreApplication::processEvents();
            StallMeter meter;
            QEventLoop loop;
            PaintWatch watch(panel.view()->viewport(), &loop);
            QObject::connect(panel.view(), &MigrationGraphView::nodesChanged, &loop, [&] { watch.armed = true; });
            QElapsedTimer t;
            t.start();
            meter.start();
            panel.setData(graph, snapshot);
            if (!panel.view()->isBuilding())
                watch.armed = true;
            loop.exec();
            ready << t.elapsed();
            stall << meter.stop();
        }
    }
    o.layoutMs = median(layout);
    o.syncMs = median(sync);
    o.stallMs = median(stall);
    o.readyMs = median(ready);
    o.panMs = median(pan);
    return o;
}

// Wall time of `dot -T<format> file -o /dev/null`; -1 when dot failed, -2 when stopped at 300 s.
qint64 dot(const QString &program, const QString &file, const char *format)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(program, {QStringLiteral("-T") + QLatin1String(format), file, QStringLiteral("-o"), QStringLiteral("/dev/null")});
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return -2;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? t.elapsed() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const bool noDot = QCoreApplication::arguments().contains(QStringLiteral("--no-dot"));
    const QString dotProgram = noDot ? QString() : QStandardPaths::findExecutable(QStringLiteral("dot"));
    QString dotVersion;
    if (!dotProgram.isEmpty()) {
        QProcess v;
        v.start(dotProgram, {QStringLiteral("-V")});
        v.waitForFinished(10000);
        dotVersion = QString::fromUtf8(v.readAllStandardError()).trimmed();
    }
    QTemporaryDir dir;
    std::printf("graph layout, a Saleor-sized history (45 apps), beside Graphviz dot on the same graph (%s)\n",
                dotProgram.isEmpty() ? "dot not installed: reference skipped" : qPrintable(dotVersion));
    std::printf("%6s %6s | %9s %8s %9s %9s %6s | %10s %9s | %9s %9s\n", "nodes", "edges", "layout ms", "sync ms", "stall ms",
                "ready ms", "pan ms", "dot -Tplain", "dot -Tsvg", "sync/dot", "goal");
    bool met = true;
    for (const int total : {500, 1500, 3000}) {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        history(total, &graph, &snapshot);
        const Ours o = ours(graph, snapshot);
        qint64 plain = -1, svg = -1;
        if (!dotProgram.isEmpty()) {
            const QString file = dir.filePath(QStringLiteral("g%1.dot").arg(total));
            QFile out(file);
            if (out.open(QIODevice::WriteOnly))
                out.write(GraphCommand::toDot(graph, snapshot).toUtf8());
            out.close();
            plain = dot(dotProgram, file, "plain");
            if (total <= 1500)
                svg = dot(dotProgram, file, "svg"); // minutes at 3,000: the layout alone says enough
        }
        const bool goal = total != 1500 || (o.syncMs <= 300 && o.stallMs <= 50 && o.panMs <= 16);
        met = met && goal;
        std::printf("%6d %6d | %9lld %8lld %9lld %9lld %6lld | %10lld %9lld | %8.4fx %9s\n", o.nodes, o.edges, o.layoutMs,
                    o.syncMs, o.stallMs, o.readyMs, o.panMs, plain, svg, plain > 0 ? double(o.syncMs) / double(plain) : 0.0,
                    total == 1500 ? (goal ? "met" : "MISSED") : "-");
    }
    std::printf("goal (1,500 migrations laid out and first painted <= 300 ms, no stall > 50 ms, panning <= 16 ms): %s\n", met ? "met" : "MISSED");
    return 0;
}
