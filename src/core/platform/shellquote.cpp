#include "platform/shellquote.h"

#include <cstring>

namespace {
bool isPlain(QChar c)
{
    if (c.unicode() >= 128)
        return false; // non-ASCII is quoted so any locale reads it back the same
    const char ch = char(c.unicode());
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
        || (ch != 0 && std::strchr("_@%+=:,./-", ch) != nullptr);
}
}

QString ShellQuote::quote(const QString &word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    bool plain = true;
    for (QChar c : word) {
        if (!isPlain(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString out = word;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString ShellQuote::join(const QStringList &words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &w : words)
        quoted.append(quote(w));
    return quoted.join(QLatin1Char(' '));
}
