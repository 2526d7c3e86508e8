#include "terminaltextparser.h"

#include <cstring>

namespace {

constexpr char16_t Esc = 0x1b;

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7f;
}

// Whether one of the four code units at p is a control: a word at a time, since nearly all
// output is text (the "has a value less than n" test of Bit Twiddling Hacks, per 16 bits).
bool hasControl(const char16_t *p)
{
    constexpr quint64 ones = 0x0001000100010001ULL;
    constexpr quint64 highs = 0x8000800080008000ULL;
    quint64 w;
    std::memcpy(&w, p, sizeof w);
    const quint64 del = w ^ (ones * 0x7f);
    return (((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & highs;
}

} // namespace

quint32 xtermCubeOrGreyRgb(int index)
{
    if (index >= 16 && index < 232) {
        static constexpr quint8 levels[6] = {0, 95, 135, 175, 215, 255};
        const int i = index - 16;
        return (quint32(levels[i / 36]) << 16) | (quint32(levels[(i / 6) % 6]) << 8)
               | quint32(levels[i % 6]);
    }
    if (index >= 232 && index < 256) {
        const quint32 v = quint32(8 + 10 * (index - 232));
        return (v << 16) | (v << 8) | v;
    }
    return 0;
}

StyledChunk TerminalTextParser::feed(QStringView text)
{
    using Mode = TerminalEscapeState::Mode;
    using Action = TerminalEscapeState::Action;
    StyledChunk out;
    out.text.reserve(text.size());
    m_lineStart = 0;

    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        if (m_escape.mode == Mode::Text) {
            i = appendText(text, i, out);
            if (i < n) { // at an ESC
                if (const qsizetype end = wholeCsiEnd(reinterpret_cast<const char16_t *>(text.data()), text.size(), i); end > 0) {
                    m_escape.finishCsi(text[end - 1].unicode(), text.sliced(i + 2, end - 1 - (i + 2)), true);
                    i = end;
                } else {
                    m_escape.mode = Mode::Escape;
                    ++i;
                }
            }
            continue;
        }
        const char16_t c = text[i].unicode();
        ++i;
        switch (m_escape.advance(c)) {
        case Action::None:
            break;
        case Action::Reprocess:
            --i;
            break;
        case Action::ExecuteControl:
            appendControl(QChar(c), out);
            break;
        }
    }

    m_lineHasEarlierText = m_lineHasEarlierText || out.text.size() > m_lineStart;
    return out;
}

StyledChunk TerminalTextParser::finish()
{
    // An unfinished escape sequence is dropped and a trailing '\r' leaves its line as it is:
    // nothing is left to show, but the next stream must start clean.
    reset();
    return StyledChunk();
}

void TerminalTextParser::reset()
{
    startLine(TerminalEscapeState());
}

void TerminalTextParser::startLine(const TerminalEscapeState &state)
{
    m_escape = state;
    m_pendingCarriageReturn = false;
    m_lineHasEarlierText = false;
    m_lineStart = 0;
}

// Ordinary text, '\t' and '\n' go out as one piece per style: splitting at every line end
// doubled the appends for typical output. Only '\r' and the other controls cut the piece.
// Reads from `from` up to the next ESC and returns its position (or the end).
qsizetype TerminalTextParser::appendText(QStringView text, qsizetype from, StyledChunk &out)
{
    const char16_t *data = text.utf16();
    const qsizetype n = text.size();
    qsizetype start = from;
    qsizetype lastNewline = -1;
    qsizetype i = from;
    while (i < n) {
        if (i + 4 <= n && !hasControl(data + i)) {
            i += 4;
            continue;
        }
        const char16_t c = data[i];
        if (!isControl(c) || c == u'\t') {
            ++i;
            continue;
        }
        if (c == u'\n') {
            lastNewline = i++;
            continue;
        }
        appendPiece(text.sliced(start, i - start), lastNewline - start, out);
        if (c == Esc)
            return i;
        appendControl(QChar(c), out);
        start = ++i;
        lastNewline = -1;
    }
    appendPiece(text.sliced(start), lastNewline - start, out);
    return n;
}

// `piece` has no control but '\t' and '\n'; its last '\n' is at lastNewline (< 0: none).
void TerminalTextParser::appendPiece(QStringView piece, qsizetype lastNewline, StyledChunk &out)
{
    if (piece.isEmpty())
        return;
    if (m_pendingCarriageReturn && piece.front() == u'\n')
        m_pendingCarriageReturn = false; // "\r\n" is a plain line end
    resolveCarriageReturn(out);
    out.append(piece, m_escape.style); // '\n' has the style around it: fewer runs
    if (lastNewline >= 0) {
        m_lineStart = out.text.size() - (piece.size() - lastNewline - 1);
        m_lineHasEarlierText = false;
    }
}

// '\n' ends the line, '\r' rewinds it once more text follows, other controls are dropped.
void TerminalTextParser::appendControl(QChar control, StyledChunk &out)
{
    switch (control.unicode()) {
    case u'\n':
        m_pendingCarriageReturn = false;
        out.append(u"\n", m_escape.style); // same style as the text around it: fewer runs
        m_lineStart = out.text.size();
        m_lineHasEarlierText = false;
        break;
    case u'\r':
        m_pendingCarriageReturn = true;
        break;
    default:
        break;
    }
}

// A bare '\r' takes effect when visible text follows: the line so far is replaced.
void TerminalTextParser::resolveCarriageReturn(StyledChunk &out)
{
    if (!m_pendingCarriageReturn)
        return;
    m_pendingCarriageReturn = false;
    out.truncate(m_lineStart);
    if (m_lineStart == 0 && m_lineHasEarlierText) {
        out.clearsOpenLine = true;
        m_lineHasEarlierText = false;
    }
}

