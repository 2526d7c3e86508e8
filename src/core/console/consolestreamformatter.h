#pragma once

#include "secretmasker.h"
#include "styledchunk.h"
#include "terminaltextparser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QStringDecoder>
#include <QStringList>

// The whole path of one output stream (a process's stdout or stderr) from raw bytes to
// StyledChunks: stateful UTF-8 decoding (a character split across reads stays whole), secret
// masking (a secret split across reads is still masked), then terminal parsing.
// Masking runs on the decoded text before anything else sees it.
//
// The decoding state is an incomplete UTF-8 sequence carried over to the next read. Qt 6.4's
// own stateful decoder can't be flushed at the end of a stream and, after an incomplete
// sequence followed by an invalid byte, drops that byte, which makes the result depend on
// where reads were split; so the carry is kept here and QStringDecoder only sees whole
// sequences.
class ConsoleStreamFormatter
{
public:
    ConsoleStreamFormatter();

    void setSecrets(const QStringList &secrets);

    StyledChunk feed(QByteArrayView bytes);
    // The stream ended: emits what the decoder and the masker still hold (an incomplete UTF-8
    // sequence becomes U+FFFD) and starts over for the next stream.
    StyledChunk finish();

private:
    QStringDecoder m_decoder;
    QByteArray m_incompleteTail; // start of a UTF-8 sequence whose rest has not arrived
    SecretMasker m_masker;
    TerminalTextParser m_parser;
};
