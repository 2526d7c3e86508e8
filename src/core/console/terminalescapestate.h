#pragma once

#include "terminalstyle.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <algorithm>
#include <type_traits>

// What a terminal parser carries from one line of output to the next: where it is inside an
// escape sequence and the SGR style in effect. TerminalTextParser keeps it while it builds
// StyledChunks; TerminalLineScanner keeps the same over raw bytes it only counts lines in, so
// output that will never be shown can be passed over and the parser resumed after it.
struct TerminalEscapeState
{
    enum class Mode : quint8 { Text, Escape, EscapeIntermediate, Csi, ControlString, ControlStringEscape };
    // What the reader does with the code unit it just passed to advance().
    enum class Action : quint8 { None, Reprocess, ExecuteControl };

    Mode mode = Mode::Text;
    QString csiParams; // parameter bytes of the CSI sequence being read
    bool csiIsSgrCandidate = true;
    TerminalStyle style;

    // One code unit while mode is not Text. Code units >= 0x80 behave alike whether they are
    // UTF-16 or bytes of UTF-8: none of them is part of an escape sequence.
    Action advance(char16_t c);
    // A whole CSI sequence read in place (ESC [ params final): applies it if it is an SGR.
    void finishCsi(char16_t final, QStringView params, bool sgrCandidate);
    void finishCsi(char16_t final, QByteArrayView params, bool sgrCandidate);
};

// Longest CSI parameter string kept; longer sequences are garbage: swallowed, not stored.
constexpr qsizetype MaxCsiParams = 256;

// The end of the CSI sequence at `at` (ESC [ parameters final) when it is whole in the n code
// units at p and has only parameter bytes, else 0: then the state machine reads it, split or odd
// as it may be. Colour codes are nearly all of this kind. One definition for the parser's UTF-16
// and the scanner's bytes, so both see the same sequences.
template<typename Unit>
qsizetype wholeCsiEnd(const Unit *p, qsizetype n, qsizetype at)
{
    auto unit = [p](qsizetype i) { return char16_t(std::make_unsigned_t<Unit>(p[i])); };
    if (at + 1 >= n || unit(at + 1) != u'[')
        return 0;
    const qsizetype paramsEnd = std::min(n, at + 2 + MaxCsiParams);
    qsizetype j = at + 2;
    while (j < paramsEnd && unit(j) >= 0x30 && unit(j) <= 0x3f)
        ++j;
    if (j >= n || unit(j) < 0x40 || unit(j) > 0x7e)
        return 0;
    return j + 1;
}
