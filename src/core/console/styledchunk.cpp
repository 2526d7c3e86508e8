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
    if (other.text.isEmpty())
        return;
    // One bulk append, not one per run: merging is on the path of every read.
    text.append(other.text);
    auto run = other.runs.cbegin();
    if (!runs.isEmpty() && runs.last().style == run->style) {
        runs.last().length += run->length;
        ++run;
    }
    runs.append(run, other.runs.cend());
}

StyledChunk StyledChunk::takeFront(qsizetype size)
{
    size = std::clamp<qsizetype>(size, 0, text.size());
    StyledChunk front;
    front.clearsOpenLine = clearsOpenLine;
    front.text = text.left(size);
    const qsizetype whole = wholeRunsIn(size);
    front.runs = runs.mid(0, whole);
    const qsizetype covered = size - coveredBy(front.runs);
    if (covered > 0)
        front.runs.append(StyledRun{covered, runs.at(whole).style});
    dropFront(size);
    return front;
}

void StyledChunk::dropFront(qsizetype size)
{
    size = std::clamp<qsizetype>(size, 0, text.size());
    clearsOpenLine = false;
    const qsizetype whole = wholeRunsIn(size);
    const qsizetype rest = size - coveredBy(runs.first(whole));
    runs.remove(0, whole);
    if (rest > 0)
        runs.first().length -= rest;
    text.remove(0, size);
}

// How many leading runs lie entirely within the first `size` characters.
qsizetype StyledChunk::wholeRunsIn(qsizetype size) const
{
    qsizetype i = 0;
    for (qsizetype covered = 0; i < runs.size() && covered + runs.at(i).length <= size; ++i)
        covered += runs.at(i).length;
    return i;
}

qsizetype StyledChunk::coveredBy(const QList<StyledRun> &list)
{
    qsizetype total = 0;
    for (const StyledRun &run : list)
        total += run.length;
    return total;
}
