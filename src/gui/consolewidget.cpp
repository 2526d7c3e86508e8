#include "consolewidget.h"

#include "console/consolestreamformatter.h"
#include "console/secretmasker.h"
#include "console/styledchunk.h"
#include "console/terminallinescanner.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QTime>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <deque>
#include <optional>
#include <vector>

namespace {

using namespace std::chrono_literals;

// Chunk scheduling, in characters and milliseconds. A chunk that formats slower than the
// budget halves the next one; a fast one grows it. The timer then waits about as long as the
// chunk took, so input and painting keep at least half of the GUI thread. While output keeps
// pouring in faster than it can be drawn, the interval doubles up to FloodIntervalMs: the
// queue grows, and whatever would scroll out of the capped scrollback is dropped before it is
// ever formatted or drawn (passed over by TerminalLineScanner, see RawOutput); while the queue
// holds more than FloodBacklogLines (or the whole scrollback), each chunk is only
// FloodChunkSize, enough to show progress: drawing more would mostly be drawing lines that
// scroll out before the flood ends. Once input pauses or the process ends
// (flushProcessOutput), the backlog drains chunk after chunk, events handled in between.
constexpr qsizetype InitialChunkSize = 16 * 1024;
constexpr qsizetype MinChunkSize = 1024;
constexpr qsizetype MaxChunkSize = 4 * 1024 * 1024;
constexpr qsizetype FloodChunkSize = 16 * 1024;
constexpr qsizetype FloodBacklogLines = 20000;
// Output of one second from one stream is queued as one item up to this size: rendering or
// trimming the front of an item moves the rest of it, so an item as big as a flood's second
// (50 million characters at 100 MB/s) made every chunk cost as much as the whole second.
constexpr qsizetype MaxMergedChunk = 256 * 1024;
constexpr qint64 FormatBudgetMs = 16;
constexpr int MinIntervalMs = 1;
// Between chunks of a backlog once input stopped: events are still handled between chunks, but
// a 1 ms sleep gave the core away to whatever else runs on it, and drains took twice as long.
constexpr int DrainIntervalMs = 0;
constexpr int MaxIntervalMs = 50;
constexpr int FloodIntervalMs = 200;
// While a backlog drains, the view is painted this often, not after every chunk: what a paint
// shows is out of date a chunk later, and painting took a third of a drain's time.
constexpr int DrainPaintIntervalMs = 100;
constexpr int DefaultMaximumLineCount = 100000;
// A line longer than this continues in a new block (marked, joined again for Save and Copy):
// QTextLayout lays a whole block out again whenever text is added to it, so one unbounded line
// fed in chunks costs quadratic time (a 1 MiB line without '\n' took 70 s to show).
constexpr int DefaultMaximumBlockLength = 8 * 1024;
// Bits of a block's userState: the arrival second (< 86400) and whether the block continues
// the line of the block before it.
constexpr int ContinuationFlag = 1 << 24;
constexpr int SecondMask = ContinuationFlag - 1;
// A line is shown in at most this many blocks; the rest of it is not laid out at all but kept
// with the last block (HiddenTail) for Save and Copy. Nobody reads megabytes of one line in a
// console, and drawing them costs far more than reading them.
constexpr int DefaultMaximumBlocksPerLine = 8;
constexpr int MaxHighlightsPerView = 500;

enum class Source : quint8 { StdOut, StdErr, Header, Info, Warning, Error };

bool isProcessOutput(Source s)
{
    return s == Source::StdOut || s == Source::StdErr;
}

// A view as a QString without a copy, for a call that copies what it keeps (insertText): a
// copy per run was a good part of drawing 100,000 coloured lines.
QString rawString(QStringView text)
{
    return QString::fromRawData(text.data(), text.size());
}

bool isContinuation(const QTextBlock &block)
{
    return block.userState() >= 0 && (block.userState() & ContinuationFlag);
}

// What the margin of a continued line shows in its text, dimmed; never saved or copied.
const QString &continuationMarker()
{
    static const QString marker = QStringLiteral("\u21aa ");
    return marker;
}

// Ends the last block shown of a line whose rest is hidden; never saved or copied.
const QString &hiddenMarker()
{
    static const QString marker = QStringLiteral(" \u2026 (line continues: Save or Copy has all of it)");
    return marker;
}

// The part of a line beyond what is shown, owned by the line's last shown block (and so
// dropped with it when the scrollback drops that block).
class HiddenTail : public QTextBlockUserData
{
public:
    QString text;
};

HiddenTail *hiddenTailOf(const QTextBlock &block)
{
    return static_cast<HiddenTail *>(block.userData());
}

// Process output is queued as it arrived, raw, and formatted only when it reaches the front
// of the queue: most of a flood scrolls out of the scrollback before it would be drawn, and
// then it is passed over by TerminalLineScanner instead of being decoded, masked and styled.
struct RawOutput
{
    QByteArray bytes;
    TerminalEscapeState start;     // the parser's state where bytes begin
    qsizetype lastLineStart = -1;  // just past the last line end in bytes (-1: none)
    TerminalEscapeState lastLineState;
    bool endsStream = false;       // the process ended after bytes: the formatter finishes them
};

struct QueuedOutput
{
    Source source;
    int second; // arrival, seconds since midnight: lines of one second share one timestamp
    StyledChunk chunk;
    qsizetype newlines = 0;
    std::optional<RawOutput> raw; // not formatted yet: chunk is empty
};

// One output stream: its formatter, and the scanner that counts lines in what is queued raw.
struct OutputStream
{
    ConsoleStreamFormatter formatter;
    TerminalLineScanner scanner;
};

// Terminal palette entries 0-15, one set that reads on dark backgrounds and one for light.
constexpr std::array<QRgb, 16> DarkPalette = {
    0xff3b3b3b, 0xfff0524f, 0xff5ab34a, 0xffd5a825, 0xff4e94ce, 0xffc678dd, 0xff2fb5b5, 0xffcccccc,
    0xff7f7f7f, 0xffff7b72, 0xff7ee787, 0xfff2cc60, 0xff79c0ff, 0xffd2a8ff, 0xff56d4dd, 0xffffffff};
constexpr std::array<QRgb, 16> LightPalette = {
    0xff000000, 0xffc4162a, 0xff1f7a1f, 0xff8a6100, 0xff0550ae, 0xff8250df, 0xff0f7a85, 0xff6e7781,
    0xff57606a, 0xffe0323c, 0xff2da44e, 0xffa87a00, 0xff218bff, 0xffa475f9, 0xff1b9aa8, 0xff24292f};

} // namespace

