#include "terminallinescanner.h"

#include <cstring>

namespace {

constexpr char Esc = 0x1b;

// Whether one of the eight bytes at p is below 0x20 (the "has a value less than n" test of
// Bit Twiddling Hacks): nearly all output is text, and only '\n' and ESC matter here.
bool hasControlByte(const char *p)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    quint64 w;
    std::memcpy(&w, p, sizeof w);
    return ((w - ones * 0x20) & ~w & (ones * 0x80)) != 0;
}

} // namespace

qsizetype TerminalLineScanner::scan(QByteArrayView bytes)
{
    qsizetype lines = 0;
    m_lastLineStart = -1;
    read(bytes, -1, &lines);
    return lines;
}

qsizetype TerminalLineScanner::skipLines(QByteArrayView bytes, qsizetype lines)
{
    qsizetype found = 0;
    m_lastLineStart = -1;
    return read(bytes, lines, &found);
}

// The parser's state machine (TerminalEscapeState::advance) over bytes; in text only ESC and
// '\n' are looked at.
qsizetype TerminalLineScanner::read(QByteArrayView bytes, qsizetype stopAfter, qsizetype *lines)
{
    using Mode = TerminalEscapeState::Mode;
    using Action = TerminalEscapeState::Action;
    const char *p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    auto lineEnds = [&] {
        m_lastLineStart = i;
        m_lastLineState = m_state;
        return ++*lines == stopAfter;
    };
    while (i < n) {
        if (m_state.mode == Mode::Text) {
            while (i + 8 <= n && !hasControlByte(p + i))
                i += 8;
            if (i >= n)
                break;
            const char c = p[i];
            if (c == '\n') {
                ++i;
                if (lineEnds())
                    return i;
            } else if (c == Esc) {
                if (const qsizetype end = wholeCsiEnd(p, n, i); end > 0) {
                    m_state.finishCsi(char16_t(p[end - 1]), bytes.sliced(i + 2, end - 1 - (i + 2)), true);
                    i = end;
                } else {
                    m_state.mode = Mode::Escape;
                    ++i;
                }
            } else {
                ++i; // other controls and text: nothing to follow
            }
            continue;
        }
        const char c = p[i];
        ++i;
        switch (m_state.advance(char16_t(uchar(c)))) {
        case Action::None:
            break;
        case Action::Reprocess:
            --i;
            break;
        case Action::ExecuteControl:
            if (c == '\n' && lineEnds())
                return i;
            break;
        }
    }
    return n;
}
