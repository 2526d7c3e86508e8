#include "console/secretmasker.h"

#include <algorithm>

SecretMasker::SecretMasker(const QStringList &secrets)
{
    setSecrets(secrets);
}

void SecretMasker::setSecrets(const QStringList &secrets)
{
    m_secrets.clear();
    for (const QString &s : secrets) {
        if (!s.isEmpty() && !m_secrets.contains(s))
            m_secrets.append(s);
    }
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

QString SecretMasker::apply(const QString &text) const
{
    QString out;
    const qsizetype consumed = maskUpTo(text, text.size(), &out);
    Q_ASSERT(consumed == text.size());
    return out;
}

// Masks text[0, limit) into out and returns how far it got (limit, or the end of a secret that
// straddles limit). At each position the longest secret wins, so "abcdef" is never shown as
// "••••def" because "abc" is a secret too.
qsizetype SecretMasker::maskUpTo(const QString &text, qsizetype limit, QString *out) const
{
    if (m_secrets.isEmpty()) {
        out->append(QStringView(text).left(limit));
        return limit;
    }
    qsizetype pos = 0;
    while (pos < limit) {
        qsizetype best = -1;
        qsizetype bestLength = 0;
        for (const QString &secret : m_secrets) { // longest first: ties go to the longer one
            const qsizetype at = text.indexOf(secret, pos);
            if (at >= 0 && at < limit && (best < 0 || at < best)) {
                best = at;
                bestLength = secret.size();
            }
        }
        if (best < 0) {
            out->append(QStringView(text).mid(pos, limit - pos));
            return limit;
        }
        out->append(QStringView(text).mid(pos, best - pos));
        out->append(mask());
        pos = best + bestLength;
    }
    return pos;
}

// The longest end of text that could still grow into a secret: only that much is held back,
// so ordinary output (prompts, progress lines) is never delayed.
qsizetype SecretMasker::heldBackLength(const QString &text) const
{
    qsizetype longest = 0;
    for (const QString &secret : m_secrets) {
        for (qsizetype n = std::min<qsizetype>(secret.size() - 1, text.size()); n > longest; --n) {
            if (QStringView(text).right(n) == QStringView(secret).left(n)) {
                longest = n;
                break;
            }
        }
    }
    return longest;
}

QString SecretMasker::feed(const QString &piece)
{
    if (m_secrets.isEmpty())
        return piece;
    if (m_pending.isEmpty())
        m_pending = piece; // shared, not copied: the usual case, nothing was held back
    else
        m_pending += piece;
    QString out;
    out.reserve(m_pending.size());
    const qsizetype consumed = maskUpTo(m_pending, m_pending.size() - heldBackLength(m_pending), &out);
    m_pending = m_pending.sliced(consumed); // only the short held-back end is copied
    return out;
}

QString SecretMasker::finish()
{
    QString out = apply(m_pending);
    m_pending.clear();
    return out;
}
