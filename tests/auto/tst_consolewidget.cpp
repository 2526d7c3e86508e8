// ConsoleWidget on the offscreen platform: output reaches the document through the chunked
// renderer, stderr is coloured apart, '\r' progress collapses, scrollback is capped,
// autoscroll follows only at the bottom, search, timestamps, and secrets never shown or saved.

#include "gui/consolewidget.h"

#include "console/secretmasker.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

namespace {

const QString Sentinel = QStringLiteral("Sentinel-Pa55-\u00e9\u20ac-7781");

QPlainTextEdit *viewOf(ConsoleWidget &console)
{
    auto *view = console.findChild<QPlainTextEdit *>();
    Q_ASSERT(view);
    return view;
}

QByteArray numberedLines(int from, int to)
{
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += "line " + QByteArray::number(i) + '\n';
    return out;
}

// WCAG relative luminance contrast: 4.5 is "readable" for normal text.
double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
               + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class tst_ConsoleWidget : public QObject
{
    Q_OBJECT

private slots:
    void outputAppearsAfterRendering();
    void headerAndMessages();
    void stdoutAndStderrLinesStayApart();
    void stderrHasItsOwnReadableColour_data();
    void stderrHasItsOwnReadableColour();
    void ansiColourReachesTheDocument();
    void utf8SplitAcrossAppends();
    void carriageReturnProgressEndsAsOneLine();
    void flushEmitsLastLine();
    void scrollbackIsCapped();
    void floodKeepsExactlyTheLastLines();
    void floodPassedOverShowsWhatRenderingAllShows_data();
    void floodPassedOverShowsWhatRenderingAllShows();
    void autoscrollOnlyAtBottom();
    void searchFindsAndHighlights();
    void shortcutsOpenAndCloseSearch();
    void timestampsToggle();
    void secretNeverShownNorSaved();
    void queuedOutputKeepsTheSecretsItArrivedUnder();
    void longLineSplitAtEveryOffset_data();
    void longLineSplitAtEveryOffset();
    void carriageReturnRewindsAContinuedLine();
    void longLineSavedAndCopiedWhole();
};

void tst_ConsoleWidget::outputAppearsAfterRendering()
{
    ConsoleWidget console;
    console.appendProcessOutput("hello\nwor", OutputChannel::StdOut);
    console.appendProcessOutput("ld\n", OutputChannel::StdOut);
    QVERIFY(console.hasPendingOutput()); // rendered from the timer, not synchronously
    QTRY_COMPARE(console.plainText(), QStringLiteral("hello\nworld\n"));
    QVERIFY(!console.hasPendingOutput());
    QVERIFY(viewOf(console)->isReadOnly());
}

void tst_ConsoleWidget::headerAndMessages()
{
    ConsoleWidget console;
    console.appendProcessOutput("partial", OutputChannel::StdOut);
    console.appendHeader(QStringLiteral("docker compose -f a.yml ps"));
    console.appendMessage(QStringLiteral("Step failed\n"), MessageLevel::Error);
    console.renderPendingOutput();
    const QStringList lines = console.plainText().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QStringLiteral("partial"));
    QVERIFY2(QRegularExpression(QStringLiteral("^\u2500\u2500 \\d\\d:\\d\\d:\\d\\d  \\$ docker compose -f a.yml ps \u2500\u2500$"))
                 .match(lines[1]).hasMatch(),
             qPrintable(lines[1]));
    QCOMPARE(lines[2], QStringLiteral("Step failed"));
    QCOMPARE(lines[3], QString());
}

