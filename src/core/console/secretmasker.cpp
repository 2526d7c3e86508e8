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
    m_holdBack = m_secrets.isEmpty() ? 0 : int(m_secrets.first().size()) - 1;
}

QString SecretMasker::apply(const QString &text) const
{
    if (m_secrets.isEmpty())
        return text;
    QString out = text;
    for (const QString &s : m_secrets)
        out.replace(s, mask());
    return out;
}

QString SecretMasker::feed(const QString &piece)
{
    if (m_secrets.isEmpty())
        return piece;
    m_pending += piece;
    m_pending = apply(m_pending);
    // Keep back a tail that could be the start of a secret completed by the next piece.
    const qsizetype safe = std::max<qsizetype>(0, m_pending.size() - m_holdBack);
    QString out = m_pending.left(safe);
    m_pending.remove(0, safe);
    return out;
}

QString SecretMasker::finish()
{
    QString out = apply(m_pending);
    m_pending.clear();
    return out;
}
