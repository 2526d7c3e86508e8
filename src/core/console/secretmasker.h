#pragma once

#include <QString>
#include <QStringList>

// Replaces every occurrence of a secret (DB password, superuser password) with "••••" before
// text reaches the console, a log file or an error message.
//
// Streaming use: output arrives in arbitrary pieces, so a secret can be split across two of
// them. feed() therefore holds back an end of the text that could be the start of a secret,
// and only that, until the next piece or finish().
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
    qsizetype maskUpTo(const QString &text, qsizetype limit, QString *out) const;
    qsizetype heldBackLength(const QString &text) const;

    QStringList m_secrets; // longest first, so a secret containing another is masked whole
    QString m_pending;     // raw text not yet released

};