void tst_ConsoleWidget::stdoutAndStderrLinesStayApart()
{
    ConsoleWidget console;
    console.appendProcessOutput("abc", OutputChannel::StdOut);
    console.appendProcessOutput("err\n", OutputChannel::StdErr);
    console.appendProcessOutput("def\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("abc\nerr\ndef\n"));
}

void tst_ConsoleWidget::stderrHasItsOwnReadableColour_data()
{
    QTest::addColumn<QColor>("base");
    QTest::addColumn<QColor>("text");
    QTest::addRow("light") << QColor(Qt::white) << QColor(Qt::black);
    QTest::addRow("dark") << QColor(0x1e, 0x1e, 0x1e) << QColor(0xdd, 0xdd, 0xdd);
}

void tst_ConsoleWidget::stderrHasItsOwnReadableColour()
{
    QFETCH(QColor, base);
    QFETCH(QColor, text);
    ConsoleWidget console;
    QPalette palette = console.palette();
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    console.setPalette(palette);

    console.appendProcessOutput("out\n", OutputChannel::StdOut);
    console.appendProcessOutput("err\n", OutputChannel::StdErr);
    QTRY_COMPARE(console.plainText(), QStringLiteral("out\nerr\n"));

    QTextDocument *doc = viewOf(console)->document();
    const QTextCharFormat outFormat = doc->findBlockByNumber(0).begin().fragment().charFormat();
    const QTextCharFormat errFormat = doc->findBlockByNumber(1).begin().fragment().charFormat();
    QVERIFY(!outFormat.hasProperty(QTextFormat::ForegroundBrush)); // palette text colour
    QVERIFY(errFormat.hasProperty(QTextFormat::ForegroundBrush));
    const QColor errColor = errFormat.foreground().color();
    QVERIFY(errColor != text);
    QVERIFY2(contrast(errColor, base) >= 4.5,
             qPrintable(QStringLiteral("contrast %1").arg(contrast(errColor, base))));
}

void tst_ConsoleWidget::ansiColourReachesTheDocument()
{
    ConsoleWidget console;
    console.appendProcessOutput("\x1b[1;38;2;10;200;30mgreen\x1b[0m plain\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("green plain\n"));
    const QTextBlock block = viewOf(console)->document()->firstBlock();
    const QTextFragment first = block.begin().fragment();
    QCOMPARE(first.text(), QStringLiteral("green"));
    QCOMPARE(first.charFormat().foreground().color(), QColor(10, 200, 30));
    QCOMPARE(first.charFormat().fontWeight(), int(QFont::Bold));
    const QTextFragment second = (++block.begin()).fragment();
    QCOMPARE(second.text(), QStringLiteral(" plain"));
    QVERIFY(!second.charFormat().hasProperty(QTextFormat::ForegroundBrush));
}

void tst_ConsoleWidget::utf8SplitAcrossAppends()
{
    ConsoleWidget console;
    const QByteArray bytes = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\n";
    for (char c : bytes)
        console.appendProcessOutput(QByteArray(1, c), OutputChannel::StdOut);
    QTRY_COMPARE(console.plainText(), QString::fromUtf8(bytes));
}

void tst_ConsoleWidget::carriageReturnProgressEndsAsOneLine()
{
    ConsoleWidget console;
    console.appendProcessOutput("before\n", OutputChannel::StdOut);
    // Rendered between steps, so the rewind has to reach into the document.
    for (int percent = 0; percent <= 100; percent += 10) {
        console.appendProcessOutput("\rDownloading " + QByteArray::number(percent) + "%",
                                    OutputChannel::StdErr);
        console.renderPendingOutput();
        QCOMPARE(viewOf(console)->document()->blockCount(), 2);
    }
    console.appendProcessOutput("\r\n", OutputChannel::StdErr);
    console.appendProcessOutput("after\n", OutputChannel::StdOut);
    QTRY_COMPARE(console.plainText(), QStringLiteral("before\nDownloading 100%\nafter\n"));
}

void tst_ConsoleWidget::flushEmitsLastLine()
{
    ConsoleWidget console;
    // The masker holds back only an end that could grow into the secret ("longsec").
    console.setSecrets({QStringLiteral("longsecretvalue")});
    console.appendProcessOutput("no newline at the end longsec", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("no newline at the end "));
    console.flushProcessOutput();
    QTRY_COMPARE(console.plainText(), QStringLiteral("no newline at the end longsec"));
}

void tst_ConsoleWidget::scrollbackIsCapped()
{
    ConsoleWidget console;
    console.setMaximumLineCount(100);
    for (int i = 0; i < 1000; i += 10) {
        console.appendProcessOutput(numberedLines(i, i + 10), OutputChannel::StdOut);
        QTest::qWait(1);
    }
    QTRY_VERIFY(!console.hasPendingOutput());
    QVERIFY(viewOf(console)->viewport()->updatesEnabled()); // paints held while draining are released
    QTextDocument *doc = viewOf(console)->document();
    QCOMPARE(doc->blockCount(), 100);
    QCOMPARE(doc->firstBlock().text(), QStringLiteral("line 900"));
    QCOMPARE(doc->lastBlock().text(), QStringLiteral("line 999"));
}

// A flood bigger than the scrollback is trimmed before rendering; what is shown must be the
// same as rendering all of it.
void tst_ConsoleWidget::floodKeepsExactlyTheLastLines()
{
    ConsoleWidget flooded;
    flooded.setMaximumLineCount(50);
    flooded.appendProcessOutput("partial start ", OutputChannel::StdOut);
    flooded.renderPendingOutput();
    flooded.appendProcessOutput(numberedLines(0, 500), OutputChannel::StdOut);
    flooded.appendProcessOutput("tail", OutputChannel::StdOut);
    flooded.renderPendingOutput();

    QByteArray expected;
    for (int i = 451; i < 500; ++i)
        expected += "line " + QByteArray::number(i) + '\n';
    expected += "tail";
    QCOMPARE(flooded.plainText(), QString::fromUtf8(expected));
    QCOMPARE(viewOf(flooded)->document()->blockCount(), 50);
}

namespace {

// Each block's text with the colour and weight of every fragment: two views compare equal
// only if they look the same.
QStringList describedBlocks(ConsoleWidget &console, int last)
{
    QStringList blocks;
    QTextDocument *doc = viewOf(console)->document();
    for (QTextBlock b = doc->lastBlock(); b.isValid() && blocks.size() < last; b = b.previous()) {
        QString text;
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            text += QStringLiteral("{%1,%2,%3}").arg(f.foreground().color().name(), f.background().color().name())
                        .arg(f.fontWeight())
                    + it.fragment().text();
        }
        blocks.prepend(text);
    }
    return blocks;
}

// Coloured lines whose colour carries on to the next ones, secrets in every few lines (at
// a line's start and end too), an SGR split by a line end, and stderr lines in between, so
// that stdout is queued in several pieces that end in the middle of a line.
QList<std::pair<QByteArray, OutputChannel>> floodInput(const QByteArray &secret, qsizetype stdoutPiece)
{
    QByteArray out;
    for (int i = 0; i < 400; ++i) {
        switch (i % 6) {
        case 0: out += "\x1b[0;3" + QByteArray::number(i % 8) + "mcolour " + QByteArray::number(i) + " goes on\n"; break;
        case 1: out += secret + " at the start of line " + QByteArray::number(i) + "\n"; break;
        case 2: out += "line " + QByteArray::number(i) + " ends with " + secret + "\n"; break;
        case 3: out += "split SGR \x1b[1;4\n" "4m bold on blue " + QByteArray::number(i) + "\x1b[22;49m\n"; break;
        case 4: out += "caf\xc3\xa9 \xf0\x9f\x9a\x80 pw=" + secret + " " + QByteArray::number(i) + "\n"; break;
        default: out += "no colour of its own " + QByteArray::number(i) + "\n"; break;
        }
    }
    QList<std::pair<QByteArray, OutputChannel>> pieces;
    for (qsizetype at = 0; at < out.size(); at += stdoutPiece) {
        pieces.append({out.mid(at, stdoutPiece), OutputChannel::StdOut});
        pieces.append({"warning " + QByteArray::number(at) + "\n", OutputChannel::StdErr});
    }
    return pieces;
}

} // namespace

void tst_ConsoleWidget::floodPassedOverShowsWhatRenderingAllShows_data()
{
    QTest::addColumn<int>("pieceSize");
    QTest::addRow("as queued") << 0;
    QTest::addRow("bytes one by one") << 1;
    QTest::addRow("every 7 bytes") << 7;
}

// The queue holds far more than the scrollback: the oldest output is passed over raw and the
// formatter resumes after it. The lines shown must be those of a console that rendered
// everything: same text, same colours carried into the first shown line, secrets masked,
// and Save has exactly that text.
void tst_ConsoleWidget::floodPassedOverShowsWhatRenderingAllShows()
{
    QFETCH(int, pieceSize);
    const QByteArray secret = Sentinel.toUtf8();
    for (const qsizetype stdoutPiece : {97, 333, 1000}) {
        const auto pieces = floodInput(secret, stdoutPiece);
        ConsoleWidget reference;
        reference.setSecrets({Sentinel});
        for (const auto &[bytes, channel] : pieces)
            reference.appendProcessOutput(bytes, channel);
        reference.flushProcessOutput();
        reference.renderPendingOutput();
        QVERIFY(viewOf(reference)->document()->blockCount() > 400); // nothing dropped there

        // Scrollbacks of several sizes: the cut falls on every kind of line.
        for (int lines = 40; lines < 52; ++lines) {
            ConsoleWidget flooded;
            flooded.setSecrets({Sentinel});
            flooded.setMaximumLineCount(lines);
            for (const auto &[bytes, channel] : pieces) {
                const qsizetype step = pieceSize > 0 ? pieceSize : bytes.size();
                for (qsizetype at = 0; at < bytes.size(); at += step)
                    flooded.appendProcessOutput(bytes.mid(at, step), channel);
            }
            flooded.flushProcessOutput();
            flooded.renderPendingOutput();

            QCOMPARE(viewOf(flooded)->document()->blockCount(), lines);
            QCOMPARE(describedBlocks(flooded, lines), describedBlocks(reference, lines));

            const QString text = flooded.plainText();
            QVERIFY(!text.contains(Sentinel));
            QVERIFY(!text.contains(Sentinel.left(Sentinel.size() / 2)));
            QVERIFY(text.count(SecretMasker::mask()) >= 10);
            QVERIFY(reference.plainText().endsWith(text));

            if (lines == 40) {
                QTemporaryDir dir;
                QVERIFY(dir.isValid());
                const QString path = dir.filePath(QStringLiteral("console.txt"));
                QString error;
                QVERIFY2(flooded.saveToFile(path, &error), qPrintable(error));
                QFile saved(path);
                QVERIFY(saved.open(QIODevice::ReadOnly));
                QCOMPARE(QString::fromUtf8(saved.readAll()), text);
            }
        }
    }
}

void tst_ConsoleWidget::autoscrollOnlyAtBottom()
{
    ConsoleWidget console;
    console.resize(400, 200);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    QScrollBar *bar = viewOf(console)->verticalScrollBar();

    console.appendProcessOutput(numberedLines(0, 200), OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());
    QTRY_VERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), bar->maximum());

    console.appendProcessOutput(numberedLines(200, 300), OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());
    QCOMPARE(bar->value(), bar->maximum()); // followed

    bar->setValue(10); // the user scrolls up
    const int maximumBefore = bar->maximum();
    console.appendProcessOutput(numberedLines(300, 400), OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());
    QTRY_VERIFY(bar->maximum() > maximumBefore);
    QCOMPARE(bar->value(), 10); // stays where the user is reading

    bar->setValue(bar->maximum()); // back at the bottom: following again
    console.appendProcessOutput(numberedLines(400, 500), OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(viewOf(console)->document()->lastBlock().text(), QStringLiteral("line 499"));
}

