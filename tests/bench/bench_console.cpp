// Console throughput, two workloads: a child process writes 100 MiB of mixed coloured output
// (16/256/RGB colours, '\r' progress, UTF-8, two secrets to mask every few lines, some
// stderr), then 16 MiB as one single line without '\n'; PlanRunner reads it and
// ConsoleWidget (shown, offscreen platform) renders it. Prints MB/s, peak RSS and the longest
// GUI-thread stall (5 ms heartbeat), beside the references of the same bytes read through the
// runner without any console and decoded by a bare QStringDecoder, and the core formatter alone;
// also per CPU-second of this process, the figure a busy machine disturbs least.
// run-benchmarks.sh runs it on one core with `yes > /dev/null` busy on the other.
//
// Usage: bench_console [MEGABYTES [LINE_MEGABYTES]]    (QT_QPA_PLATFORM=offscreen when unset)

#include "console/consolestreamformatter.h"
#include "console/secretmasker.h"
#include "gui/consolewidget.h"
#include "safety/guardedrunner.h"
#include "benchsupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QStringDecoder>
#include <QTextBlock>
#include <QTimer>

#include <cstdio>
#include <ctime>

namespace {

const QString Secret = QStringLiteral("Bench-S3cret-pw");
const QString Secret2 = QStringLiteral("su-Pa55word-2");

// Builds a 1 MiB block of varied lines once, then writes it until `total` bytes went out;
// every fourth block also a warning line on stderr. Mode "line": the block is one coloured
// line without '\n' (secrets in it too), and only the very last byte is a '\n'.
const char *GeneratorScript = R"PY(
import sys
out, err = sys.stdout.buffer, sys.stderr.buffer
total, secret, secret2, mode = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode(), sys.argv[4]
block, i = bytearray(), 0
while mode == "line" and len(block) < (1 << 20):
    block += b"\x1b[3%dmsegment %d of one long line\x1b[0m pw=%s caf\xc3\xa9 " % (i % 8, i, secret if i % 7 == 0 else secret2 if i % 7 == 3 else b"-")
    i += 1
if mode == "line":
    block = bytes(block)
    written = 0
    while written < total - 1:
        chunk = block[: total - 1 - written]
        out.write(chunk)
        written += len(chunk)
    out.write(b"\n")
    out.flush()
    sys.exit(0)
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
    elif k == 8:
        s = b"\x1b[36mcreatesuperuser\x1b[0m --password " + secret2 + b" admin\n"
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

Plan generatorPlan(qint64 totalBytes, bool oneLine)
{
    ProcessStep step;
    step.description = QStringLiteral("generate coloured output");
    step.program = QStringLiteral("/usr/bin/python3");
    step.args = {QStringLiteral("-c"), QString::fromUtf8(GeneratorScript), QString::number(totalBytes), Secret,
                 Secret2, oneLine ? QStringLiteral("line") : QStringLiteral("lines")};
    Plan plan;
    plan.id = QStringLiteral("bench-console");
    plan.title = QStringLiteral("Console benchmark");
    plan.steps << step;
    plan.addSecret(Secret);
    plan.addSecret(Secret2);
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

// CPU time of this process (all its threads, not the generator): on a shared machine wall
// time mostly says how busy the other processes were.
double processCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct RunFigures
{
    qint64 bytes = 0;
    qint64 ms = 0;
    double cpuMs = 0;
    qint64 drainMs = 0; // after the process ended, until the console showed everything
    int exitCode = -1;
    double mbPerSecond() const { return ms > 0 ? (bytes / 1048576.0) / (ms / 1000.0) : 0; }
    double mbPerCpuSecond() const { return cpuMs > 0 ? (bytes / 1048576.0) / (cpuMs / 1000.0) : 0; }
};

RunFigures runThroughRunner(qint64 totalBytes, bool oneLine, ConsoleWidget *console)
{
    RunFigures figures;
    GuardedRunner runner;
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
    const double cpuStart = processCpuMs();
    if (!runner.start(generatorPlan(totalBytes, oneLine)))
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
    figures.cpuMs = processCpuMs() - cpuStart;
    figures.drainMs = figures.ms - readMs;
    return figures;
}


double mbPerSecond(qint64 bytes, qint64 ns)
{
    return ns > 0 ? (bytes / 1048576.0) / (ns / 1e9) : 0;
}

// One workload: the references, the console, and the core formatter alone. False on an error
// (bytes lost, a secret shown); *goalsMet false when below 100 MB/s or a stall above 50 ms.
bool runWorkload(const char *title, qint64 totalBytes, bool oneLine, bool *goalsMet)
{
    bool ok = true;
    std::printf("%s: %lld MiB from /usr/bin/python3 through PlanRunner\n", title, totalBytes >> 20);

    // Reference 1: the same bytes read through the runner, no console.
    StallMeter stall;
    stall.start();
    const RunFigures reference = runThroughRunner(totalBytes, oneLine, nullptr);
    const qint64 referenceStall = stall.stop();
    std::printf("  reference: runner, pipe read only:  %8.1f MB/s  (%lld bytes in %lld ms, longest stall %lld ms)\n",
                reference.mbPerSecond(), reference.bytes, reference.ms, referenceStall);
    if (reference.bytes != totalBytes || reference.exitCode != 0) {
        std::printf("  ERROR: reference read %lld of %lld bytes, exit code %d\n", reference.bytes, totalBytes,
                    reference.exitCode);
        ok = false;
    }

    // Reference 2: a bare QStringDecoder over the same kind of bytes (up to 32 MiB, in memory).
    QProcess generator;
    generator.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-c"), QString::fromUtf8(GeneratorScript),
                     QString::number(qMin<qint64>(totalBytes, 32 * 1024 * 1024)), Secret, Secret2,
                     oneLine ? QStringLiteral("line") : QStringLiteral("lines")});
    generator.waitForFinished(-1);
    const QByteArray sample = generator.readAllStandardOutput();
    double decoderMbps = 0;
    {
        QStringDecoder decoder(QStringDecoder::Utf8);
        QElapsedTimer clock;
        clock.start();
        qsizetype chars = 0;
        for (qsizetype at = 0; at < sample.size(); at += 65536)
            chars += QString(decoder(QByteArrayView(sample).sliced(at, std::min<qsizetype>(65536, sample.size() - at)))).size();
        decoderMbps = mbPerSecond(sample.size(), clock.nsecsElapsed());
        std::printf("  reference: bare QStringDecoder:     %8.1f MB/s  (%lld bytes, %lld chars)\n", decoderMbps,
                    qint64(sample.size()), qint64(chars));
    }

