// The console's byte-to-styled-text pipeline (ConsoleStreamFormatter): ANSI SGR colours, '\r'
// progress lines, UTF-8 split across reads, partial escape sequences and secret masking.
// Every input is also fed split at every byte offset (and byte by byte) and must give exactly
// what the unsplit input gives.

#include "console/consolestreamformatter.h"
#include "console/secretmasker.h"
#include "console/styledchunk.h"

#include <QList>
#include <QTest>

namespace {

// What a console shows after a stream of chunks: lines of styled text. Mirrors how
// ConsoleWidget applies chunks, without widgets, so results can be compared exactly.
class ScreenModel
{
public:
    void apply(const StyledChunk &chunk)
    {
        if (chunk.clearsOpenLine)
            m_lines.last().clear();
        qsizetype offset = 0;
        for (const StyledRun &run : chunk.runs) {
            const QStringView piece = QStringView(chunk.text).mid(offset, run.length);
            offset += run.length;
            qsizetype start = 0;
            for (qsizetype i = 0; i <= piece.size(); ++i) {
                if (i == piece.size() || piece[i] == u'\n') {
                    appendToLastLine(piece.mid(start, i - start), run.style);
                    if (i < piece.size())
                        m_lines.append(Line());
                    start = i + 1;
                }
            }
        }
        QCOMPARE_EQ(offset, chunk.text.size()); // runs cover the text exactly
    }

    // "[fg=1,b]red[/] plain" per line, lines joined by '\n'.
    QString serialized() const
    {
        QStringList out;
        for (const Line &line : m_lines) {
            QString s;
            for (const Piece &p : line) {
                if (p.style.isPlain())
                    s += p.text;
                else
                    s += QLatin1Char('[') + describe(p.style) + QLatin1Char(']') + p.text
                         + QLatin1String("[/]");
            }
            out << s;
        }
        return out.join(QLatin1Char('\n'));
    }

    QString plainText() const
    {
        QStringList out;
        for (const Line &line : m_lines) {
            QString s;
            for (const Piece &p : line)
                s += p.text;
            out << s;
        }
        return out.join(QLatin1Char('\n'));
    }

private:
    struct Piece
    {
        QString text;
        TerminalStyle style;
    };
    using Line = QList<Piece>;

    void appendToLastLine(QStringView text, const TerminalStyle &style)
    {
        if (text.isEmpty())
            return;
        Line &line = m_lines.last();
        if (!line.isEmpty() && line.last().style == style)
            line.last().text += text;
        else
            line.append(Piece{text.toString(), style});
    }

    static QString describeColor(const TerminalColor &c)
    {
        if (c.kind == TerminalColor::Kind::Indexed)
            return QString::number(c.value);
        return QStringLiteral("#%1").arg(c.value, 6, 16, QLatin1Char('0'));
    }

    static QString describe(const TerminalStyle &s)
    {
        QStringList parts;
        if (!s.foreground.isDefault())
            parts << QLatin1String("fg=") + describeColor(s.foreground);
        if (!s.background.isDefault())
            parts << QLatin1String("bg=") + describeColor(s.background);
        if (s.bold)
            parts << QStringLiteral("b");
        if (s.italic)
            parts << QStringLiteral("i");
        if (s.underline)
            parts << QStringLiteral("u");
        return parts.join(QLatin1Char(','));
    }

    QList<Line> m_lines{Line()};
};

ScreenModel render(const QList<QByteArray> &pieces, const QStringList &secrets = {})
{
    ConsoleStreamFormatter formatter;
    formatter.setSecrets(secrets);
    ScreenModel screen;
    for (const QByteArray &piece : pieces)
        screen.apply(formatter.feed(piece));
    screen.apply(formatter.finish());
    return screen;
}

QList<QByteArray> splitAt(const QByteArray &input, QList<qsizetype> offsets)
{
    QList<QByteArray> pieces;
    qsizetype from = 0;
    for (qsizetype at : offsets) {
        pieces << input.mid(from, at - from);
        from = at;
    }
    pieces << input.mid(from);
    return pieces;
}

QList<QByteArray> byteByByte(const QByteArray &input)
{
    QList<QByteArray> pieces;
    for (char c : input)
        pieces << QByteArray(1, c);
    return pieces;
}

const QByteArray Sentinel = QByteArrayLiteral("S3ntinel-pw\xc3\xa9-42");

} // namespace

