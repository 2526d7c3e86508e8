#pragma once

#include "styledchunk.h"
#include "terminalescapestate.h"
#include "terminalstyle.h"

#include <QString>
#include <QStringView>

// Turns decoded terminal output into StyledChunks: interprets ANSI SGR sequences (bold, italic,
// underline, 16/256/RGB colours, reset), swallows every other escape sequence (cursor moves,
// erase-line, window titles), and applies '\r' the way progress output expects: a bare '\r'
// rewinds the current line so the next text replaces it, "\r\n" is a plain newline.
//
// Streaming: text may be split anywhere, even inside an escape sequence or between '\r' and
// '\n'; the parser keeps that state, so the result does not depend on where the splits fall.
class TerminalTextParser
{
public:
    StyledChunk feed(QStringView text);
    StyledChunk finish(); // end of stream: drops an unfinished escape and a trailing '\r'
    void reset();

    TerminalStyle currentStyle() const { return m_escape.style; }
    const TerminalEscapeState &escapeState() const { return m_escape; }
    // Resumes at the start of a line in `state` (what TerminalLineScanner found after the
    // output passed over): no '\r' pending, nothing of the line shown yet.
    void startLine(const TerminalEscapeState &state);

private:
    qsizetype appendText(QStringView text, qsizetype from, StyledChunk &out);
    void appendPiece(QStringView piece, qsizetype lastNewline, StyledChunk &out);
    void appendControl(QChar c, StyledChunk &out);
    void resolveCarriageReturn(StyledChunk &out);

    TerminalEscapeState m_escape;

    bool m_pendingCarriageReturn = false;
    bool m_lineHasEarlierText = false; // the open line already has text from an earlier chunk
    qsizetype m_lineStart = 0;         // where the open line starts in the chunk being built
};