    // The console, shown, with the secrets masked as in the app.
    const qint64 rssBeforeKb = procStatusKb("VmRSS:");
    const bool peakReset = resetPeakRss();
    RunFigures console;
    qint64 consoleStall = 0;
    QString shown;
    int blockCount = 0;
    {
        ConsoleWidget widget;
        widget.resize(1000, 700);
        widget.setSecrets({Secret, Secret2});
        widget.show();
        QCoreApplication::processEvents();
        stall.start();
        console = runThroughRunner(totalBytes, oneLine, &widget);
        consoleStall = stall.stop();
        shown = widget.plainText();
        blockCount = widget.findChild<QPlainTextEdit *>()->document()->blockCount();
    }
    const qint64 peakKb = procStatusKb("VmHWM:");
    const double ratio = reference.mbPerSecond() > 0 ? console.mbPerSecond() / reference.mbPerSecond() : 0;
    std::printf("  console (runner -> ConsoleWidget):  %8.1f MB/s  (%lld bytes in %lld ms, of which %lld ms drawing "
                "the backlog after the process ended)\n",
                console.mbPerSecond(), console.bytes, console.ms, console.drainMs);
    std::printf("  ratio console / runner read:        %8.2f\n", ratio);
    std::printf("  ratio console / bare decoder:       %8.2f\n", decoderMbps > 0 ? console.mbPerSecond() / decoderMbps : 0);
    std::printf("  CPU time of this process:           %8.1f MB per CPU-second (%.0f ms; runner read only: %.1f MB "
                "per CPU-second, %.0f ms; ratio %.2f)\n",
                console.mbPerCpuSecond(), console.cpuMs, reference.mbPerCpuSecond(), reference.cpuMs,
                reference.mbPerCpuSecond() > 0 ? console.mbPerCpuSecond() / reference.mbPerCpuSecond() : 0);
    std::printf("  longest GUI-thread stall:           %8lld ms   (5 ms heartbeat)\n", consoleStall);
    std::printf("  peak RSS during console run:        %8.1f MB   (%s; RSS before %.1f MB)\n", peakKb / 1024.0,
                peakReset ? "VmHWM reset before the run" : "VmHWM of the whole process", rssBeforeKb / 1024.0);
    std::printf("  shown at the end:                   %8lld lines in %d blocks (scrollback cap 100000 blocks)\n",
                qint64(shown.count(QLatin1Char('\n'))), blockCount);
    if (console.bytes != totalBytes || console.exitCode != 0) {
        std::printf("  ERROR: console run read %lld of %lld bytes, exit code %d\n", console.bytes, totalBytes,
                    console.exitCode);
        ok = false;
    }
    if (shown.contains(Secret) || shown.contains(Secret2) || !shown.contains(SecretMasker::mask())) {
        std::printf("  ERROR: a secret was not masked in the console\n");
        ok = false;
    }

    // Where the time goes: the core formatter alone on the sample.
    {
        ConsoleStreamFormatter formatter;
        formatter.setSecrets({Secret, Secret2});
        QElapsedTimer clock;
        clock.start();
        const double cpuStart = processCpuMs();
        qsizetype chars = 0;
        for (qsizetype at = 0; at < sample.size(); at += 65536)
            chars += formatter.feed(QByteArrayView(sample).sliced(at, std::min<qsizetype>(65536, sample.size() - at))).text.size();
        chars += formatter.finish().text.size();
        std::printf("  core formatter alone (decode, mask, ANSI, \\r): %8.1f MB/s, %.1f MB per CPU-second  (%lld chars out)\n",
                    mbPerSecond(sample.size(), clock.nsecsElapsed()),
                    (sample.size() / 1048576.0) / ((processCpuMs() - cpuStart) / 1000.0), qint64(chars));
    }
    const bool goals = console.mbPerSecond() >= 100 && consoleStall <= 50;
    std::printf("  goals (>= 100 MB/s, no stall > 50 ms): %s\n", goals ? "met" : "MISSED");
    *goalsMet = *goalsMet && goals;
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 megabytes = argc > 1 ? QByteArray(argv[1]).toLongLong() : 100;
    const qint64 lineMegabytes = argc > 2 ? QByteArray(argv[2]).toLongLong() : 16;
    bool goals = true;
    bool ok = runWorkload("coloured output, two secrets", megabytes * 1024 * 1024, false, &goals);
    ok = runWorkload("one single line", lineMegabytes * 1024 * 1024, true, &goals) && ok;
    std::printf("console goals: %s\n", goals ? "met" : "MISSED");
    return ok ? 0 : 1;
}
