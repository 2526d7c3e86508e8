// Console throughput: a child process writes 100 MB of mixed coloured output (16/256/RGB
// colours, '\r' progress, UTF-8, a secret to mask, some stderr); PlanRunner reads it and
// ConsoleWidget (shown, offscreen platform) renders it. Prints MB/s, peak RSS and the longest
// GUI-thread stall (5 ms heartbeat), beside the reference of the same bytes read through the
// runner without any console, and the core formatter alone.
//
// Usage: bench_console [MEGABYTES]    (QT_QPA_PLATFORM=offscreen is set when unset)

#include "console/consolestreamformatter.h"
#include "console/secretmasker.h"
#include "gui/consolewidget.h"
#include "ops/planrunner.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>

namespace {

const QString Secret = QStringLiteral("Bench-S3cret-pw");

// Builds a 1 MiB block of varied lines once, then writes it until `total` bytes went out;
// every fourth block also a warning line on stderr.
const char *GeneratorScript = R"PY(
import sys
out, err = sys.stdout.buffer, sys.stderr.buffer
total, secret = int(sys.argv[1]), sys.argv[2].encode()
block, i = bytearray(), 0
while len(block) < (1 << 20):
    k = i % 10
    if k == 0:
        s = b"\x1b[1;32mOK\x1b[0m   migrating app_%d.0001_initial ... \x1b[32mdone\x1b[0m\n" % i
    elif k == 1:
        s = ("\x1b[38;5;%dm256-colour line %d caf\u00e9 \u20ac\x1b[0m\n" % (i % 256, i)).encode()
    elif k == 2:
        s = b"\x1b[38;2;%d;%d;%dmRGB line %d\x1b[0m \xf0\x9f\x9a\x80\n" % (i % 256, i * 7 % 256, i * 13 % 256, i)
    elif k == 3:
        s = b"progress 10%\rprogress 50%\r\x1b[Kprogress 100%\r\n"
    elif k == 4:
        s = b"\x1b[31mred\x1b[0m \x1b[44mblue bg\x1b[49m \x1b[4munderlined\x1b[24m plain text %d\n" % i
    elif k == 5:
        s = b"connecting with PGPASSWORD=" + secret + b" to db\n"
    else:
        s = b"plain output line %d: Applying contenttypes.0002_remove_content_type_name... OK\n" % i
    block += s
    i += 1
block = bytes(block)
warning = b"\x1b[33mWARNING\x1b[0m: something happened on stderr\n"
written, n = 0, 0
while written < total:
    chunk = block[: total - written]
    out.write(chunk)
    written += len(chunk)
    n += 1
    if n % 4 == 0 and written < total:
        e = warning[: total - written]
        err.write(e)
        err.flush()
        written += len(e)
out.flush()
)PY";

Plan generatorPlan(qint64 totalBytes)
{
    ProcessStep step;
    step.description = QStringLiteral("generate coloured output");
    step.program = QStringLiteral("/usr/bin/python3");
    step.args = {QStringLiteral("-c"), QString::fromUtf8(GeneratorScript),
                 QString::number(totalBytes), Secret};
    Plan plan;
    plan.id = QStringLiteral("bench-console");
    plan.title = QStringLiteral("Console benchmark");
    plan.steps << step;
    plan.addSecret(Secret);
    return plan;
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

// Resets VmHWM to the current RSS, so each phase reports its own peak (Linux >= 4.0).
bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

// Longest gap between 5 ms heartbeats: how long the GUI thread was unavailable.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_max = std::max(m_max, m_sinceLast.restart());
        });
    }
    void start()
    {
        m_max = 0;
        m_sinceLast.start();
        m_timer.start();
    }
    qint64 stop()
    {
        m_timer.stop();
        return std::max(m_max, m_sinceLast.elapsed());
    }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_max = 0;
};

struct RunFigures
{
    qint64 bytes = 0;
    qint64 ms = 0;
    qint64 drainMs = 0; // after the process ended, until the console showed everything
    int exitCode = -1;
    double mbPerSecond() const { return ms > 0 ? (bytes / 1048576.0) / (ms / 1000.0) : 0; }
};