// QPlainTextEdit with a margin that paints each line's arrival time; also opens up the
// protected geometry calls the search highlighting needs.
class ConsoleTextView : public QPlainTextEdit
{
public:
    explicit ConsoleTextView(QWidget *parent) : QPlainTextEdit(parent), m_margin(new QWidget(this))
    {
        m_margin->installEventFilter(this);
        m_margin->hide();
        connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
            if (!m_margin->isVisible())
                return;
            if (dy)
                m_margin->scroll(0, dy);
            else
                m_margin->update(0, rect.y(), m_margin->width(), rect.height());
        });
    }

    void setTimestampMarginVisible(bool visible)
    {
        m_margin->setVisible(visible);
        updateMargin();
    }

    QTextBlock firstVisible() const { return firstVisibleBlock(); }
    qreal blockTop(const QTextBlock &block) const
    {
        return blockBoundingGeometry(block).translated(contentOffset()).top();
    }

    static QString timeText(int second)
    {
        return QTime::fromMSecsSinceStartOfDay(second * 1000).toString(QStringLiteral("HH:mm:ss"));
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QPlainTextEdit::resizeEvent(event);
        updateMargin();
    }

    void changeEvent(QEvent *event) override
    {
        QPlainTextEdit::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            updateMargin();
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_margin && event->type() == QEvent::Paint) {
            paintMargin();
            return true;
        }
        return QPlainTextEdit::eventFilter(watched, event);
    }

private:
    int marginWidth() const
    {
        return fontMetrics().horizontalAdvance(QStringLiteral("00:00:00")) + 12;
    }

    void updateMargin()
    {
        const int width = m_margin->isVisible() ? marginWidth() : 0;
        setViewportMargins(width, 0, 0, 0);
        const QRect cr = contentsRect();
        m_margin->setGeometry(cr.left(), cr.top(), width, cr.height());
    }

    void paintMargin()
    {
        QPainter painter(m_margin);
        painter.fillRect(m_margin->rect(), palette().color(QPalette::AlternateBase));
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.setFont(font());
        const int lineHeight = fontMetrics().height();
        for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
            const qreal top = blockTop(block);
            if (top > m_margin->height())
                break;
            if (block.isVisible() && block.userState() >= 0 && !isContinuation(block))
                painter.drawText(QRectF(0, top, m_margin->width() - 6, lineHeight),
                                 Qt::AlignRight | Qt::AlignVCenter, timeText(block.userState() & SecondMask));
        }
    }

    QWidget *m_margin;
};

class ConsoleWidget::Private
{
public:
    explicit Private(ConsoleWidget *q) : q(q) {}

    void enqueue(Source source, StyledChunk chunk);
    void enqueueRaw(Source source, const QByteArray &bytes);
    void queued();
    OutputStream &streamOf(Source source) { return streams[source == Source::StdErr ? 1 : 0]; }
    void format(QueuedOutput &item);
    void formatAllQueued();
    void passOver(QueuedOutput &item);
    void trimQueueToScrollback();
    void renderNextChunk();
    void renderItem(QueuedOutput &item);
    void startNewBlock(int second);
    void insertBounded(QStringView text, const QTextCharFormat &format, int second);
    void stampNewBlocks(QTextBlock from, int second);
    QString logicalText(int from, int to, bool timestamps) const;
    void resetRenderState();
    void followTailIfNeeded();
    void throttlePaintsWhileDraining(bool documentChanged);

    const QTextCharFormat &formatFor(const TerminalStyle &style, Source source);
    QColor colorFor(const TerminalColor &color) const;
    void updateThemeColors();

    void find(bool backward);
    void updateHighlights();

    ConsoleWidget *q;
    ConsoleTextView *view = nullptr;
    QWidget *searchBar = nullptr;
    QLineEdit *searchEdit = nullptr;
    QLabel *searchStatus = nullptr;
    QAction *timestampsAction = nullptr;

    OutputStream streams[2]; // stdout, stderr
    SecretMasker messageMasker;

    std::deque<QueuedOutput> queue;
    qsizetype queuedNewlines = 0;
    bool documentObsolete = false; // queued output alone fills the scrollback: drop the rest
    QTimer queueTimer;
    qsizetype chunkSize = InitialChunkSize;
    bool inputSinceLastChunk = false;
    QElapsedTimer sincePaint; // while a backlog drains (see DrainPaintIntervalMs)

    QTextCursor cursor;             // always at the end of the document
    bool pendingNewline = false;    // the last line is complete; its '\n' is not inserted yet
    std::optional<Source> openLineOwner; // who wrote the last, unfinished line
    bool followTail = true;
    bool rendering = false;
    int maxLines = DefaultMaximumLineCount;
    int maxBlockLength = DefaultMaximumBlockLength;
    int maxBlocksPerLine = DefaultMaximumBlocksPerLine;
    bool hasContinuations = false; // some line was split: text must be joined block by block
    HiddenTail *openHiddenTail = nullptr; // of the last block while its line is past what is shown

