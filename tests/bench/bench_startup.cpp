// Cold start to a painted window: the migrationdesk binary (no project) beside a bare Qt
// window made by this same program, both started as fresh processes in the same run.
#include <QApplication>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

constexpr int kRuns = 9;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

// Starts program with args and returns the milliseconds until it exited (it quits after its
// first paint), or -1.
double timeToExit(const QString &program, const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MIGRATIONDESK_EXIT_AFTER_PAINT"), QStringLiteral("1"));
    // A real X window under xvfb-run when there is a display; offscreen otherwise.
    if (env.value(QStringLiteral("DISPLAY")).isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    else
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return -1;
    return t.nsecsElapsed() / 1e6;
}

class QuitOnPaint : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        return QObject::eventFilter(o, e);
    }
};

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "--reference-window") == 0) {
        QApplication app(argc, argv);
        QMainWindow window;
        window.resize(1180, 760);
        window.installEventFilter(new QuitOnPaint(&window));
        window.show();
        return QApplication::exec();
    }
    QCoreApplication app(argc, argv);
    QList<double> ours, reference;
    for (int run = 0; run < kRuns; ++run) {
        const double r = timeToExit(QCoreApplication::applicationFilePath(), {QStringLiteral("--reference-window")});
        const double o = timeToExit(QStringLiteral(MIGRATIONDESK_BINARY), {});
        if (o < 0 || r < 0) {
            std::fprintf(stderr, "bench_startup: a start failed\n");
            return 1;
        }
        ours << o;
        reference << r;
    }
    const double o = median(ours), r = median(reference);
    std::printf("platform: %s\n", qEnvironmentVariableIsEmpty("DISPLAY") ? "offscreen" : "X11 (DISPLAY set)");
    std::printf("cold start to a painted window (migrationdesk, no project): %.0f ms (median of %d)\n", o, kRuns);
    std::printf("bare QMainWindow, same machine and run:                     %.0f ms\n", r);
    std::printf("ratio: %.2fx; goal: <= 250 ms absolute -> %s\n", o / r, o <= 250 ? "met" : "MISSED");
    return 0;
}
