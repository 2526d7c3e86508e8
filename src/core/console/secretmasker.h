#pragma once

#include <QString>
#include <QStringList>

// Replaces every occurrence of a secret (DB password, superuser password) with "••••" before
// text reaches the console, a log file or an error message.
//
// Streaming use: output arrives in arbitrary pieces, so a secret can be split across two of
// them. feed() therefore holds back the last (longest secret - 1) characters until the next
// piece or finish().
class SecretMasker
{
public:
    static QString mask() { return QStringLiteral("\u2022\u2022\u2022\u2022"); }

    SecretMasker() = default;
    explicit SecretMasker(const QStringList &secrets);

    void setSecrets(const QStringList &secrets); // empty strings are ignored
    QStringList secrets() const { return m_secrets; }
    bool isEmpty() const { return m_secrets.isEmpty(); }

    // One-shot masking of a complete text.
    QString apply(const QString &text) const;

    // Streaming masking: returns what is safe to show now.
    QString feed(const QString &piece);
    QString finish(); // returns the held-back tail

private:
    QStringList m_secrets; // longest first, so a secret containing another is masked whole
    int m_holdBack = 0;
    QString m_pending;
};