    bool darkTheme = false;
    std::vector<std::pair<TerminalStyle, QTextCharFormat>> formatCache[6];
};

ConsoleWidget::ConsoleWidget(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>(this))
{
    d->view = new ConsoleTextView(this);
    d->view->setReadOnly(true);
    d->view->setUndoRedoEnabled(false);
    d->view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    d->view->setMaximumBlockCount(d->maxLines);
    d->view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    d->view->setContextMenuPolicy(Qt::CustomContextMenu);
    d->cursor = QTextCursor(d->view->document());
    d->updateThemeColors();

    // Toolbar actions, also offered in the context menu.
    auto *findAction = new QAction(tr("Find"), this);
    findAction->setToolTip(tr("Search the output (Ctrl+F, then Enter/F3 for next, Shift+F3 for previous)"));
    connect(findAction, &QAction::triggered, this, &ConsoleWidget::showSearchBar);

    auto *copyAction = new QAction(tr("Copy"), this);
    copyAction->setToolTip(tr("Copy the selected output, or all of it when nothing is selected"));
    connect(copyAction, &QAction::triggered, this, &ConsoleWidget::copyToClipboard);

    auto *saveAction = new QAction(tr("Save…"), this);
    saveAction->setToolTip(tr("Save the output to a text file (passwords stay masked)"));
    connect(saveAction, &QAction::triggered, this, &ConsoleWidget::saveWithDialog);

    auto *clearAction = new QAction(tr("Clear"), this);
    clearAction->setToolTip(tr("Remove all output from the console"));
    connect(clearAction, &QAction::triggered, this, &ConsoleWidget::clear);

    d->timestampsAction = new QAction(tr("Timestamps"), this);
    d->timestampsAction->setCheckable(true);
    d->timestampsAction->setToolTip(tr("Show the time each line arrived"));
    connect(d->timestampsAction, &QAction::toggled, this, &ConsoleWidget::setTimestampsShown);

    auto *toolBar = new QToolBar(this);
    toolBar->setIconSize(QSize(16, 16));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar->addAction(findAction);
    toolBar->addAction(copyAction);
    toolBar->addAction(saveAction);
    toolBar->addAction(clearAction);
    toolBar->addSeparator();
    toolBar->addAction(d->timestampsAction);

    connect(d->view, &QWidget::customContextMenuRequested, this, [=](const QPoint &pos) {
        std::unique_ptr<QMenu> menu(d->view->createStandardContextMenu(pos));
        menu->addSeparator();
        menu->addAction(findAction);
        menu->addAction(saveAction);
        menu->addAction(clearAction);
        menu->addAction(d->timestampsAction);
        menu->exec(d->view->viewport()->mapToGlobal(pos));
    });

    // Search bar: hidden until Ctrl+F.
    d->searchBar = new QWidget(this);
    auto *searchLayout = new QHBoxLayout(d->searchBar);
    searchLayout->setContentsMargins(4, 2, 4, 2);
    d->searchEdit = new QLineEdit(d->searchBar);
    d->searchEdit->setPlaceholderText(tr("Find in output"));
    d->searchEdit->setClearButtonEnabled(true);
    d->searchEdit->installEventFilter(this);
    auto *previousButton = new QToolButton(d->searchBar);
    previousButton->setText(tr("Previous"));
    previousButton->setToolTip(tr("Previous match (Shift+F3)"));
    auto *nextButton = new QToolButton(d->searchBar);
    nextButton->setText(tr("Next"));
    nextButton->setToolTip(tr("Next match (Enter, F3)"));
    d->searchStatus = new QLabel(d->searchBar);
    auto *closeButton = new QToolButton(d->searchBar);
    closeButton->setText(tr("Close"));
    closeButton->setToolTip(tr("Hide the search bar (Esc)"));
    searchLayout->addWidget(d->searchEdit, 1);
    searchLayout->addWidget(previousButton);
    searchLayout->addWidget(nextButton);
    searchLayout->addWidget(d->searchStatus);
    searchLayout->addWidget(closeButton);
    d->searchBar->hide();
    connect(previousButton, &QToolButton::clicked, this, &ConsoleWidget::findPrevious);
    connect(nextButton, &QToolButton::clicked, this, &ConsoleWidget::findNext);
    connect(closeButton, &QToolButton::clicked, this, &ConsoleWidget::hideSearchBar);
    connect(d->searchEdit, &QLineEdit::returnPressed, this, &ConsoleWidget::findNext);
    connect(d->searchEdit, &QLineEdit::textChanged, this, [this] {
        d->searchStatus->clear();
        d->updateHighlights();
    });

    auto *findShortcut = new QShortcut(QKeySequence::Find, this);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, this, &ConsoleWidget::showSearchBar);
    auto *nextShortcut = new QShortcut(QKeySequence(Qt::Key_F3), this);
    nextShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(nextShortcut, &QShortcut::activated, this, &ConsoleWidget::findNext);
    auto *previousShortcut = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this);
    previousShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(previousShortcut, &QShortcut::activated, this, &ConsoleWidget::findPrevious);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolBar);
    layout->addWidget(d->view, 1);
    layout->addWidget(d->searchBar);

    // The user scrolling decides whether new output is followed; our own inserts don't.
    connect(d->view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (d->rendering)
            return;
        d->followTail = value >= d->view->verticalScrollBar()->maximum() - 1;
        if (d->searchBar->isVisible())
            d->updateHighlights();
    });

    d->queueTimer.setSingleShot(true);
    d->queueTimer.setInterval(MinIntervalMs);
    connect(&d->queueTimer, &QTimer::timeout, this, [this] { d->renderNextChunk(); });
}

ConsoleWidget::~ConsoleWidget() = default;

