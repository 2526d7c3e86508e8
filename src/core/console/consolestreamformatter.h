#pragma once

#include "maskedtextdecoder.h"
#include "styledchunk.h"
#include "terminaltextparser.h"

#include <QByteArrayView>
#include <QStringList>

// The whole path of one output stream (a process's stdout or stderr) from raw bytes to
// StyledChunks: decoding and masking (MaskedTextDecoder: masking runs on the decoded text before
// anything else sees it), then terminal parsing.
class ConsoleStreamFormatter
{
public:
    void setSecrets(const QStringList &secrets);

    StyledChunk feed(QByteArrayView bytes);
    // The stream ended: emits what the decoder and the masker still hold (an incomplete UTF-8
    // sequence becomes U+FFFD) and starts over for the next stream.
    StyledChunk finish();

private:
    MaskedTextDecoder m_text;
    TerminalTextParser m_parser;
};
