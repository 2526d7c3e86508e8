#include "console/secretmasker.h"

#include <algorithm>
#include <deque>

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
    buildAutomaton();
}

// The trie of all secrets with Aho–Corasick failure links. Per node it precomputes the longest
// secret that ends there (a match) and the longest suffix that may still grow into a secret
// (what a stream must hold back), so scanning never walks the failure chain to find them.
void SecretMasker::buildAutomaton()
{
    m_nodes.assign(1, Node{});
    m_longest = m_secrets.isEmpty() ? 0 : m_secrets.first().size();
    buildSkipTables();
    for (const QString &secret : std::as_const(m_secrets)) {
        int node = 0;
        for (const QChar ch : secret) {
            const char16_t c = ch.unicode();
            int next = child(node, c);
            if (next == 0) {
                next = int(m_nodes.size());
                Node created;
                created.depth = m_nodes[node].depth + 1;
                auto &children = m_nodes[node].children;
                const auto at = std::lower_bound(children.begin(), children.end(), c,
                                                 [](const auto &e, char16_t v) { return e.first < v; });
                children.insert(at, {c, next});
                m_nodes.push_back(created); // invalidates `children`: used above only
            }
            node = next;
        }
        m_nodes[node].matchLength = int(secret.size());
    }
    std::deque<int> queue{0};
    while (!queue.empty()) {
        const int u = queue.front();
        queue.pop_front();
        for (const auto &[c, v] : std::as_const(m_nodes[u].children)) {
            Node &n = m_nodes[v];
            n.fail = u == 0 ? 0 : step(m_nodes[u].fail, c);
            const Node &f = m_nodes[n.fail];
            if (n.matchLength == 0)
                n.matchLength = f.matchLength;
            queue.push_back(v);
        }
        Node &n = m_nodes[u];
        n.holdDepth = !n.children.isEmpty() ? n.depth : (u == 0 ? 0 : m_nodes[n.fail].holdDepth);
    }
}

// Horspool's skip over a set of patterns: the first m code units of every secret, m the
// shortest secret's length. Tables are indexed by the low byte of a code unit (buckets hold
// the smallest shift and any flag of their members, so sharing a bucket only skips less).
void SecretMasker::buildSkipTables()
{
    m_shortest = m_secrets.isEmpty() ? 0 : m_secrets.constLast().size();
    m_shift.fill(int(m_shortest));
    m_startsSecret.fill(false);
    m_endsPrefix.fill(false);
    for (const QString &secret : std::as_const(m_secrets)) {
        const char16_t *s = reinterpret_cast<const char16_t *>(secret.constData());
        m_startsSecret[s[0] & 0xff] = true;
        m_endsPrefix[s[m_shortest - 1] & 0xff] = true;
        for (qsizetype k = 0; k + 1 < m_shortest; ++k)
            m_shift[s[k] & 0xff] = std::min(m_shift[s[k] & 0xff], int(m_shortest - 1 - k));
    }
}

// The first position from `from` on (or limit) where a secret may start: a window of m code
// units ending in a character that no secret's prefix has at that distance from its end is
// passed over whole. Each position is looked at at most once, so scanning stays linear.
qsizetype SecretMasker::nextCandidate(const char16_t *data, qsizetype from, qsizetype limit, qsizetype size) const
{
    const qsizetype lastStart = std::min(limit, size - m_shortest + 1); // a whole secret fits
    qsizetype i = from;
    while (i < lastStart) {
        const unsigned c = data[i + m_shortest - 1] & 0xff;
        if (m_endsPrefix[c] && m_startsSecret[data[i] & 0xff])
            return i;
        i += m_shift[c];
    }
    return limit;
}

int SecretMasker::child(int node, char16_t c) const
{
    for (const auto &[key, next] : m_nodes[node].children) {
        if (key == c)
            return next;
        if (key > c)
            break;
    }
    return 0;
}

int SecretMasker::step(int node, char16_t c) const
{
    for (;;) {
        if (const int next = child(node, c))
            return next;
        if (node == 0)
            return 0;
        node = m_nodes[node].fail;
    }
}

QString SecretMasker::apply(const QString &text) const
{
    if (m_secrets.isEmpty())
        return text;
    QString out;
    const qsizetype consumed = maskUpTo(text, text.size(), &out);
    Q_ASSERT(consumed == text.size());
    return out;
}

// Masks text[0, limit) into out and returns how far it got (limit, or the end of a secret that
// straddles limit). The leftmost secret wins and, at one position, the longest, so "abcdef" is
// never shown as "••••def" because "abc" is a secret too. The automaton reports matches where
// they end, so after the first one it reads on only while a secret that starts no later could
// still complete (the state's depth says how far back the current partial match began).
qsizetype SecretMasker::maskUpTo(const QString &text, qsizetype limit, QString *out) const
{
    if (m_secrets.isEmpty()) {
        out->append(QStringView(text).left(limit));
        return limit;
    }
    const char16_t *data = reinterpret_cast<const char16_t *>(text.constData());
    const qsizetype size = text.size();
    qsizetype pos = 0;
    while (pos < limit) {
        int state = 0;
        qsizetype matchStart = -1;
        qsizetype matchLength = 0;
        qsizetype i = pos;
        while (i < size) {
            if (state == 0) { // the common case: skip what cannot begin a secret
                i = nextCandidate(data, i, limit, size);
                if (i >= limit)
                    break;
            }
            state = step(state, data[i]);
            ++i;
            const Node &n = m_nodes[state];
            if (n.matchLength > 0) {
                const qsizetype start = i - n.matchLength;
                if (matchStart < 0 || start < matchStart || (start == matchStart && n.matchLength > matchLength)) {
                    matchStart = start;
                    matchLength = n.matchLength;
                }
            }
            const qsizetype partialStart = i - n.depth;
            if (matchStart >= 0 ? partialStart > matchStart : partialStart >= limit)
                break;
        }
        if (matchStart < 0 || matchStart >= limit) {
            if (pos == 0 && limit == size && out->isEmpty())
                *out = text; // nothing to mask: shared, not copied
            else
                out->append(QStringView(text).mid(pos, limit - pos));
            return limit;
        }
        if (out->capacity() < limit)
            out->reserve(limit);
        out->append(QStringView(text).mid(pos, matchStart - pos));
        out->append(mask());
        pos = matchStart + matchLength;
    }
    return pos;
}

// The longest end of text that could still grow into a secret: only that much is held back,
// so ordinary output (prompts, progress lines) is never delayed. It is shorter than the longest
// secret, so running the automaton over that many last characters finds it.
qsizetype SecretMasker::heldBackLength(const QString &text) const
{
    const qsizetype window = std::min<qsizetype>(text.size(), m_longest - 1);
    int state = 0;
    for (const QChar c : QStringView(text).right(window))
        state = step(state, c.unicode());
    return m_nodes[state].holdDepth;
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

void SecretMasker::discardPending()
{
    m_pending.clear();
}

bool SecretMasker::hasControlCharacters() const
{
    for (const QString &secret : m_secrets) {
        for (const QChar c : secret) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                return true;
        }
    }
    return false;
}
