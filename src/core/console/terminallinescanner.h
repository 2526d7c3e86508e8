#pragma once

#include "terminalescapestate.h"

#include <QByteArrayView>

// Counts the lines TerminalTextParser would make of raw output bytes, and follows the escape
// state (colours, a sequence split across reads) through them, without decoding, masking or
// building any text: output that scrolls out of the console before it is drawn is passed over
// at this cost. A line here ends where the parser emits a '\n' (not inside an OSC string).
//
// The bytes are read as they arrived, before masking: the state differs from the parser's only
// where a secret is itself part of an escape sequence (say right after "ESC["), and a secret
// containing a control character turns skipping off altogether (see SecretMasker).
class TerminalLineScanner
{
public:
    TerminalLineScanner() = default;
    explicit TerminalLineScanner(const TerminalEscapeState &state) : m_state(state) {}

    const TerminalEscapeState &state() const { return m_state; }
    void reset() { m_state = TerminalEscapeState(); }

    // Reads all of bytes and returns how many lines end in them. lastLineStart() is then the
    // offset just past the last line end in them (-1: none) and lastLineState() the state there.
    qsizetype scan(QByteArrayView bytes);
    // Reads up to and including the `lines`th line end and returns the offset just past it
    // (bytes.size() if there are fewer).
    qsizetype skipLines(QByteArrayView bytes, qsizetype lines);

    qsizetype lastLineStart() const { return m_lastLineStart; }
    const TerminalEscapeState &lastLineState() const { return m_lastLineState; }

private:
    qsizetype read(QByteArrayView bytes, qsizetype stopAfter, qsizetype *lines);

    TerminalEscapeState m_state;
    qsizetype m_lastLineStart = -1;
    TerminalEscapeState m_lastLineState;
};