void tst_ConsoleWidget::searchFindsAndHighlights()
{
    ConsoleWidget console;
    console.resize(500, 300);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    console.appendProcessOutput("alpha\nbeta one\ngamma BETA two\n", OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());

    console.showSearchBar();
    auto *edit = console.findChild<QLineEdit *>();
    QVERIFY(edit && edit->isVisible());
    edit->setText(QStringLiteral("beta"));
    QPlainTextEdit *view = viewOf(console);
    QTRY_COMPARE(view->extraSelections().size(), 2); // every visible match, case-insensitive

    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(view->textCursor().selectedText(), QStringLiteral("beta"));
    QCOMPARE(view->textCursor().blockNumber(), 1);
    console.findNext();
    QCOMPARE(view->textCursor().selectedText(), QStringLiteral("BETA"));
    QCOMPARE(view->textCursor().blockNumber(), 2);
    console.findNext(); // wraps
    QCOMPARE(view->textCursor().blockNumber(), 1);
    console.findPrevious(); // wraps backwards
    QCOMPARE(view->textCursor().blockNumber(), 2);

    // Output that arrives while the bar is open is highlighted as it is drawn.
    console.appendProcessOutput("delta beta three\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(view->extraSelections().size(), 3);

    edit->setText(QStringLiteral("nowhere"));
    console.findNext();
    QCOMPARE(view->extraSelections().size(), 0);
    QCOMPARE(view->textCursor().blockNumber(), 2); // unchanged
}

void tst_ConsoleWidget::shortcutsOpenAndCloseSearch()
{
    ConsoleWidget console;
    console.resize(500, 300);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    console.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&console));
    console.appendProcessOutput("one x\ntwo x\nthree x\n", OutputChannel::StdOut);
    QTRY_VERIFY(!console.hasPendingOutput());
    QPlainTextEdit *view = viewOf(console);
    view->setFocus();
    auto *edit = console.findChild<QLineEdit *>();
    QVERIFY(!edit->isVisible());

    QTest::keyClick(view, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(edit->isVisible());
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("x"));
    QTest::keyClick(edit, Qt::Key_F3);
    QCOMPARE(view->textCursor().blockNumber(), 0);
    QTest::keyClick(edit, Qt::Key_F3);
    QCOMPARE(view->textCursor().blockNumber(), 1);
    QTest::keyClick(edit, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view->textCursor().blockNumber(), 0);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(view->textCursor().blockNumber(), 2);
    QCOMPARE(view->extraSelections().size(), 3);

    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(!edit->isVisible());
    QCOMPARE(view->extraSelections().size(), 0);
}

