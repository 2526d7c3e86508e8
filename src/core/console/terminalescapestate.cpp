#include "terminalescapestate.h"

#include <QByteArrayView>
#include <QVarLengthArray>

#include <algorithm>

namespace {

constexpr char16_t Esc = 0x1b;

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7f;
}

char16_t unitOf(QChar c)
{
    return c.unicode();
}

char16_t unitOf(char c)
{
    return char16_t(uchar(c));
}

// The ';'-separated parameters of an SGR sequence and their ':'-separated sub-parameters
// (ITU T.416 form) in one flat array: "1;38:2::10:20:30" -> {1 | 38, 2, 0, 10, 20, 30}; empty
// numbers count as 0. Flat, not a list of lists: coloured output has one every few words.
class SgrParams
{
public:
    template <typename View>
    explicit SgrParams(View text)
    {
        m_values.append(0);
        m_firsts.append(0);
        for (auto ch : text) {
            const char16_t c = unitOf(ch);
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

// One SGR code other than the extended colours 38 and 48.
void applyPlainCode(int code, TerminalStyle &style)
{
    if (code == 0) {
        style = TerminalStyle();
    } else if (code == 1) {
        style.bold = true;
    } else if (code == 3) {
        style.italic = true;
    } else if (code == 4) {
        style.underline = true;
    } else if (code == 22) {
        style.bold = false;
    } else if (code == 23) {
        style.italic = false;
    } else if (code == 24) {
        style.underline = false;
    } else if (code >= 30 && code <= 37) {
        style.foreground = TerminalColor::indexed(code - 30);
    } else if (code == 39) {
        style.foreground = TerminalColor();
    } else if (code >= 40 && code <= 47) {
        style.background = TerminalColor::indexed(code - 40);
    } else if (code == 49) {
        style.background = TerminalColor();
    } else if (code >= 90 && code <= 97) {
        style.foreground = TerminalColor::indexed(code - 90 + 8);
    } else if (code >= 100 && code <= 107) {
        style.background = TerminalColor::indexed(code - 100 + 8);
    }
    // Everything else (blink, inverse, fonts, ...) is ignored.
}

void applySgr(const SgrParams &list, TerminalStyle &style)
{
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
        if (code == 38)
            readColor(i, style.foreground);
        else if (code == 48)
            readColor(i, style.background);
        else
            applyPlainCode(code, style);
    }
}

// Applies the SGR parameters as they are read when they hold no extended colour (38, 48) and
// no ':' sub-parameters, as nearly all do; false (and the style untouched) otherwise. Building
// SgrParams for each sequence was most of the cost of passing over skipped output.
template <typename View>
bool applyPlainSgr(View params, TerminalStyle &style)
{
    TerminalStyle result = style;
    int value = 0;
    for (auto ch : params) {
        const char16_t c = unitOf(ch);
        if (c >= u'0' && c <= u'9') {
            value = std::min(value * 10 + int(c - u'0'), 100000);
        } else if (c == u';' && value != 38 && value != 48) {
            applyPlainCode(value, result);
            value = 0;
        } else {
            return false;
        }
    }
    if (value == 38 || value == 48)
        return false;
    applyPlainCode(value, result);
    style = result;
    return true;
}

template <typename View>
void finishCsiIn(TerminalStyle &style, char16_t final, View params, bool sgrCandidate)
{
    if (final != u'm' || !sgrCandidate)
        return;
    if (!params.isEmpty()) {
        const char16_t first = unitOf(params.front());
        if (first == u'<' || first == u'=' || first == u'>' || first == u'?')
            return; // private sequences that happen to end in 'm'
    }
    if (!applyPlainSgr(params, style))
        applySgr(SgrParams(params), style);
}

} // namespace

TerminalEscapeState::Action TerminalEscapeState::advance(char16_t c)
{
    if (c == Esc && mode != Mode::ControlString) {
        mode = Mode::Escape;
        return Action::None;
    }
    switch (mode) {
    case Mode::Text:
        break;
    case Mode::Escape:
        if (c == u'[') {
            mode = Mode::Csi;
            csiParams.clear();
            csiIsSgrCandidate = true;
        } else if (c == u']' || c == u'P' || c == u'X' || c == u'^' || c == u'_') {
            mode = Mode::ControlString; // OSC, DCS, SOS, PM, APC: up to BEL or ST
        } else if (c >= 0x20 && c <= 0x2f) {
            mode = Mode::EscapeIntermediate; // e.g. ESC ( B
        } else if (c >= 0x30 && c <= 0x7e) {
            mode = Mode::Text; // two-character sequence, nothing to show
        } else {
            mode = Mode::Text; // malformed: forget the ESC, keep the character
            return Action::Reprocess;
        }
        break;
    case Mode::EscapeIntermediate:
        if (c >= 0x30 && c <= 0x7e) {
            mode = Mode::Text;
        } else if (!(c >= 0x20 && c <= 0x2f)) {
            mode = Mode::Text;
            return Action::Reprocess;
        }
        break;
    case Mode::Csi:
        if (c >= 0x30 && c <= 0x3f) {
            if (csiParams.size() < MaxCsiParams)
                csiParams.append(QChar(c));
            else
                csiIsSgrCandidate = false;
        } else if (c >= 0x20 && c <= 0x2f) {
            csiIsSgrCandidate = false; // intermediates: not an SGR
        } else if (c >= 0x40 && c <= 0x7e) {
            finishCsi(c, QStringView(csiParams), csiIsSgrCandidate);
            mode = Mode::Text;
        } else if (isControl(c)) {
            return Action::ExecuteControl; // terminals execute controls inside a CSI
        } else {
            mode = Mode::Text; // not a valid CSI byte: abandon the sequence
            return Action::Reprocess;
        }
        break;
    case Mode::ControlString:
        if (c == 0x07)
            mode = Mode::Text;
        else if (c == Esc)
            mode = Mode::ControlStringEscape;
        break;
    case Mode::ControlStringEscape:
        if (c == u'\\') {
            mode = Mode::Text; // ST
        } else {
            mode = Mode::Escape; // a new sequence starts here
            return Action::Reprocess;
        }
        break;
    }
    return Action::None;
}

void TerminalEscapeState::finishCsi(char16_t final, QStringView params, bool sgrCandidate)
{
    finishCsiIn(style, final, params, sgrCandidate);
}

void TerminalEscapeState::finishCsi(char16_t final, QByteArrayView params, bool sgrCandidate)
{
    finishCsiIn(style, final, params, sgrCandidate);
}
