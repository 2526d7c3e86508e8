// TerminalLineScanner, the console's way past output that scrolls out unseen: it must count
// the lines the parser makes and leave the escape state where the parser would, so that a
// formatter resumed after the k-th line end (ConsoleStreamFormatter::restartLine) shows the
// rest exactly as one that read everything: same text, same style per character, secrets
// masked, whatever the input was split into.

#include "console/consolestreamformatter.h"
#include "console/secretmasker.h"
#include "console/terminallinescanner.h"

#include <QTest>

namespace {

const QString Secret = QStringLiteral("Scan-S3cret-\u00e9");

// Colour set on one line and kept on the next ones, an SGR split across a line end (controls
// run inside a CSI), an OSC title holding a '\n' that ends no line, '\r' progress, UTF-8 of
// two UTF-16 units, a secret at the start and at the end of lines, and escapes of other kinds.
QByteArray input()
{
    const QByteArray secret = Secret.toUtf8();
    return "plain start\n"
           "\x1b[31mred from here on\n"
           "still red, then \x1b[1;38;5;208mbold orange\n"
           + secret + " starts this line\n"
           "this one ends with the secret " + secret + "\n"
           "a CSI split by a line end \x1b[4\n"
           "4mblue background from the previous line\x1b[0m\n"
           "\x1b]0;a title\nwith a newline\x07 after the title\n"
           "progress 10%\rprogress 100%\r\n"
           "\x1b[38;2;10;20;30mrgb \xf0\x9f\x9a\x80 caf\xc3\xa9\x1b[K\x1b(B\n"
           "\x1b[3mitalic, unfinished escape at the end\x1b[";
}

// Text with each character's style, '\n' kept: two outputs compare equal only if both match.
QString described(const StyledChunk &chunk)
{
    QString out;
    qsizetype at = 0;
    for (const StyledRun &run : chunk.runs) {
        const TerminalStyle &s = run.style;
        out += QStringLiteral("{%1/%2/%3/%4,%5%6%7}").arg(int(s.foreground.kind)).arg(s.foreground.value)
                   .arg(int(s.background.kind)).arg(s.background.value).arg(int(s.bold)).arg(int(s.italic))
                   .arg(int(s.underline)) + chunk.text.mid(at, run.length);
        at += run.length;
    }
    return out;
}

StyledChunk formatAll(ConsoleStreamFormatter &formatter, const QByteArray &bytes, qsizetype step)
{
    StyledChunk out;
    for (qsizetype at = 0; at < bytes.size(); at += step)
        out.merge(formatter.feed(QByteArrayView(bytes).sliced(at, std::min(step, bytes.size() - at))));
    out.merge(formatter.finish());
    return out;
}

} // namespace

class tst_TerminalLineScanner : public QObject
{
    Q_OBJECT

private slots:
    void countsTheParsersLines_data();
    void countsTheParsersLines();
    void resumesAfterEveryLine_data();
    void resumesAfterEveryLine();
    void secretWithAControlCharacterTurnsSkippingOff();
};

void tst_TerminalLineScanner::countsTheParsersLines_data()
{
    QTest::addColumn<qsizetype>("step");
    QTest::addRow("whole") << qsizetype(1 << 20);
    for (qsizetype step : {1, 2, 3, 5, 8, 13})
        QTest::addRow("split every %lld", qlonglong(step)) << step;
}

// The same count and the same final state however the bytes arrive.
void tst_TerminalLineScanner::countsTheParsersLines()
{
    QFETCH(qsizetype, step);
    const QByteArray bytes = input();
    ConsoleStreamFormatter formatter;
    const StyledChunk all = formatAll(formatter, bytes, bytes.size());

    TerminalLineScanner scanner;
    qsizetype lines = 0;
    qsizetype lastLineStart = -1;
    for (qsizetype at = 0; at < bytes.size(); at += step) {
        const qsizetype n = std::min(step, bytes.size() - at);
        lines += scanner.scan(QByteArrayView(bytes).sliced(at, n));
        if (scanner.lastLineStart() >= 0)
            lastLineStart = at + scanner.lastLineStart();
    }
    QCOMPARE(lines, all.newlineCount());
    QCOMPARE(lines, qsizetype(10)); // the OSC's '\n' is not a line end
    QCOMPARE(lastLineStart, bytes.lastIndexOf('\n') + 1);
    QCOMPARE(scanner.state().mode, TerminalEscapeState::Mode::Csi); // the unfinished "\x1b[" at the end
    QVERIFY(scanner.state().style.italic);
}

void tst_TerminalLineScanner::resumesAfterEveryLine_data()
{
    QTest::addColumn<qsizetype>("step");
    QTest::addRow("rest whole") << qsizetype(1 << 20);
    for (qsizetype step : {1, 4, 7})
        QTest::addRow("rest split every %lld", qlonglong(step)) << step;
}

void tst_TerminalLineScanner::resumesAfterEveryLine()
{
    QFETCH(qsizetype, step);
    const QByteArray bytes = input();
    ConsoleStreamFormatter reference;
    reference.setSecrets({Secret});
    const StyledChunk all = formatAll(reference, bytes, bytes.size());
    QVERIFY(!all.text.contains(Secret));
    QCOMPARE(all.text.count(SecretMasker::mask()), 2);

    for (qsizetype skipped = 1; skipped <= all.newlineCount(); ++skipped) {
        TerminalLineScanner scanner;
        const qsizetype cut = scanner.skipLines(bytes, skipped);
        ConsoleStreamFormatter resumed;
        resumed.setSecrets({Secret});
        resumed.feed(QByteArrayView(bytes).first(cut - 1)); // what it held before, thrown away
        resumed.restartLine(scanner.state());
        const StyledChunk rest = formatAll(resumed, bytes.sliced(cut), step);

        qsizetype from = -1;
        for (qsizetype k = 0; k < skipped; ++k)
            from = all.text.indexOf(QLatin1Char('\n'), from + 1);
        StyledChunk expected = all;
        expected.dropFront(from + 1);
        QCOMPARE(described(rest), described(expected));
        QVERIFY(!rest.text.contains(Secret.left(6)));
    }
}

void tst_TerminalLineScanner::secretWithAControlCharacterTurnsSkippingOff()
{
    ConsoleStreamFormatter formatter;
    QVERIFY(formatter.canSkipLines());
    formatter.setSecrets({QStringLiteral("plain-secret")});
    QVERIFY(formatter.canSkipLines());
    formatter.setSecrets({QStringLiteral("two\nlines")});
    QVERIFY(!formatter.canSkipLines());
    formatter.setSecrets({QStringLiteral("esc\x1b[0m")});
    QVERIFY(!formatter.canSkipLines());
}

QTEST_GUILESS_MAIN(tst_TerminalLineScanner)
#include "tst_terminallinescanner.moc"