void tst_ConsoleWidget::timestampsToggle()
{
    ConsoleWidget console;
    console.appendHeader(QStringLiteral("manage.py showmigrations"));
    console.appendProcessOutput("first\nsecond\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QVERIFY(!console.timestampsShown());
    QVERIFY(!console.plainText().contains(QLatin1Char('[')));

    console.setTimestampsShown(true);
    QVERIFY(console.timestampsShown());
    const QStringList lines = console.plainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const QRegularExpression stamped(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] "));
    for (const QString &line : lines)
        QVERIFY2(stamped.match(line).hasMatch(), qPrintable(line));
    QVERIFY(lines[1].endsWith(QLatin1String("] first")));

    console.setTimestampsShown(false);
    QCOMPARE(console.plainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts).at(1),
             QStringLiteral("first"));
}

void tst_ConsoleWidget::secretNeverShownNorSaved()
{
    ConsoleWidget console;
    console.setSecrets({Sentinel});
    const QByteArray secret = Sentinel.toUtf8();

    // Byte by byte on stdout, in two pieces on stderr, in colour, in messages and headers.
    const QByteArray out = "PGPASSWORD=" + secret + " psql\n\x1b[31m" + secret + "\x1b[0m\n";
    for (char c : out)
        console.appendProcessOutput(QByteArray(1, c), OutputChannel::StdOut);
    const QByteArray err = "FATAL: password " + secret + " rejected";
    console.appendProcessOutput(err.left(20), OutputChannel::StdErr);
    console.appendProcessOutput(err.mid(20), OutputChannel::StdErr);
    console.appendMessage(QStringLiteral("connecting with ") + Sentinel, MessageLevel::Warning);
    console.appendHeader(QStringLiteral("psql password=") + Sentinel);
    console.flushProcessOutput();
    console.renderPendingOutput();

    const QString shown = console.plainText();
    QVERIFY2(!shown.contains(Sentinel), qPrintable(shown));
    QCOMPARE(shown.count(SecretMasker::mask()), 5);
    // Not even a recognisable half of it.
    QVERIFY(!shown.contains(Sentinel.left(Sentinel.size() / 2)));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("console.txt"));
    console.setTimestampsShown(true);
    QString error;
    QVERIFY2(console.saveToFile(path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray bytes = saved.readAll();
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains(secret));
    QVERIFY(bytes.contains(SecretMasker::mask().toUtf8()));
    QVERIFY(bytes.contains("rejected"));
}