class tst_Ansi : public QObject
{
    Q_OBJECT

private slots:
    void formatting_data();
    void formatting();
    void splitAnywhereGivesSameResult_data() { formatting_data(); }
    void splitAnywhereGivesSameResult();
    void secretSplitAnywhereIsMasked_data();
    void secretSplitAnywhereIsMasked();
    void stateEndsWithStream();
    void chunkSplitDropAndMergeKeepStyles();
    void xtermPalette();
};

void tst_Ansi::formatting_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    QTest::addRow("plain") << QByteArray("hello\nworld") << QStringLiteral("hello\nworld");
    QTest::addRow("trailing newline") << QByteArray("a\n") << QStringLiteral("a\n");
    QTest::addRow("16 colours fg")
        << QByteArray("\x1b[31mred\x1b[0m \x1b[92mbright green\x1b[39m")
        << QStringLiteral("[fg=1]red[/] [fg=10]bright green[/]");
    QTest::addRow("16 colours bg") << QByteArray("\x1b[44mblue\x1b[49m \x1b[103my\x1b[0m")
                                   << QStringLiteral("[bg=4]blue[/] [bg=11]y[/]");
    QTest::addRow("256 colours") << QByteArray("\x1b[38;5;208morange\x1b[48;5;17;38;5;255mx\x1b[m")
                                 << QStringLiteral("[fg=208]orange[/][fg=255,bg=17]x[/]");
    QTest::addRow("rgb") << QByteArray("\x1b[38;2;255;128;0mrgb\x1b[48;2;1;2;3m!\x1b[0m")
                         << QStringLiteral("[fg=#ff8000]rgb[/][fg=#ff8000,bg=#010203]![/]");
    QTest::addRow("rgb colon form") << QByteArray("\x1b[38:2::10:20:30mc\x1b[0m")
                                    << QStringLiteral("[fg=#0a141e]c[/]");
    // Plain codes are applied as they are read, extended colours by the full parameter list:
    // both in one sequence, and empty parameters counting as 0 (a reset).
    QTest::addRow("plain codes around an extended colour")
        << QByteArray("\x1b[1;38;5;208;4mx\x1b[0;;32my\x1b[1m\x1b[;4mz\x1b[0m")
        << QStringLiteral("[fg=208,b,u]x[/][fg=2]y[/][u]z[/]");
    QTest::addRow("bold and reset") << QByteArray("\x1b[1mbold\x1b[0m normal \x1b[1;3;4mall\x1b[22mnb")
                                    << QStringLiteral("[b]bold[/] normal [b,i,u]all[/][i,u]nb[/]");
    QTest::addRow("bold colour then reset mid-line")
        << QByteArray("ok: \x1b[1;32mOK\x1b[0m\nerr: \x1b[31;1mFAIL\x1b[m\n")
        << QStringLiteral("ok: [fg=2,b]OK[/]\nerr: [fg=1,b]FAIL[/]\n");
    QTest::addRow("other CSI swallowed") << QByteArray("a\x1b[2K\x1b[1Gb\x1b[?25lc\x1b[10;20Hd")
                                         << QStringLiteral("abcd");
    QTest::addRow("OSC title swallowed") << QByteArray("\x1b]0;title\x07x\x1b]8;;http://e\x1b\\y")
                                         << QStringLiteral("xy");
    QTest::addRow("charset escape swallowed") << QByteArray("\x1b(Bplain") << QStringLiteral("plain");
    QTest::addRow("CR overwrites progress")
        << QByteArray("progress 10%\rprogress 50%\rprogress 100%\ndone")
        << QStringLiteral("progress 100%\ndone");
    QTest::addRow("CR with erase-line") << QByteArray("50%\r\x1b[K100%\n") << QStringLiteral("100%\n");
    QTest::addRow("CRLF is newline") << QByteArray("one\r\ntwo\r\n") << QStringLiteral("one\ntwo\n");
    QTest::addRow("CR CR LF is newline") << QByteArray("one\r\r\ntwo") << QStringLiteral("one\ntwo");
    QTest::addRow("trailing CR keeps line") << QByteArray("50%\r") << QStringLiteral("50%");
    QTest::addRow("CR keeps colour state")
        << QByteArray("\x1b[33m10%\r20%\x1b[0m\r\x1b[32mdone\x1b[0m\n")
        << QStringLiteral("[fg=2]done[/]\n");
    QTest::addRow("other controls dropped, tab kept") << QByteArray("a\bb\x07\tc" "\x00" "d", 9)
                                                      << QStringLiteral("ab\tcd");
    QTest::addRow("utf8 2-byte") << QByteArray("caf\xc3\xa9 \xc3\xbc") << QStringLiteral("caf\u00e9 \u00fc");
    QTest::addRow("utf8 3-byte") << QByteArray("\xe2\x82\xac 5 \xe2\x80\xa6")
                                 << QStringLiteral("\u20ac 5 \u2026");
    QTest::addRow("utf8 4-byte emoji")
        << QByteArray("ok \xf0\x9f\x98\x80 \xf0\x9f\x9a\x80\n")
        << (QStringLiteral("ok ") + QString::fromUcs4(U"\U0001F600") + QLatin1Char(' ')
            + QString::fromUcs4(U"\U0001F680") + QLatin1Char('\n'));
    QTest::addRow("utf8 inside colour")
        << QByteArray("\x1b[35m\xe6\x97\xa5\xe6\x9c\xac\x1b[0m")
        << QStringLiteral("[fg=5]\u65e5\u672c[/]");
    QTest::addRow("invalid utf8 replaced") << QByteArray("a\xff" "b") << QStringLiteral("a\ufffdb");
    QTest::addRow("incomplete utf8 then ascii") << QByteArray("a\xe2\x82xy")
                                                << QStringLiteral("a\ufffd\ufffdxy"); // one per byte, as Qt does
    QTest::addRow("truncated utf8 at end") << QByteArray("a\xe2\x82")
                                           << QStringLiteral("a\ufffd\ufffd");
    QTest::addRow("partial escape at end dropped") << QByteArray("text\x1b[3")
                                                   << QStringLiteral("text");
    QTest::addRow("ESC then non-sequence char") << QByteArray("a\x1b\nb") << QStringLiteral("a\nb");
    QTest::addRow("unknown SGR ignored") << QByteArray("\x1b[5;7;31mx") << QStringLiteral("[fg=1]x[/]");
}

