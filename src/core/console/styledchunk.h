#pragma once

#include "terminalstyle.h"

#include <QList>
#include <QString>
#include <QStringView>

// A stretch of text of one style inside a StyledChunk.
struct StyledRun
{
    qsizetype length = 0;
    TerminalStyle style;
};

// What one piece of process output turned into, ready to append to a console: text whose lines
// are separated by '\n' (no '\r', no escape sequences, no other control characters except tab),
// covered exactly by runs of one style each.
//
// clearsOpenLine: a bare '\r' rewound the line this stream left open earlier, so that line's
// text must be removed before `text` is appended (progress output rewriting itself).
struct StyledChunk
{
    bool clearsOpenLine = false;
    QString text;
    QList<StyledRun> runs;

    bool isEmpty() const { return text.isEmpty() && !clearsOpenLine; }
    qsizetype newlineCount() const { return text.count(QLatin1Char('\n')); }

    void append(QStringView piece, const TerminalStyle &style);
    void truncate(qsizetype size); // drops text and runs from `size` on

    // Appends `other` as if its text followed ours; other.clearsOpenLine then rewinds our last line.
    void merge(const StyledChunk &other);
    // Splits off and returns the first `size` characters; the rest stays in *this.
    StyledChunk takeFront(qsizetype size);
    // Drops the first `size` characters (what scrolls out of the scrollback before it is shown).
    void dropFront(qsizetype size);

private:
    qsizetype wholeRunsIn(qsizetype size) const;
    static qsizetype coveredBy(const QList<StyledRun> &list);
};