void ConsoleWidget::setSecrets(const QStringList &secrets)
{
    d->formatAllQueued(); // what arrived so far is masked with the secrets it arrived under
    for (OutputStream &stream : d->streams)
        stream.formatter.setSecrets(secrets);
    d->messageMasker.setSecrets(secrets);
}

void ConsoleWidget::appendHeader(const QString &commandLine)
{
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    StyledChunk chunk;
    chunk.append(QStringLiteral("\u2500\u2500 %1  $ %2 \u2500\u2500\n")
                     .arg(time, d->messageMasker.apply(commandLine)),
                 TerminalStyle());
    d->enqueue(Source::Header, std::move(chunk));
}

void ConsoleWidget::appendMessage(const QString &text, MessageLevel level)
{
    QString masked = d->messageMasker.apply(text);
    while (masked.endsWith(QLatin1Char('\n')))
        masked.chop(1);
    StyledChunk chunk;
    chunk.append(masked + QLatin1Char('\n'), TerminalStyle());
    const Source source = level == MessageLevel::Error     ? Source::Error
                          : level == MessageLevel::Warning ? Source::Warning
                                                           : Source::Info;
    d->enqueue(source, std::move(chunk));
}

void ConsoleWidget::appendProcessOutput(const QByteArray &bytes, OutputChannel channel)
{
    d->enqueueRaw(channel == OutputChannel::StdErr ? Source::StdErr : Source::StdOut, bytes);
}

void ConsoleWidget::flushProcessOutput()
{
    for (const Source source : {Source::StdOut, Source::StdErr}) {
        OutputStream &stream = d->streamOf(source);
        stream.scanner.reset();
        // The formatter finishes after the stream's last bytes, which may still be queued raw.
        const auto last = std::find_if(d->queue.rbegin(), d->queue.rend(), [source](const QueuedOutput &item) {
            return item.source == source && item.raw;
        });
        if (last != d->queue.rend())
            last->raw->endsStream = true;
        else
            d->enqueue(source, stream.formatter.finish());
    }
    // No more input: the backlog drains now instead of after a flood-length pause.
    d->inputSinceLastChunk = false;
    if (!d->queue.empty() || d->documentObsolete)
        d->queueTimer.start(DrainIntervalMs);
}

void ConsoleWidget::revealEnd()
{
    d->followTail = true;
    d->followTailIfNeeded();
    if (!d->queue.empty())
        d->queueTimer.start(MinIntervalMs); // what is queued renders soon and stays followed
}

bool ConsoleWidget::followsOutput() const
{
    return d->followTail;
}

void ConsoleWidget::clear()
{
    for (QueuedOutput &item : d->queue) {
        if (item.raw)
            d->passOver(item);
    }
    d->queue.clear();
    d->throttlePaintsWhileDraining(true); // nothing left to drain: paint again
    d->queuedNewlines = 0;
    d->documentObsolete = false;
    d->view->clear();
    d->resetRenderState();
    d->hasContinuations = false;
    d->followTail = true;
    d->searchStatus->clear();
}

QString ConsoleWidget::plainText() const
{
    QTextDocument *doc = d->view->document();
    QString text;
    if (!d->timestampsAction->isChecked() && !d->hasContinuations)
        text = doc->toPlainText();
    else
        text = d->logicalText(0, doc->characterCount() - 1, d->timestampsAction->isChecked());
    if (d->pendingNewline)
        text += QLatin1Char('\n');
    return text;
}

bool ConsoleWidget::timestampsShown() const
{
    return d->timestampsAction->isChecked();
}

void ConsoleWidget::setTimestampsShown(bool shown)
{
    if (d->timestampsAction->isChecked() != shown) {
        d->timestampsAction->setChecked(shown); // re-enters through toggled()
        return;
    }
    d->view->setTimestampMarginVisible(shown);
    emit timestampsShownChanged(shown);
}

int ConsoleWidget::maximumLineCount() const
{
    return d->maxLines;
}

void ConsoleWidget::setMaximumLineCount(int lines)
{
    d->maxLines = std::max(1, lines);
    d->view->setMaximumBlockCount(d->maxLines);
}

int ConsoleWidget::maximumBlockLength() const
{
    return d->maxBlockLength;
}

void ConsoleWidget::setMaximumBlockLength(int characters)
{
    d->maxBlockLength = std::max(16, characters);
}

int ConsoleWidget::maximumBlocksPerLine() const
{
    return d->maxBlocksPerLine;
}

void ConsoleWidget::setMaximumBlocksPerLine(int blocks)
{
    d->maxBlocksPerLine = std::max(1, blocks);
}

bool ConsoleWidget::hasPendingOutput() const
{
    return !d->queue.empty();
}

void ConsoleWidget::renderPendingOutput()
{
    d->queueTimer.stop();
    while (!d->queue.empty() || d->documentObsolete)
        d->renderNextChunk();
    d->queueTimer.stop();
}

bool ConsoleWidget::saveToFile(const QString &fileName, QString *errorMessage)
{
    renderPendingOutput();
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    file.write(plainText().toUtf8());
    if (!file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}

void ConsoleWidget::showSearchBar()
{
    d->searchBar->show();
    d->searchEdit->setFocus(Qt::ShortcutFocusReason);
    d->searchEdit->selectAll();
    d->updateHighlights();
}

void ConsoleWidget::hideSearchBar()
{
    d->searchBar->hide();
    d->view->setExtraSelections({});
    d->view->setFocus(Qt::OtherFocusReason);
}

void ConsoleWidget::findNext()
{
    d->find(false);
}

void ConsoleWidget::findPrevious()
{
    d->find(true);
}

void ConsoleWidget::copyToClipboard()
{
    const QTextCursor selection = d->view->textCursor();
    QString text = plainText();
    if (selection.hasSelection() && d->hasContinuations) {
        text = d->logicalText(selection.selectionStart(), selection.selectionEnd(), false);
    } else if (selection.hasSelection()) {
        text = selection.selectedText();
        text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    }
    QApplication::clipboard()->setText(text);
}

void ConsoleWidget::saveWithDialog()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save Console Output"),
                                                          QStringLiteral("console.txt"),
                                                          tr("Text files (*.txt);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QString error;
    if (!saveToFile(fileName, &error))
        QMessageBox::warning(this, tr("Save Console Output"),
                             tr("Could not save %1: %2").arg(fileName, error));
}

void ConsoleWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        d->updateThemeColors();
}