void tst_Ansi::formatting()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QCOMPARE(render({input}).serialized(), expected);
}

void tst_Ansi::splitAnywhereGivesSameResult()
{
    QFETCH(QByteArray, input);
    const QString whole = render({input}).serialized();

    for (qsizetype at = 0; at <= input.size(); ++at)
        QCOMPARE(render(splitAt(input, {at})).serialized(), whole);

    QCOMPARE(render(byteByByte(input)).serialized(), whole);

    // Two cuts: catches state that survives one split but not two close together.
    for (qsizetype a = 0; a <= input.size(); ++a) {
        for (qsizetype b = a; b <= input.size(); ++b)
            QCOMPARE(render(splitAt(input, {a, b})).serialized(), whole);
    }
}

void tst_Ansi::secretSplitAnywhereIsMasked_data()
{
    QTest::addColumn<QByteArray>("input");

    QTest::addRow("plain") << QByteArray("connecting with password=" + Sentinel + " ok\n");
    QTest::addRow("coloured around")
        << QByteArray("\x1b[31mDB_PASSWORD=\x1b[0m" + Sentinel + "\x1b[1m!\x1b[0m\n");
    QTest::addRow("twice, no newline") << QByteArray(Sentinel + Sentinel);
    QTest::addRow("at end") << QByteArray("pw: " + Sentinel);
    QTest::addRow("progress line") << QByteArray("try " + Sentinel + "\rtry " + Sentinel + "\n");
}

