#include "maskedtextdecoder.h"

namespace {

// Length of the prefix of `bytes` that holds only complete UTF-8 sequences (invalid bytes
// count as complete: the decoder turns them into U+FFFD).
qsizetype completeUtf8Length(QByteArrayView bytes)
{
    const qsizetype size = bytes.size();
    for (qsizetype i = size - 1; i >= 0 && i >= size - 4; --i) {
        const auto b = quint8(bytes[i]);
        if ((b & 0xc0) == 0x80)
            continue; // continuation byte: look further back for the lead byte
        if (b < 0xc0 || b >= 0xf8)
            return size; // ASCII or invalid lead byte
        const qsizetype needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        return size - i < needed ? i : size;
    }
    return size;
}

} // namespace

MaskedTextDecoder::MaskedTextDecoder()
    // Stateless because the carry is kept here; a BOM is kept as the character it is, since
    // every decode() call would otherwise strip one at its start.
    : m_decoder(QStringDecoder::Utf8,
                QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom)
{
}

void MaskedTextDecoder::setSecrets(const QStringList &secrets)
{
    m_masker.setSecrets(secrets);
}

QString MaskedTextDecoder::feed(QByteArrayView bytes)
{
    QString decoded;
    if (m_incompleteTail.isEmpty()) {
        const qsizetype complete = completeUtf8Length(bytes);
        decoded = m_decoder.decode(bytes.first(complete));
        m_incompleteTail = bytes.sliced(complete).toByteArray();
    } else {
        const QByteArray joined = m_incompleteTail + bytes.toByteArray();
        const qsizetype complete = completeUtf8Length(joined);
        decoded = m_decoder.decode(QByteArrayView(joined).first(complete));
        m_incompleteTail = joined.sliced(complete);
    }
    return m_masker.feed(decoded);
}

QString MaskedTextDecoder::finish()
{
    // A sequence cut off by the end of the stream becomes U+FFFD.
    QString text = m_masker.feed(m_decoder.decode(m_incompleteTail));
    m_incompleteTail.clear();
    return text + m_masker.finish();
}

void MaskedTextDecoder::restartLine()
{
    m_incompleteTail.clear();
    m_masker.discardPending();
}