// Esc in the search field hides the bar; claimed as a shortcut override so that a window-wide
// Esc (cancel) does not fire while the user is searching.
bool ConsoleWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == d->searchEdit
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            event->accept();
            if (event->type() == QEvent::KeyPress)
                hideSearchBar();
            return event->type() == QEvent::KeyPress;
        }
        if (event->type() == QEvent::KeyPress
            && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ShiftModifier)) {
            findPrevious();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// ---- queue and rendering -------------------------------------------------------------------

void ConsoleWidget::Private::enqueue(Source source, StyledChunk chunk)
{
    if (chunk.isEmpty())
        return;
    const int second = QTime::currentTime().msecsSinceStartOfDay() / 1000;
    const qsizetype newlines = chunk.newlineCount();
    queuedNewlines += newlines;
    if (!queue.empty() && queue.back().source == source && queue.back().second == second
        && isProcessOutput(source) && !queue.back().raw && queue.back().chunk.text.size() < MaxMergedChunk) {
        queue.back().chunk.merge(chunk);
        queue.back().newlines += newlines;
    } else {
        queue.push_back(QueuedOutput{source, second, std::move(chunk), newlines, std::nullopt});
    }
    queued();
}

void ConsoleWidget::Private::enqueueRaw(Source source, const QByteArray &bytes)
{
    OutputStream &stream = streamOf(source);
    const TerminalEscapeState start = stream.scanner.state();
    const qsizetype newlines = stream.scanner.scan(bytes); // keeps the scanner in step either way
    if (!stream.formatter.canSkipLines()) {
        enqueue(source, stream.formatter.feed(bytes));
        return;
    }
    if (bytes.isEmpty())
        return;
    const int second = QTime::currentTime().msecsSinceStartOfDay() / 1000;
    if (queue.empty() || queue.back().source != source || queue.back().second != second || !queue.back().raw
        || queue.back().raw->endsStream || queue.back().raw->bytes.size() >= MaxMergedChunk) {
        queue.push_back(QueuedOutput{source, second, StyledChunk(), 0, RawOutput{QByteArray(), start, -1, TerminalEscapeState(), false}});
    }
    QueuedOutput &item = queue.back();
    if (stream.scanner.lastLineStart() >= 0) {
        item.raw->lastLineStart = item.raw->bytes.size() + stream.scanner.lastLineStart();
        item.raw->lastLineState = stream.scanner.lastLineState();
    }
    item.raw->bytes.append(bytes);
    item.newlines += newlines;
    queuedNewlines += newlines;
    queued();
}

void ConsoleWidget::Private::queued()
{
    inputSinceLastChunk = true;
    if (queuedNewlines > 2 * qsizetype(maxLines))
        trimQueueToScrollback();
    if (!queueTimer.isActive())
        queueTimer.start();
}

// Formats queued raw output; its stream's formatter is where these bytes begin, since raw
// items of one stream are formatted or passed over in order.
void ConsoleWidget::Private::format(QueuedOutput &item)
{
    ConsoleStreamFormatter &formatter = streamOf(item.source).formatter;
    item.chunk = formatter.feed(item.raw->bytes);
    if (item.raw->endsStream)
        item.chunk.merge(formatter.finish());
    item.raw.reset();
    // Exactly what the scanner counted: no secret holds a '\n' (canSkipLines()), so masking
    // moves none, and '\r' rewinds only text after the last one.
    Q_ASSERT(item.chunk.newlineCount() == item.newlines);
}

void ConsoleWidget::Private::formatAllQueued()
{
    for (QueuedOutput &item : queue) {
        if (item.raw)
            format(item);
    }
}

// Raw output dropped unseen: its stream's formatter goes on where the bytes end. After their
// last line end the scanner's state is exact and nothing is held back; the unfinished line
// after it is formatted (and dropped) so that its rest, still queued, is decoded and masked
// as it would have been.
void ConsoleWidget::Private::passOver(QueuedOutput &item)
{
    ConsoleStreamFormatter &formatter = streamOf(item.source).formatter;
    const RawOutput &raw = *item.raw;
    if (raw.lastLineStart >= 0) {
        formatter.restartLine(raw.lastLineState);
        formatter.feed(QByteArrayView(raw.bytes).sliced(raw.lastLineStart));
    } else {
        formatter.feed(raw.bytes);
    }
    if (raw.endsStream)
        formatter.finish();
    item.raw.reset();
}

// When the queue alone holds more lines than the scrollback keeps, everything before its
// last maxLines lines would be rendered only to be dropped again: skip it, and the current
// document with it. What ends up shown is the same; a flood just costs less.
void ConsoleWidget::Private::trimQueueToScrollback()
{
    const qsizetype keep = qsizetype(maxLines) + 1;
    while (!queue.empty() && queuedNewlines > keep) {
        documentObsolete = true;
        QueuedOutput &front = queue.front();
        const qsizetype excess = queuedNewlines - keep;
        if (front.newlines <= excess) {
            queuedNewlines -= front.newlines;
            if (front.raw)
                passOver(front);
            queue.pop_front();
            continue;
        }
        // Cut the oldest item after its (excess)th newline.
        if (front.raw) {
            RawOutput &raw = *front.raw;
            TerminalLineScanner scanner(raw.start);
            const qsizetype cut = scanner.skipLines(raw.bytes, excess);
            raw.bytes.remove(0, cut);
            raw.start = scanner.state();
            raw.lastLineStart -= cut; // the last line end is after the cut: more lines follow
            streamOf(front.source).formatter.restartLine(raw.start);
        } else {
            qsizetype pos = -1;
            for (qsizetype k = 0; k < excess; ++k)
                pos = front.chunk.text.indexOf(QLatin1Char('\n'), pos + 1);
            front.chunk.dropFront(pos + 1); // exactly the excess newlines go with it
        }
        front.newlines -= excess;
        queuedNewlines = keep;
    }
}

void ConsoleWidget::Private::renderNextChunk()
{
    trimQueueToScrollback();
    rendering = true;
    if (documentObsolete) {
        view->clear();
        resetRenderState();
        documentObsolete = false;
    }

    const int charactersBefore = view->document()->characterCount();
    const int blocksBefore = view->document()->blockCount();
    QElapsedTimer timer;
    timer.start();
    // While input keeps coming faster than it is drawn, what is drawn now will most likely
    // scroll out unseen: draw just enough to show progress.
    const bool flooding = inputSinceLastChunk && queuedNewlines >= std::min<qsizetype>(maxLines, FloodBacklogLines);
    qsizetype budget = flooding ? std::min(chunkSize, FloodChunkSize) : chunkSize;
    bool limitedByBudget = false;
    cursor.beginEditBlock();
    while (!queue.empty() && budget > 0) {
        QueuedOutput &item = queue.front();
        if (item.raw)
            format(item);
        if (item.chunk.text.size() <= budget) {
            budget -= std::max<qsizetype>(1, item.chunk.text.size());
            queuedNewlines -= item.newlines;
            renderItem(item);
            queue.pop_front();
            continue;
        }
        // Too big: render up to a line end near the budget, to avoid half-drawn lines.
        qsizetype cut = item.chunk.text.lastIndexOf(QLatin1Char('\n'), budget - 1) + 1;
        if (cut < budget / 2)
            cut = budget;
        if (item.chunk.text.at(cut - 1).isHighSurrogate())
            --cut;
        QueuedOutput piece{item.source, item.second, item.chunk.takeFront(cut), 0, std::nullopt};
        piece.newlines = item.newlines > 0 ? piece.chunk.newlineCount() : 0; // one long line: nothing to count
        item.newlines -= piece.newlines;
        queuedNewlines -= piece.newlines;
        renderItem(piece);
        limitedByBudget = true;
        break;
    }
    cursor.endEditBlock();
    followTailIfNeeded();
    rendering = false;

    const qint64 elapsed = timer.elapsed();
    if (elapsed > FormatBudgetMs)
        chunkSize = std::max(MinChunkSize, chunkSize / 2);
    else if (limitedByBudget && !flooding && elapsed < FormatBudgetMs / 2)
        chunkSize = std::min(MaxChunkSize, chunkSize + chunkSize / 2);
    const bool inputPaused = !inputSinceLastChunk;
    inputSinceLastChunk = false;
    if (flooding || (!inputPaused && limitedByBudget))
        queueTimer.setInterval(std::min(FloodIntervalMs, std::max(queueTimer.interval() * 2, int(elapsed))));
    else if (inputPaused)
        queueTimer.setInterval(DrainIntervalMs); // drain the backlog; each chunk stays short
    else
        queueTimer.setInterval(std::clamp(int(elapsed), MinIntervalMs, MaxIntervalMs));

    if (searchBar->isVisible())
        updateHighlights();
    throttlePaintsWhileDraining(view->document()->characterCount() != charactersBefore
                                || view->document()->blockCount() != blocksBefore);
    if (!queue.empty())
        queueTimer.start();
}

void ConsoleWidget::Private::renderItem(QueuedOutput &item)
{
    StyledChunk &chunk = item.chunk;
    const Source source = item.source;
    QTextDocument *doc = view->document();
    const bool lastLineEmpty = doc->lastBlock().length() <= 1;

    if (isProcessOutput(source)) {
        // A '\r' rewinds the line this stream left open, unless another stream took it over.
        if (chunk.clearsOpenLine && openLineOwner == source && !pendingNewline && !lastLineEmpty) {
            // The whole line, with the blocks it continues in.
            QTextBlock lineStart = doc->lastBlock();
            while (isContinuation(lineStart) && lineStart.previous().isValid())
                lineStart = lineStart.previous();
            cursor.setPosition(lineStart.position(), QTextCursor::KeepAnchor);
            cursor.removeSelectedText();
            doc->lastBlock().setUserState(item.second);
            doc->lastBlock().setUserData(nullptr); // a hidden rest of the line goes with it
            openHiddenTail = nullptr;
        }
        if (chunk.text.isEmpty())
            return;
        if (pendingNewline)
            startNewBlock(item.second);
        else if (openLineOwner && openLineOwner != source && doc->lastBlock().length() > 1)
            startNewBlock(item.second); // the other stream's unfinished line stays as it is
    } else {
        // The app's own lines always stand alone.
        if (pendingNewline || !lastLineEmpty)
            startNewBlock(item.second);
    }

    const QTextBlock firstBlock = doc->lastBlock();
    if (firstBlock.userState() < 0)
        doc->lastBlock().setUserState(item.second);

    bool endsWithNewline = chunk.text.endsWith(QLatin1Char('\n'));
    if (endsWithNewline)
        chunk.truncate(chunk.text.size() - 1); // deferred: no empty last line in the view
    const QStringView text(chunk.text);
    qsizetype offset = 0;
    qsizetype nextRun = 0;
    qsizetype runEnd = 0;
    while (offset < text.size()) {
        if (openHiddenTail) {
            // The rest of a line past what is shown is only kept: up to its end in one piece,
            // whatever its styles (a single line of megabytes is all hidden tail).
            const qsizetype newline = text.indexOf(QLatin1Char('\n'), offset);
            openHiddenTail->text += text.mid(offset, (newline < 0 ? text.size() : newline) - offset);
            if (newline < 0)
                break;
            openHiddenTail = nullptr;
            cursor.insertBlock();
            offset = newline + 1;
            continue;
        }
        while (runEnd <= offset)
            runEnd += chunk.runs.at(nextRun++).length;
        insertBounded(text.mid(offset, runEnd - offset), formatFor(chunk.runs.at(nextRun - 1).style, source),
                      item.second);
        offset = runEnd;
    }
    stampNewBlocks(firstBlock, item.second);
    pendingNewline = endsWithNewline;
    openLineOwner = source;
}

void ConsoleWidget::Private::startNewBlock(int second)
{
    openHiddenTail = nullptr;
    cursor.insertBlock();
    view->document()->lastBlock().setUserState(second);
    pendingNewline = false;
}

// Inserts text at the end; where a line would grow beyond maxBlockLength it goes on in a new
// block marked as a continuation, so no block is ever laid out at more than that length.
void ConsoleWidget::Private::insertBounded(QStringView text, const QTextCharFormat &format, int second)
{
    while (!text.isEmpty()) {
        if (openHiddenTail) {
            // The open line is past what is shown: its text up to the '\n' is only kept.
            const qsizetype newline = text.indexOf(QLatin1Char('\n'));
            openHiddenTail->text += text.first(newline < 0 ? text.size() : newline);
            if (newline < 0)
                return;
            openHiddenTail = nullptr;
            cursor.insertBlock();
            text = text.sliced(newline + 1);
            continue;
        }
        // The longest prefix whose lines all fit (the first one in what is left of the current
        // block, the others in blocks of their own) goes in with one insertText().
        qsizetype room = std::max<qsizetype>(0, maxBlockLength - (cursor.block().length() - 1));
        qsizetype fits = text.size() <= room ? text.size() : 0; // the usual run: no line to look at
        while (fits < text.size()) {
            const qsizetype newline = text.indexOf(QLatin1Char('\n'), fits);
            const qsizetype lineEnd = newline < 0 ? text.size() : newline;
            if (lineEnd - fits > room)
                break;
            fits = newline < 0 ? text.size() : newline + 1;
            room = maxBlockLength;
        }
        if (fits > 0) {
            cursor.insertText(rawString(text.first(fits)), format);
            text = text.sliced(fits);
            if (text.isEmpty())
                return;
        }
        // The line at the start of text is too long for the block it is in: fill it, go on in
        // a continuation block.
        qsizetype cut = room;
        if (cut > 0 && text.at(cut - 1).isHighSurrogate())
            --cut; // a character never straddles two blocks
        if (cut > 0)
            cursor.insertText(rawString(text.first(cut)), format);
        text = text.sliced(cut);
        hasContinuations = true;
        int blocksOfLine = 1;
        for (QTextBlock b = cursor.block(); isContinuation(b) && b.previous().isValid(); b = b.previous())
            ++blocksOfLine;
        if (blocksOfLine >= maxBlocksPerLine) {
            QTextCharFormat markerFormat;
            markerFormat.setForeground(view->palette().color(QPalette::PlaceholderText));
            markerFormat.setFontItalic(true);
            cursor.insertText(hiddenMarker(), markerFormat);
            openHiddenTail = new HiddenTail;
            cursor.block().setUserData(openHiddenTail); // the block owns it
            continue;
        }
        cursor.insertBlock();
        cursor.block().setUserState(second | ContinuationFlag);
        QTextCharFormat markerFormat;
        markerFormat.setForeground(view->palette().color(QPalette::PlaceholderText));
        cursor.insertText(continuationMarker(), markerFormat);
    }
}

// Blocks created by inserting text with '\n' start without a time (userState -1); continuation
// blocks have theirs already.
void ConsoleWidget::Private::stampNewBlocks(QTextBlock from, int second)
{
    for (QTextBlock block = from.next(); block.isValid(); block = block.next()) {
        if (block.userState() < 0)
            block.setUserState(second);
    }
}

// The document's text between two positions as it arrived: continued lines joined again
// (markers dropped), optionally with "[hh:mm:ss] " before each line that starts in the range.
QString ConsoleWidget::Private::logicalText(int from, int to, bool timestamps) const
{
    QTextDocument *doc = view->document();
    QString out;
    bool first = true;
    for (QTextBlock block = doc->findBlock(from); block.isValid() && block.position() <= to; block = block.next()) {
        const bool continuation = isContinuation(block);
        if (!first && !continuation)
            out += QLatin1Char('\n');
        first = false;
        const int start = block.position();
        qsizetype begin = std::max(from, start) - start;
        const qsizetype end = std::min(to, start + block.length() - 1) - start;
        if (continuation)
            begin = std::max<qsizetype>(begin, continuationMarker().size());
        else if (timestamps && block.userState() >= 0 && begin == 0)
            out += QLatin1Char('[') + ConsoleTextView::timeText(block.userState() & SecondMask) + QLatin1String("] ");
        const HiddenTail *hidden = hiddenTailOf(block);
        const qsizetype shown = block.length() - 1 - (hidden ? hiddenMarker().size() : 0);
        if (std::min(end, shown) > begin)
            out += QStringView(block.text()).mid(begin, std::min(end, shown) - begin);
        if (hidden && end > shown)
            out += hidden->text; // the selection reaches the marker: all that it stands for
    }
    return out;
}

void ConsoleWidget::Private::resetRenderState()
{
    cursor = QTextCursor(view->document());
    cursor.movePosition(QTextCursor::End);
    pendingNewline = false;
    openLineOwner.reset();
    openHiddenTail = nullptr;
}

// Holds the view's paints for DrainPaintIntervalMs after one while a backlog drains; each
// chunk that changed the document would otherwise be painted, to be out of date a chunk later.
// A chunk that went only to a hidden tail changes nothing to paint, so it holds nothing.
void ConsoleWidget::Private::throttlePaintsWhileDraining(bool documentChanged)
{
    QWidget *viewport = view->viewport();
    const bool due = queue.empty() || !sincePaint.isValid() || sincePaint.elapsed() >= DrainPaintIntervalMs;
    if (!due) {
        if (documentChanged)
            viewport->setUpdatesEnabled(false);
        return;
    }
    viewport->setUpdatesEnabled(true); // paints what was held back, if anything was
    sincePaint.start();
}

void ConsoleWidget::Private::followTailIfNeeded()
{
    if (!followTail)
        return;
    QScrollBar *bar = view->verticalScrollBar();
    bar->setValue(bar->maximum());
}

// ---- formats -------------------------------------------------------------------------------

void ConsoleWidget::Private::updateThemeColors()
{
    darkTheme = q->palette().color(QPalette::Base).lightness() < 128;
    for (auto &cache : formatCache)
        cache.clear();
}

QColor ConsoleWidget::Private::colorFor(const TerminalColor &color) const
{
    if (color.kind == TerminalColor::Kind::Rgb)
        return QColor::fromRgb(QRgb(0xff000000u | color.value));
    if (color.value < 16)
        return QColor::fromRgb(darkTheme ? DarkPalette[color.value] : LightPalette[color.value]);
    return QColor::fromRgb(QRgb(0xff000000u | xtermCubeOrGreyRgb(int(color.value))));
}

const QTextCharFormat &ConsoleWidget::Private::formatFor(const TerminalStyle &style, Source source)
{
    auto &cache = formatCache[int(source)];
    for (const auto &entry : cache) {
        if (entry.first == style)
            return entry.second;
    }
    if (cache.size() > 64)
        cache.clear();

    QTextCharFormat format;
    // Defaults per source; explicit ANSI colours win.
    switch (source) {
    case Source::StdOut:
        break;
    case Source::StdErr:
        format.setForeground(QColor::fromRgb(darkTheme ? 0xffff8a80 : 0xffb3261e));
        break;
    case Source::Header:
        format.setForeground(QColor::fromRgb(darkTheme ? 0xff79c0ff : 0xff0550ae));
        format.setFontWeight(QFont::Bold);
        break;
    case Source::Info:
        format.setForeground(QColor::fromRgb(darkTheme ? 0xff79c0ff : 0xff0550ae));
        break;
    case Source::Warning:
        format.setForeground(QColor::fromRgb(darkTheme ? 0xfff2cc60 : 0xff8a6100));
        break;
    case Source::Error:
        format.setForeground(QColor::fromRgb(darkTheme ? 0xffff8a80 : 0xffb3261e));
        format.setFontWeight(QFont::Bold);
        break;
    }
    if (!style.foreground.isDefault())
        format.setForeground(colorFor(style.foreground));
    if (!style.background.isDefault())
        format.setBackground(colorFor(style.background));
    if (style.bold)
        format.setFontWeight(QFont::Bold);
    if (style.italic)
        format.setFontItalic(true);
    if (style.underline)
        format.setFontUnderline(true);
    cache.emplace_back(style, format);
    return cache.back().second;
}

// ---- search --------------------------------------------------------------------------------

void ConsoleWidget::Private::find(bool backward)
{
    const QString needle = searchEdit->text();
    if (!searchBar->isVisible())
        q->showSearchBar();
    if (needle.isEmpty())
        return;
    QTextDocument *doc = view->document();
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward
                                                    : QTextDocument::FindFlags();
    QTextCursor found = doc->find(needle, view->textCursor(), flags);
    if (found.isNull()) { // wrap around
        QTextCursor start(doc);
        if (backward)
            start.movePosition(QTextCursor::End);
        found = doc->find(needle, start, flags);
    }
    if (found.isNull()) {
        searchStatus->setText(ConsoleWidget::tr("No matches"));
        return;
    }
    searchStatus->setText(ConsoleWidget::tr("Line %1").arg(found.blockNumber() + 1));
    view->setTextCursor(found);
    view->ensureCursorVisible();
    updateHighlights();
}

// Highlights the matches in the visible part only: the document can hold 100k lines.
void ConsoleWidget::Private::updateHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString needle = searchEdit->text();
    if (!searchBar->isVisible() || needle.isEmpty()) {
        view->setExtraSelections(selections);
        return;
    }
    QTextCharFormat format;
    format.setBackground(QColor::fromRgb(darkTheme ? 0xff6b5800 : 0xffffe066));
    const int viewportHeight = view->viewport()->height();
    for (QTextBlock block = view->firstVisible(); block.isValid(); block = block.next()) {
        if (view->blockTop(block) > viewportHeight || selections.size() >= MaxHighlightsPerView)
            break;
        const QString text = block.text();
        for (qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
             at = text.indexOf(needle, at + needle.size(), Qt::CaseInsensitive)) {
            QTextEdit::ExtraSelection selection;
            selection.cursor = QTextCursor(block);
            selection.cursor.setPosition(block.position() + int(at));
            selection.cursor.setPosition(block.position() + int(at + needle.size()),
                                         QTextCursor::KeepAnchor);
            selection.format = format;
            selections << selection;
        }
    }
    view->setExtraSelections(selections);
}