// Output is formatted when it is drawn, not when it arrives: secrets set in between must not
// unmask what was queued before.
void tst_ConsoleWidget::queuedOutputKeepsTheSecretsItArrivedUnder()
{
    ConsoleWidget console;
    console.setSecrets({Sentinel});
    console.appendProcessOutput("first run: " + Sentinel.toUtf8() + "\n", OutputChannel::StdOut);
    QVERIFY(console.hasPendingOutput());
    console.setSecrets({QStringLiteral("other-secret")});
    console.appendProcessOutput("second run: other-secret " + Sentinel.toUtf8() + "\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("first run: \u2022\u2022\u2022\u2022\n"
                                                 "second run: \u2022\u2022\u2022\u2022 ") + Sentinel + QLatin1Char('\n'));
}

namespace {

constexpr int SmallBound = 16;

// A long coloured line with UTF-8 that needs two UTF-16 units (so some cut falls inside a
// pair), short lines around it, and a last line without '\n'.
QByteArray longLineInput()
{
    QByteArray line;
    for (int i = 0; i < 9; ++i)
        line += "ab\xf0\x9f\x9a\x80" "cd\xc3\xa9";
    return "head\n\x1b[32m" + line + "\x1b[0m tail of the long one\nshort\n"
           + "a last line without an end, longer than the bound";
}

QString longLineExpected()
{
    QString line;
    for (int i = 0; i < 9; ++i)
        line += QStringLiteral("ab\U0001F680cd\u00e9");
    return QStringLiteral("head\n") + line + QStringLiteral(" tail of the long one\nshort\n")
           + QStringLiteral("a last line without an end, longer than the bound");
}

const QString HiddenMarker = QStringLiteral(" \u2026 (line continues: Save or Copy has all of it)");

// Every block within the bound (plus the marker of a hidden rest), continuations marked, no
// character cut in half.
void checkBlocks(ConsoleWidget &console, int *continuations, int *hidden)
{
    *continuations = *hidden = 0;
    for (QTextBlock b = viewOf(console)->document()->begin(); b.isValid(); b = b.next()) {
        const bool cut = b.text().endsWith(HiddenMarker);
        *hidden += cut ? 1 : 0;
        QVERIFY2(b.length() - 1 - (cut ? HiddenMarker.size() : 0) <= SmallBound, qPrintable(b.text()));
        QVERIFY2(b.text().isEmpty() || !b.text().back().isHighSurrogate(), qPrintable(b.text()));
        if (b.text().startsWith(QStringLiteral("\u21aa ")))
            ++*continuations;
    }
}

} // namespace

