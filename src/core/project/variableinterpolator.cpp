#include "project/variableinterpolator.h"

namespace {
bool isNameStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }
}

QString VariableInterpolator::expand(const QString &text, QString *error) const
{
    QString out;
    out.reserve(text.size());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c != QLatin1Char('$') || i + 1 >= n) {
            out += c;
            continue;
        }
        const QChar next = text.at(i + 1);
        if (next == QLatin1Char('$')) { // $$ is a literal dollar
            out += QLatin1Char('$');
            ++i;
            continue;
        }
        if (isNameStart(next)) { // $VAR
            qsizetype j = i + 1;
            while (j < n && isNameChar(text.at(j)))
                ++j;
            QString value;
            if (m_lookup(text.mid(i + 1, j - i - 1), &value))
                out += value;
            i = j - 1;
            continue;
        }
        if (next != QLatin1Char('{')) {
            out += c;
            continue;
        }
        // ${...}: find the matching brace, allowing nested ${} in the default.
        qsizetype depth = 1;
        qsizetype j = i + 2;
        for (; j < n && depth > 0; ++j) {
            if (text.at(j) == QLatin1Char('{'))
                ++depth;
            else if (text.at(j) == QLatin1Char('}'))
                --depth;
        }
        if (depth != 0) {
            if (error)
                *error = QStringLiteral("unterminated ${ in \"%1\"").arg(text);
            out += text.mid(i);
            break;
        }
        const QString body = text.mid(i + 2, j - i - 3);
        i = j - 1;
        qsizetype k = 0;
        while (k < body.size() && isNameChar(body.at(k)))
            ++k;
        const QString name = body.left(k);
        const QString op = body.mid(k);
        QString value;
        const bool set = m_lookup(name, &value);
        const bool setNonEmpty = set && !value.isEmpty();
        if (op.isEmpty()) {
            out += value;
        } else if (op.startsWith(QLatin1String(":-"))) {
            out += setNonEmpty ? value : expand(op.mid(2), error);
        } else if (op.startsWith(QLatin1Char('-'))) {
            out += set ? value : expand(op.mid(1), error);
        } else if (op.startsWith(QLatin1String(":+"))) {
            out += setNonEmpty ? expand(op.mid(2), error) : QString();
        } else if (op.startsWith(QLatin1Char('+'))) {
            out += set ? expand(op.mid(1), error) : QString();
        } else if (op.startsWith(QLatin1String(":?")) || op.startsWith(QLatin1Char('?'))) {
            const bool colon = op.startsWith(QLatin1Char(':'));
            if (colon ? setNonEmpty : set) {
                out += value;
            } else if (error) {
                const QString message = op.mid(colon ? 2 : 1);
                *error = QStringLiteral("required variable %1 is missing a value%2")
                             .arg(name, message.isEmpty() ? QString() : QStringLiteral(": ") + message);
            }
        } else if (error) {
            *error = QStringLiteral("invalid substitution ${%1}").arg(body);
        }
    }
    return out;
}
