#include "terminaltextparser.h"

#include <QVarLengthArray>

#include <cstring>

namespace {

constexpr char16_t Esc = 0x1b;
constexpr qsizetype MaxCsiParams = 256; // longer sequences are garbage; swallow, don't store

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
    StyledChunk out;
    out.text.reserve(text.size());
    m_lineStart = 0;

    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        if (m_state == State::Text) {
            i = appendText(text, i, out);
            if (i < n) { // at an ESC
                if (const qsizetype end = wholeCsiEnd(text, i); end > 0) {
                    finishCsi(text[end - 1], text.sliced(i + 2, end - 1 - (i + 2)), true);
                    i = end;
                } else {
                    m_state = State::Escape;
                    ++i;
                }
            }
            continue;
        }

        const char16_t c = text[i].unicode();
        ++i;
        if (c == Esc && m_state != State::ControlString) {
            m_state = State::Escape;
            continue;
        }
        switch (m_state) {
        case State::Text:
            break;
        case State::Escape:
            if (c == u'[') {
                m_state = State::Csi;
                m_csiParams.clear();
                m_csiIsSgrCandidate = true;
            } else if (c == u']' || c == u'P' || c == u'X' || c == u'^' || c == u'_') {
                m_state = State::ControlString; // OSC, DCS, SOS, PM, APC: up to BEL or ST
            } else if (c >= 0x20 && c <= 0x2f) {
                m_state = State::EscapeIntermediate; // e.g. ESC ( B
            } else if (c >= 0x30 && c <= 0x7e) {
                m_state = State::Text; // two-character sequence, nothing to show
            } else {
                m_state = State::Text; // malformed: forget the ESC, keep the character
                --i;
            }
            break;
        case State::EscapeIntermediate:
            if (c >= 0x30 && c <= 0x7e) {
                m_state = State::Text;
            } else if (!(c >= 0x20 && c <= 0x2f)) {
                m_state = State::Text;
                --i;
            }
            break;
        case State::Csi:
            if (c >= 0x30 && c <= 0x3f) {
                if (m_csiParams.size() < MaxCsiParams)
                    m_csiParams.append(QChar(c));
                else
                    m_csiIsSgrCandidate = false;
            } else if (c >= 0x20 && c <= 0x2f) {
                m_csiIsSgrCandidate = false; // intermediates: not an SGR
            } else if (c >= 0x40 && c <= 0x7e) {
                finishCsi(QChar(c), m_csiParams, m_csiIsSgrCandidate);
                m_state = State::Text;
            } else if (isControl(c)) {
                appendControl(QChar(c), out); // terminals execute controls inside a CSI
            } else {
                m_state = State::Text; // not a valid CSI byte: abandon the sequence
                --i;
            }
            break;
        case State::ControlString:
            if (c == 0x07)
                m_state = State::Text;
            else if (c == Esc)
                m_state = State::ControlStringEscape;
            break;
        case State::ControlStringEscape:
            if (c == u'\\') {
                m_state = State::Text; // ST
            } else {
                m_state = State::Escape; // a new sequence starts here
                --i;
            }
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
    m_state = State::Text;
    m_csiParams.clear();
    m_csiIsSgrCandidate = true;
    m_style = TerminalStyle();
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
    out.append(piece, m_style); // '\n' has the style around it: fewer runs
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
        out.append(u"\n", m_style); // same style as the text around it: fewer runs
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

// The end of the CSI sequence at `at` (ESC [ parameters final) when it is whole in text and
// has only parameter bytes, else 0: then the state machine reads it, split or odd as it may be.
// Colour codes are nearly all of this kind, and reading them in place copies nothing.
qsizetype TerminalTextParser::wholeCsiEnd(QStringView text, qsizetype at)
{
    const qsizetype n = text.size();
    if (at + 1 >= n || text[at + 1] != u'[')
        return 0;
    const qsizetype paramsEnd = std::min(n, at + 2 + MaxCsiParams);
    qsizetype j = at + 2;
    while (j < paramsEnd && text[j].unicode() >= 0x30 && text[j].unicode() <= 0x3f)
        ++j;
    if (j >= n || text[j].unicode() < 0x40 || text[j].unicode() > 0x7e)
        return 0;
    return j + 1;
}

void TerminalTextParser::finishCsi(QChar final, QStringView params, bool sgrCandidate)
{
    if (final != u'm' || !sgrCandidate)
        return;
    if (!params.isEmpty()) {
        const char16_t first = params.front().unicode();
        if (first == u'<' || first == u'=' || first == u'>' || first == u'?')
            return; // private sequences that happen to end in 'm'
    }
    applySgr(params);
}

namespace {

// The ';'-separated parameters of an SGR sequence and their ':'-separated sub-parameters
// (ITU T.416 form) in one flat array: "1;38:2::10:20:30" -> {1 | 38, 2, 0, 10, 20, 30}; empty
// numbers count as 0. Flat, not a list of lists: coloured output has one every few words.
class SgrParams
{
public:
    explicit SgrParams(QStringView text)
    {
        m_values.append(0);
        m_firsts.append(0);
        for (QChar ch : text) {
            const char16_t c = ch.unicode();
            if (c >= u'0' && c <= u'9') {
                int &value = m_values.last();
                value = std::min(value * 10 + int(c - u'0'), 100000);
            } else if (c == u';') {
                m_firsts.append(m_values.size());
                m_values.append(0);
            } else if (c == u':') {
                m_values.append(0);
            }
        }
    }
    qsizetype size() const { return m_firsts.size(); }
    // How many values parameter i has (1 + its sub-parameters).
    qsizetype count(qsizetype i) const { return (i + 1 < size() ? m_firsts[i + 1] : m_values.size()) - m_firsts[i]; }
    int at(qsizetype i, qsizetype sub = 0) const { return m_values[m_firsts[i] + sub]; }

private:
    QVarLengthArray<int, 16> m_values;
    QVarLengthArray<qsizetype, 16> m_firsts; // where each parameter's values start
};

} // namespace

void TerminalTextParser::applySgr(QStringView params)
{
    const SgrParams list(params);

    // Reads an extended colour (38/48): from sub-parameters if given, else from the following
    // parameters. Returns false when the sequence is incomplete.
    auto readColor = [&](qsizetype &i, TerminalColor &color) {
        const qsizetype values = list.count(i);
        if (values > 1) {
            const int mode = list.at(i, 1);
            if (mode == 5 && values >= 3) {
                color = TerminalColor::indexed(std::clamp(list.at(i, 2), 0, 255));
                return true;
            }
            if (mode == 2 && values >= 5) {
                // 38:2:R:G:B or 38:2:colourspace:R:G:B
                const qsizetype o = values >= 6 ? 3 : 2;
                color = TerminalColor::rgb(quint8(std::clamp(list.at(i, o), 0, 255)),
                                           quint8(std::clamp(list.at(i, o + 1), 0, 255)),
                                           quint8(std::clamp(list.at(i, o + 2), 0, 255)));
                return true;
            }
            return false;
        }
        if (i + 1 >= list.size())
            return false;
        const int mode = list.at(i + 1);
        if (mode == 5 && i + 2 < list.size()) {
            color = TerminalColor::indexed(std::clamp(list.at(i + 2), 0, 255));
            i += 2;
            return true;
        }
        if (mode == 2 && i + 4 < list.size()) {
            color = TerminalColor::rgb(quint8(std::clamp(list.at(i + 2), 0, 255)),
                                       quint8(std::clamp(list.at(i + 3), 0, 255)),
                                       quint8(std::clamp(list.at(i + 4), 0, 255)));
            i += 4;
            return true;
        }
        i = list.size(); // unknown or truncated: the rest can't be interpreted reliably
        return false;
    };

    for (qsizetype i = 0; i < list.size(); ++i) {
        const int code = list.at(i);
        if (code == 0) {
            m_style = TerminalStyle();
        } else if (code == 1) {
            m_style.bold = true;
        } else if (code == 3) {
            m_style.italic = true;
        } else if (code == 4) {
            m_style.underline = true;
        } else if (code == 22) {
            m_style.bold = false;
        } else if (code == 23) {
            m_style.italic = false;
        } else if (code == 24) {
            m_style.underline = false;
        } else if (code >= 30 && code <= 37) {
            m_style.foreground = TerminalColor::indexed(code - 30);
        } else if (code == 38) {
            readColor(i, m_style.foreground);
        } else if (code == 39) {
            m_style.foreground = TerminalColor();
        } else if (code >= 40 && code <= 47) {
            m_style.background = TerminalColor::indexed(code - 40);
        } else if (code == 48) {
            readColor(i, m_style.background);
        } else if (code == 49) {
            m_style.background = TerminalColor();
        } else if (code >= 90 && code <= 97) {
            m_style.foreground = TerminalColor::indexed(code - 90 + 8);
        } else if (code >= 100 && code <= 107) {
            m_style.background = TerminalColor::indexed(code - 100 + 8);
        }
        // Everything else (blink, inverse, fonts, ...) is ignored.
    }
}
