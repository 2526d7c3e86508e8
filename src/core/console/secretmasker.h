#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

// Replaces every occurrence of a secret (DB password, superuser password) with "••••" before
// text reaches the console, a log file or an error message.
//
// Streaming use: output arrives in arbitrary pieces, so a secret can be split across two of
// them. feed() therefore holds back an end of the text that could be the start of a secret,
// and only that, until the next piece or finish().
//
// All secrets are searched in one pass (an Aho–Corasick automaton over UTF-16 code units), so
// masking is linear in the text whatever the number of secrets and occurrences. Between
// partial matches a set-Horspool skip passes over text that cannot start a secret, several
// characters per look instead of one.
class SecretMasker
{
public:
    static QString mask() { return QStringLiteral("\u2022\u2022\u2022\u2022"); }

    SecretMasker() = default;
    explicit SecretMasker(const QStringList &secrets);

    void setSecrets(const QStringList &secrets); // empty strings are ignored
    QStringList secrets() const { return m_secrets; }
    bool isEmpty() const { return m_secrets.isEmpty(); }
    // Whether a secret holds a control character ('\n', ESC, ...): then where lines end and
    // escape sequences are depends on masking, and output can't be passed over unmasked.
    bool hasControlCharacters() const;

    // One-shot masking of a complete text.
    QString apply(const QString &text) const;

    // Streaming masking: returns what is safe to show now.
    QString feed(const QString &piece);
    QString finish(); // returns the held-back tail
    void discardPending(); // the stream goes on after output that is passed over unseen

private:
    struct Node
    {
        QList<std::pair<char16_t, int>> children; // sorted by character
        int fail = 0;
        int depth = 0;
        int matchLength = 0; // longest secret ending here (following fail links), 0 if none
        int holdDepth = 0;   // longest suffix here that is a proper prefix of a secret
    };

    void buildAutomaton();
    void buildSkipTables();
    qsizetype nextCandidate(const char16_t *data, qsizetype from, qsizetype limit, qsizetype size) const;
    int child(int node, char16_t c) const;
    int step(int node, char16_t c) const;
    qsizetype maskUpTo(const QString &text, qsizetype limit, QString *out) const;
    qsizetype heldBackLength(const QString &text) const;

    QStringList m_secrets; // longest first
    std::vector<Node> m_nodes; // node 0 is the root
    qsizetype m_longest = 0;
    qsizetype m_shortest = 0;
    // Skip tables by a code unit's low byte (see buildSkipTables()).
    std::array<int, 256> m_shift{};
    std::array<bool, 256> m_startsSecret{};
    std::array<bool, 256> m_endsPrefix{};
    QString m_pending; // raw text not yet released
};
