#pragma once

#include <QtGlobal>

// A colour as a terminal program asked for it. Kept free of QtGui: the console widget decides
// what "default" and the 16 palette entries look like in the current (light or dark) theme.
struct TerminalColor
{
    enum class Kind : quint8 { Default, Indexed, Rgb };

    Kind kind = Kind::Default;
    quint32 value = 0; // palette index 0-255 for Indexed, 0xRRGGBB for Rgb

    static TerminalColor indexed(int index) { return {Kind::Indexed, quint32(index)}; }
    static TerminalColor rgb(quint8 r, quint8 g, quint8 b)
    {
        return {Kind::Rgb, (quint32(r) << 16) | (quint32(g) << 8) | quint32(b)};
    }

    bool isDefault() const { return kind == Kind::Default; }
    friend bool operator==(TerminalColor a, TerminalColor b)
    {
        return a.kind == b.kind && a.value == b.value;
    }
    friend bool operator!=(TerminalColor a, TerminalColor b) { return !(a == b); }
};

// The SGR attributes in effect for a piece of text.
struct TerminalStyle
{
    TerminalColor foreground;
    TerminalColor background;
    bool bold = false;
    bool italic = false;
    bool underline = false;

    bool isPlain() const
    {
        return foreground.isDefault() && background.isDefault() && !bold && !italic && !underline;
    }
    friend bool operator==(const TerminalStyle &a, const TerminalStyle &b)
    {
        return a.foreground == b.foreground && a.background == b.background && a.bold == b.bold
               && a.italic == b.italic && a.underline == b.underline;
    }
    friend bool operator!=(const TerminalStyle &a, const TerminalStyle &b) { return !(a == b); }
};

// 0xRRGGBB of xterm's 256-colour palette entries 16-255 (6x6x6 cube and grey ramp). Entries
// 0-15 depend on the theme and are chosen by whoever paints.
quint32 xtermCubeOrGreyRgb(int index);
