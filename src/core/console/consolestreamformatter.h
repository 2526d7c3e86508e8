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

    // Passing over output that will never be shown (the console's scrollback drops it before
    // it is drawn): TerminalLineScanner follows the bytes, and the formatter resumes after a
    // line end in the state the scanner found there. Only when no secret holds a control
    // character, since then no secret and no UTF-8 sequence spans a line end.
    bool canSkipLines() const { return !m_text.secretsHaveControlCharacters(); }
    void restartLine(const TerminalEscapeState &state);

private:
    MaskedTextDecoder m_text;
    TerminalTextParser m_parser;
};