RunFigures runThroughRunner(qint64 totalBytes, ConsoleWidget *console)
{
    RunFigures figures;
    PlanRunner runner;
    runner.setLogPath(QStringLiteral("-"));
    QObject::connect(&runner, &PlanRunner::output, &runner,
                     [&](const QByteArray &chunk, OutputChannel channel) {
                         figures.bytes += chunk.size();
                         if (console)
                             console->appendProcessOutput(chunk, channel);
                     });
    QEventLoop loop;
    QObject::connect(&runner, &PlanRunner::finished, &loop, [&](const RunResult &result) {
        figures.exitCode = result.steps.isEmpty() ? -1 : result.steps.constLast().exitCode;
        loop.quit();
    });
    if (console) {
        QObject::connect(&runner, &PlanRunner::stepStarted, console,
                         [console](int, const QString &header) { console->appendHeader(header); });
    }

    QElapsedTimer clock;
    clock.start();
    if (!runner.start(generatorPlan(totalBytes)))
        return figures;
    loop.exec();
    const qint64 readMs = clock.elapsed();
    if (console) {
        console->flushProcessOutput();
        // Done when everything read is on screen.
        while (console->hasPendingOutput())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    figures.ms = clock.elapsed();
    figures.drainMs = figures.ms - readMs;
    return figures;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 megabytes = argc > 1 ? QByteArray(argv[1]).toLongLong() : 100;
    const qint64 totalBytes = megabytes * 1024 * 1024;
    int status = 0;

    std::printf("console benchmark: %lld MiB of coloured output from /usr/bin/python3 through "
                "PlanRunner\n", megabytes);

    // Reference: the same bytes read through the runner, no console.
    StallMeter stall;
    stall.start();
    const RunFigures reference = runThroughRunner(totalBytes, nullptr);
    const qint64 referenceStall = stall.stop();
    std::printf("  reference (runner, pipe read only): %8.1f MB/s  (%lld bytes in %lld ms, "
                "longest stall %lld ms)\n",
                reference.mbPerSecond(), reference.bytes, reference.ms, referenceStall);
    if (reference.bytes != totalBytes || reference.exitCode != 0) {
        std::printf("  ERROR: reference read %lld of %lld bytes, exit code %d\n", reference.bytes,
                    totalBytes, reference.exitCode);
        status = 1;
    }

    // The console, shown, with the secret masked as in the app.
    const qint64 rssBeforeKb = procStatusKb("VmRSS:");
    const bool peakReset = resetPeakRss();
    RunFigures console;
    qint64 consoleStall = 0;
    QString shown;
    int blockCount = 0;
    {
        ConsoleWidget widget;
        widget.resize(1000, 700);
        widget.setSecrets({Secret});
        widget.show();
        QCoreApplication::processEvents();
        stall.start();
        console = runThroughRunner(totalBytes, &widget);
        consoleStall = stall.stop();
        shown = widget.plainText();
        blockCount = int(shown.count(QLatin1Char('\n')));
    }
    const qint64 peakKb = procStatusKb("VmHWM:");
    const double ratio = reference.mbPerSecond() > 0 ? console.mbPerSecond() / reference.mbPerSecond() : 0;
    std::printf("  console (runner -> ConsoleWidget):  %8.1f MB/s  (%lld bytes in %lld ms, of which "
                "%lld ms drawing the backlog after the process ended)\n",
                console.mbPerSecond(), console.bytes, console.ms, console.drainMs);
    std::printf("  ratio console / reference:          %8.2f\n", ratio);
    std::printf("  longest GUI-thread stall:           %8lld ms   (5 ms heartbeat)\n", consoleStall);
    std::printf("  peak RSS during console run:        %8.1f MB   (%s; RSS before %.1f MB)\n",
                peakKb / 1024.0, peakReset ? "VmHWM reset before the run" : "VmHWM of the whole process",
                rssBeforeKb / 1024.0);
    std::printf("  lines shown at the end:             %8d      (scrollback cap 100000)\n", blockCount);
    if (console.bytes != totalBytes || console.exitCode != 0) {
        std::printf("  ERROR: console run read %lld of %lld bytes, exit code %d\n", console.bytes,
                    totalBytes, console.exitCode);
        status = 1;
    }
    if (shown.contains(Secret) || !shown.contains(SecretMasker::mask())) {
        std::printf("  ERROR: the secret was not masked in the console\n");
        status = 1;
    }

    // Where the time goes: the core formatter alone on the same kind of bytes.
    {
        QProcess generator;
        generator.start(QStringLiteral("/usr/bin/python3"),
                        {QStringLiteral("-c"), QString::fromUtf8(GeneratorScript),
                         QString::number(qMin<qint64>(totalBytes, 32 * 1024 * 1024)), Secret});
        generator.waitForFinished(-1);
        const QByteArray bytes = generator.readAllStandardOutput();
        ConsoleStreamFormatter formatter;
        formatter.setSecrets({Secret});
        QElapsedTimer clock;
        clock.start();
        qsizetype chars = 0;
        for (qsizetype at = 0; at < bytes.size(); at += 65536)
            chars += formatter.feed(QByteArrayView(bytes).sliced(at, std::min<qsizetype>(65536, bytes.size() - at))).text.size();
        chars += formatter.finish().text.size();
        const qint64 ms = std::max<qint64>(1, clock.elapsed());
        std::printf("  core formatter alone (decode, mask, ANSI, \\r): %8.1f MB/s  (%lld bytes, "
                    "%lld chars out)\n",
                    (bytes.size() / 1048576.0) / (ms / 1000.0), qint64(bytes.size()), qint64(chars));
    }

    const bool goals = console.mbPerSecond() >= 100 && consoleStall <= 50;
    std::printf("  goals (>= 100 MB/s, no stall > 50 ms): %s\n", goals ? "met" : "MISSED");
    return status;
}