void tst_Ansi::secretSplitAnywhereIsMasked()
{
    QFETCH(QByteArray, input);
    const QString secret = QString::fromUtf8(Sentinel);
    const QStringList secrets{secret};

    auto check = [&](const QList<QByteArray> &pieces) {
        const QString text = render(pieces, secrets).plainText();
        if (text.contains(secret) || !text.contains(SecretMasker::mask()))
            QFAIL(qPrintable(QStringLiteral("secret not masked in: ") + text));
    };
    check({input});
    for (qsizetype at = 0; at <= input.size(); ++at)
        check(splitAt(input, {at}));
    check(byteByByte(input));
    for (qsizetype a = 0; a <= input.size(); ++a) {
        for (qsizetype b = a; b <= input.size(); ++b)
            check(splitAt(input, {a, b}));
    }
}

// A process's colour and half-read escape must not leak into the next process's output.
void tst_Ansi::stateEndsWithStream()
{
    ConsoleStreamFormatter formatter;
    ScreenModel screen;
    screen.apply(formatter.feed("\x1b[31mred \x1b[1"));
    screen.apply(formatter.finish());
    screen.apply(formatter.feed("\nplain"));
    screen.apply(formatter.finish());
    QCOMPARE(screen.serialized(), QStringLiteral("[fg=1]red [/]\nplain"));
}

// The console cuts queued chunks (takeFront to render a budget, dropFront for lines that
// scroll out unseen) and merges them: at every cut, each character keeps its style.
void tst_Ansi::chunkSplitDropAndMergeKeepStyles()
{
    ConsoleStreamFormatter formatter;
    const StyledChunk whole = formatter.feed("a\x1b[31mred\nmore\x1b[0m plain\n\x1b[1;4mbold\x1b[0m\nend\n");
    auto styleAt = [](const StyledChunk &chunk, qsizetype at) {
        for (const StyledRun &run : chunk.runs) {
            if (at < run.length)
                return run.style;
            at -= run.length;
        }
        return TerminalStyle();
    };
    auto covered = [](const StyledChunk &chunk) {
        qsizetype total = 0;
        for (const StyledRun &run : chunk.runs) {
            if (run.length <= 0)
                return qsizetype(-1); // an empty run is a defect too
            total += run.length;
        }
        return total;
    };
    QCOMPARE(covered(whole), whole.text.size());
    for (qsizetype cut = 0; cut <= whole.text.size(); ++cut) {
        StyledChunk back = whole;
        const StyledChunk front = back.takeFront(cut);
        QCOMPARE(front.text + back.text, whole.text);
        QCOMPARE(covered(front), front.text.size());
        QCOMPARE(covered(back), back.text.size());
        StyledChunk dropped = whole;
        dropped.dropFront(cut);
        QCOMPARE(dropped.text, back.text);
        QCOMPARE(dropped.runs.size(), back.runs.size());
        StyledChunk merged = front;
        merged.merge(back);
        QCOMPARE(merged.text, whole.text);
        QCOMPARE(merged.runs.size(), whole.runs.size()); // adjacent equal styles join again
        for (qsizetype i = 0; i < whole.text.size(); ++i) {
            QVERIFY(styleAt(merged, i) == styleAt(whole, i));
            if (i >= cut)
                QVERIFY(styleAt(dropped, i - cut) == styleAt(whole, i));
        }
    }
}

void tst_Ansi::xtermPalette()
{
    QCOMPARE(xtermCubeOrGreyRgb(16), 0x000000u);
    QCOMPARE(xtermCubeOrGreyRgb(196), 0xff0000u);
    QCOMPARE(xtermCubeOrGreyRgb(208), 0xff8700u);
    QCOMPARE(xtermCubeOrGreyRgb(231), 0xffffffu);
    QCOMPARE(xtermCubeOrGreyRgb(232), 0x080808u);
    QCOMPARE(xtermCubeOrGreyRgb(255), 0xeeeeeeu);
}

QTEST_GUILESS_MAIN(tst_Ansi)
#include "tst_ansi.moc"
