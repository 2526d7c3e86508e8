#include "styledchunk.h"

#include <algorithm>

void StyledChunk::append(QStringView piece, const TerminalStyle &style)
{
    if (piece.isEmpty())
        return;
    text.append(piece);
    if (!runs.isEmpty() && runs.last().style == style)
        runs.last().length += piece.size();
    else
        runs.append(StyledRun{piece.size(), style});
}

void StyledChunk::truncate(qsizetype size)
{
    qsizetype excess = text.size() - size;
    if (excess <= 0)
        return;
    text.truncate(size);
    while (excess > 0 && !runs.isEmpty()) {
        StyledRun &last = runs.last();
        const qsizetype cut = std::min(excess, last.length);
        last.length -= cut;
        excess -= cut;
        if (last.length == 0)
            runs.removeLast();
    }
}

void StyledChunk::merge(const StyledChunk &other)
{
    if (other.clearsOpenLine) {
        const qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n')) + 1;
        if (lineStart == 0)
            clearsOpenLine = true; // our whole text was that open line, or nothing yet
        truncate(lineStart);
    }
    text.reserve(text.size() + other.text.size());
    qsizetype offset = 0;
    for (const StyledRun &run : other.runs) {
        append(QStringView(other.text).mid(offset, run.length), run.style);
        offset += run.length;
    }
}

StyledChunk StyledChunk::takeFront(qsizetype size)
{
    StyledChunk front;
    front.clearsOpenLine = clearsOpenLine;
    clearsOpenLine = false;
    size = std::clamp<qsizetype>(size, 0, text.size());
    front.text = text.left(size);
    qsizetype remaining = size;
    qsizetype i = 0;
    for (; i < runs.size() && remaining > 0; ++i) {
        StyledRun &run = runs[i];
        if (run.length <= remaining) {
            front.runs.append(run);
            remaining -= run.length;
        } else {
            front.runs.append(StyledRun{remaining, run.style});
            run.length -= remaining;
            remaining = 0;
            break;
        }
    }
    runs.remove(0, i);
    text.remove(0, size);
    return front;
}
