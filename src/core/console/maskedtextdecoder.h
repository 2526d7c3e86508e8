#pragma once

#include "secretmasker.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringDecoder>
#include <QStringList>

// One output stream (a process's stdout or stderr) from raw bytes to masked text: stateful UTF-8
// decoding (a character split across reads stays whole), then secret masking (a secret split
// across reads is still masked). The console (ConsoleStreamFormatter) and the runner's text for
// the CLI (PlanRunner::maskedText) both decode through it.
//
// The decoding state is an incomplete UTF-8 sequence carried over to the next read. Qt 6.4's
// own stateful decoder can't be flushed at the end of a stream and, after an incomplete
// sequence followed by an invalid byte, drops that byte, which makes the result depend on
// where reads were split; so the carry is kept here and QStringDecoder only sees whole
// sequences.
class MaskedTextDecoder
{
public:
    MaskedTextDecoder();

    void setSecrets(const QStringList &secrets);
    QString feed(QByteArrayView bytes);
    // The stream ended: what the decoder and the masker still hold (an incomplete UTF-8
    // sequence becomes U+FFFD); then it starts over for the next stream.
    QString finish();
    // The stream goes on at the start of a line after output that was passed over unseen: no
    // UTF-8 sequence or secret can be open across a line end (see SecretMasker::hasControlCharacters).
    void restartLine();
    bool secretsHaveControlCharacters() const { return m_masker.hasControlCharacters(); }

private:
    QStringDecoder m_decoder;
    QByteArray m_incompleteTail; // start of a UTF-8 sequence whose rest has not arrived
    SecretMasker m_masker;
};