void tst_ConsoleWidget::longLineSplitAtEveryOffset_data()
{
    QTest::addColumn<int>("blocksPerLine");
    QTest::addColumn<int>("hiddenLines");
    QTest::addRow("wrapped") << 8 << 0;
    QTest::addRow("wrapped, the rest hidden") << 3 << 2; // the long line and the last one
}

// The same output split at every byte offset, rendered between the two halves, shows the same
// lines, each within the bound; the text joins again to exactly what arrived.
void tst_ConsoleWidget::longLineSplitAtEveryOffset()
{
    QFETCH(int, blocksPerLine);
    QFETCH(int, hiddenLines);
    const QByteArray input = longLineInput();
    const QString expected = longLineExpected();
    int referenceContinuations = -1;
    for (int at = 0; at <= input.size(); ++at) {
        ConsoleWidget console;
        console.setMaximumBlockLength(SmallBound);
        console.setMaximumBlocksPerLine(blocksPerLine);
        console.appendProcessOutput(input.left(at), OutputChannel::StdOut);
        console.renderPendingOutput();
        console.appendProcessOutput(input.mid(at), OutputChannel::StdOut);
        console.flushProcessOutput();
        console.renderPendingOutput();
        QCOMPARE(console.plainText(), expected);
        int continuations = 0, hidden = 0;
        checkBlocks(console, &continuations, &hidden);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("split at %1").arg(at)));
        // 76 units of the long line with its tail, 49 of the last one: several blocks each.
        QVERIFY2(continuations >= (blocksPerLine == 3 ? 4 : 7), qPrintable(QString::number(continuations)));
        QCOMPARE(hidden, hiddenLines);
        if (referenceContinuations < 0)
            referenceContinuations = continuations;
        QCOMPARE(continuations, referenceContinuations);
        if (at == input.size() / 2) { // with timestamps: one prefix per line, not per block
            console.setTimestampsShown(true);
            QCOMPARE(console.plainText().count(QRegularExpression(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] "),
                                                                  QRegularExpression::MultilineOption)),
                     4);
        }
    }
}

