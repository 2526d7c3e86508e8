// Secret masking throughput: console-like text in which the database password recurs every
// few lines and the superuser password only once, at the very end (the case that made the old
// per-secret search quadratic in the chunk), masked in 16 KiB pieces as the console feeds it and
// as one text. Prints MB/s at three sizes beside references measured on the same data in the
// same run: a plain copy (memcpy) and one QStringView::indexOf pass for a single secret, the
// least any masker must do. Ratio = ours / indexOf reference (goal: >= 300 MB/s).
//
// Usage: bench_secretmasker
#include "console/secretmasker.h"

#include <QElapsedTimer>
#include <QList>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

const QString DbPassword = QStringLiteral("Bench-S3cret-pw");
const QString SuperuserPassword = QStringLiteral("Superuser-Pw-9");
constexpr qsizetype kPiece = 16 * 1024;

QString consoleText(qsizetype bytes)
{
    QString text;
    text.reserve(bytes + 256);
    for (int i = 0; text.size() < bytes; ++i) {
        switch (i % 8) {
        case 0:
            text += QStringLiteral("connecting with PGPASSWORD=%1 to db\n").arg(DbPassword);
            break;
        case 1:
            text += QStringLiteral("  Applying app_%1.0001_initial... OK caf\u00e9 \u20ac\n").arg(i);
            break;
        case 2:
            text += QStringLiteral("\x1b[1;32mOK\x1b[0m   migrating Sentinel-like text, Bench-S3cret is not it\n");
            break;
        default:
            text += QStringLiteral("plain output line %1: Applying contenttypes.0002_remove_content_type_name... OK\n").arg(i);
        }
    }
    text.truncate(bytes - SuperuserPassword.size() - 1);
    text += SuperuserPassword + QLatin1Char('\n');
    return text;
}

template<typename F>
double bestMs(int runs, F &&f)
{
    double best = 1e300;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        best = std::min(best, t.nsecsElapsed() / 1e6);
    }
    return best;
}

double mbPerSecond(qsizetype bytes, double ms)
{
    return ms > 0 ? (bytes / 1048576.0) / (ms / 1000.0) : 0;
}

} // namespace

int main()
{
    std::printf("secret masking, 2 secrets, %lld KiB pieces (MB = 2^20 characters; best of 3)\n", qlonglong(kPiece / 1024));
    std::printf("%10s %12s %12s %12s %12s %8s %8s\n", "size", "feed MB/s", "apply MB/s", "indexOf MB/s",
                "memcpy MB/s", "feed/ref", "masks");
    bool ok = true;
    for (const qsizetype mib : {1, 16, 64}) {
        const QString text = consoleText(mib << 20);
        const qsizetype n = text.size();
        const qsizetype expectedMasks = text.count(DbPassword) + 1;
        qsizetype masks = 0;
        qsizetype sink = 0;

        QString shown;
        const double feedMs = bestMs(3, [&] {
            SecretMasker masker({DbPassword, SuperuserPassword});
            shown = QString();
            shown.reserve(n);
            for (qsizetype at = 0; at < n; at += kPiece)
                shown += masker.feed(text.mid(at, kPiece));
            shown += masker.finish();
        });
        masks = shown.count(SecretMasker::mask()); // outside the clock
        ok = ok && masks == expectedMasks && !shown.contains(DbPassword) && !shown.contains(SuperuserPassword);
        shown = QString();
        const double applyMs = bestMs(3, [&] {
            sink += SecretMasker({DbPassword, SuperuserPassword}).apply(text).size();
        });
        // Reference 1: one secret searched through the same pieces, each piece copied out.
        const double indexOfMs = bestMs(3, [&] {
            QString shown;
            shown.reserve(n);
            for (qsizetype at = 0; at < n; at += kPiece) {
                const QString piece = text.mid(at, kPiece);
                for (qsizetype i = piece.indexOf(DbPassword); i >= 0; i = piece.indexOf(DbPassword, i + 1))
                    ++sink;
                shown += piece;
            }
        });
        // Reference 2: the bytes copied once, the floor for anything that returns new text.
        QList<char16_t> copy(n);
        const double memcpyMs = bestMs(3, [&] {
            std::memcpy(copy.data(), text.constData(), n * sizeof(char16_t));
            sink += copy.at(n / 2);
        });
        const double feedRate = mbPerSecond(n, feedMs);
        std::printf("%7lld MiB %12.0f %12.0f %12.0f %12.0f %7.2fx %8lld\n", qlonglong(mib), feedRate,
                    mbPerSecond(n, applyMs), mbPerSecond(n, indexOfMs), mbPerSecond(n, memcpyMs),
                    feedRate / mbPerSecond(n, indexOfMs), qlonglong(masks));
    }
    std::printf("goal: >= 300 MB/s at every size, flat with size%s\n", ok ? "" : "   MASK COUNT WRONG");
    return ok ? 0 : 1;
}