void tst_ConsoleWidget::carriageReturnRewindsAContinuedLine()
{
    ConsoleWidget console;
    console.setMaximumBlockLength(SmallBound);
    console.appendProcessOutput("before\n", OutputChannel::StdOut);
    console.appendProcessOutput("progress " + QByteArray(60, '#'), OutputChannel::StdOut);
    console.renderPendingOutput();
    QVERIFY(viewOf(console)->document()->blockCount() >= 5);
    console.appendProcessOutput("\rdone\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("before\ndone\n"));
    QCOMPARE(viewOf(console)->document()->blockCount(), 2);

    // Also when the rest of the line was hidden: the hidden text goes with it.
    console.setMaximumBlocksPerLine(2);
    console.appendProcessOutput("again " + QByteArray(80, '*'), OutputChannel::StdOut);
    console.renderPendingOutput();
    QVERIFY(console.plainText().endsWith(QString(80, QLatin1Char('*'))));
    console.appendProcessOutput("\rfinal\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    QCOMPARE(console.plainText(), QStringLiteral("before\ndone\nfinal\n"));
}

// A megabyte-long line: shown in bounded blocks (the default bounds), at most 8 of them, saved
// and copied whole.
void tst_ConsoleWidget::longLineSavedAndCopiedWhole()
{
    ConsoleWidget console;
    QByteArray line;
    for (int i = 0; line.size() < (1 << 20); ++i)
        line += "\x1b[3" + QByteArray::number(i % 8) + "mchunk " + QByteArray::number(i) + "\x1b[0m ";
    for (qsizetype at = 0; at < line.size(); at += 4096) {
        console.appendProcessOutput(line.mid(at, 4096), OutputChannel::StdOut);
        if (at % (37 * 4096) == 0)
            QTest::qWait(2); // the timer renders some of it in budgeted chunks
    }
    console.appendProcessOutput("\nafter\n", OutputChannel::StdOut);
    console.renderPendingOutput();
    const QString shown = console.plainText();
    QVERIFY(shown.endsWith(QStringLiteral(" \nafter\n")));
    const QString longLine = shown.section(QLatin1Char('\n'), 0, 0);
    QVERIFY(!longLine.contains(QStringLiteral("\u21aa")));
    QVERIFY(longLine.startsWith(QStringLiteral("chunk 0 chunk 1 chunk 2 ")));
    // Every "chunk N" in order, none lost or doubled at a block boundary.
    const QStringList words = longLine.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(words.size() % 2, 0);
    for (qsizetype w = 0; w < words.size(); w += 2)
        QCOMPARE(words.at(w + 1), QString::number(w / 2));
    // Shown: the first 8 blocks of it, the last ending with the marker; the rest is only kept.
    QTextDocument *doc = viewOf(console)->document();
    QCOMPARE(doc->blockCount(), console.maximumBlocksPerLine() + 1);
    QVERIFY(doc->findBlockByNumber(console.maximumBlocksPerLine() - 1).text().endsWith(HiddenMarker));
    QCOMPARE(doc->lastBlock().text(), QStringLiteral("after"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("console.txt"));
    QString error;
    QVERIFY2(console.saveToFile(path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(saved.readAll()), shown);

    // Copy: everything, and a selection across block boundaries, both joined.
    console.copyToClipboard();
    QCOMPARE(QGuiApplication::clipboard()->text(), shown);
    QTextCursor selection(viewOf(console)->document());
    const int blockLength = console.maximumBlockLength();
    selection.setPosition(100);
    selection.setPosition(3 * blockLength + 50, QTextCursor::KeepAnchor);
    viewOf(console)->setTextCursor(selection);
    console.copyToClipboard();
    // Three block boundaries crossed: no separator and no marker ("↪ ") is copied.
    const QString copied = QGuiApplication::clipboard()->text();
    QCOMPARE(copied, longLine.mid(100, 3 * blockLength + 50 - 100 - 3 * (1 + 2)));
    // A selection that reaches the marker copies the hidden rest too.
    selection.setPosition(doc->findBlockByNumber(1).position() + 2);
    selection.setPosition(doc->lastBlock().position() + 2, QTextCursor::KeepAnchor);
    viewOf(console)->setTextCursor(selection);
    console.copyToClipboard();
    QCOMPARE(QGuiApplication::clipboard()->text(), longLine.mid(blockLength) + QStringLiteral("\naf"));
}

QTEST_MAIN(tst_ConsoleWidget)
#include "tst_consolewidget.moc"
