#include "project/dotenvfile.h"

#include "project/variableinterpolator.h"

#include <QFile>
#include <QProcessEnvironment>

namespace {

bool isKeyChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.')
        || c == QLatin1Char('-');
}

QString unescapeDoubleQuoted(const QString &raw)
{
    QString out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        if (c == QLatin1Char('\\') && i + 1 < raw.size()) {
            const QChar e = raw.at(++i);
            switch (e.unicode()) {
            case 'n': out += QLatin1Char('\n'); break;
            case 't': out += QLatin1Char('\t'); break;
            case 'r': out += QLatin1Char('\r'); break;
            case '"': out += QLatin1Char('"'); break;
            case '\\': out += QLatin1Char('\\'); break;
            case '$': out += QLatin1String("$$"); break; // stays literal through interpolation
            default: out += QLatin1Char('\\'); out += e; break;
            }
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

VariableInterpolator DotEnvFile::composeInterpolator() const
{
    return VariableInterpolator([values = m_values, shell = QProcessEnvironment::systemEnvironment()](
                                    const QString &name, QString *value) {
        if (shell.contains(name)) {
            *value = shell.value(name);
            return true;
        }
        if (!values.contains(name))
            return false;
        *value = values.value(name);
        return true;
    });
}

DotEnvFile DotEnvFile::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return {};
    }
    return parse(QString::fromUtf8(file.readAll()));
}

DotEnvFile DotEnvFile::parse(const QString &input)
{
    DotEnvFile env;
    QString text = input;
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    // Values may refer to keys defined earlier in the file, then to nothing else: the app
    // must not pick up its own process environment by accident.
    const VariableInterpolator interpolator([&env](const QString &name, QString *value) {
        if (!env.m_values.contains(name))
            return false;
        *value = env.m_values.value(name);
        return true;
    });

    const qsizetype n = text.size();
    qsizetype pos = 0;
    int lineNumber = 0;
    while (pos < n) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0)
            eol = n;
        ++lineNumber;
        QString line = text.mid(pos, eol - pos);
        qsizetype next = eol + 1;

        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#'))) {
            pos = next;
            continue;
        }
        QString rest = trimmed;
        if (rest.startsWith(QLatin1String("export ")) || rest.startsWith(QLatin1String("export\t")))
            rest = rest.mid(7).trimmed();

        qsizetype k = 0;
        while (k < rest.size() && isKeyChar(rest.at(k)))
            ++k;
        const QString key = rest.left(k);
        QString after = rest.mid(k);
        while (after.startsWith(QLatin1Char(' ')) || after.startsWith(QLatin1Char('\t')))
            after.remove(0, 1);
        if (key.isEmpty() || (!after.isEmpty() && !after.startsWith(QLatin1Char('=')))) {
            env.m_problems << QStringLiteral("line %1: not KEY=VALUE").arg(lineNumber);
            pos = next;
            continue;
        }
        if (after.isEmpty()) { // bare KEY: compose takes it from the shell; nothing to record
            pos = next;
            continue;
        }
        QString raw = after.mid(1);
        while (raw.startsWith(QLatin1Char(' ')) || raw.startsWith(QLatin1Char('\t')))
            raw.remove(0, 1);

        QString value;
        const QChar quote = raw.isEmpty() ? QChar() : raw.at(0);
        if (quote == QLatin1Char('"') || quote == QLatin1Char('\'')) {
            // The value ends at the first unescaped matching quote, possibly on a later line.
            // raw is a suffix of the trimmed line, so its last occurrence is where the quote is.
            const qsizetype valueStart = pos + line.lastIndexOf(raw) + 1;
            qsizetype i = valueStart;
            for (; i < n; ++i) {
                const QChar c = text.at(i);
                if (quote == QLatin1Char('"') && c == QLatin1Char('\\')) {
                    ++i;
                    continue;
                }
                if (c == quote)
                    break;
            }
            if (i >= n) {
                env.m_problems << QStringLiteral("line %1: unterminated quote").arg(lineNumber);
                pos = next;
                continue;
            }
            const QString inner = text.mid(valueStart, i - valueStart);
            lineNumber += int(inner.count(QLatin1Char('\n')));
            value = quote == QLatin1Char('\'') ? inner
                                               : interpolator.expand(unescapeDoubleQuoted(inner));
            next = text.indexOf(QLatin1Char('\n'), i);
            next = next < 0 ? n : next + 1;
        } else {
            // Unquoted: an inline comment starts at a '#' preceded by whitespace.
            for (qsizetype i = 0; i < raw.size(); ++i) {
                if (raw.at(i) == QLatin1Char('#') && i > 0
                    && (raw.at(i - 1) == QLatin1Char(' ') || raw.at(i - 1) == QLatin1Char('\t'))) {
                    raw.truncate(i);
                    break;
                }
            }
            value = interpolator.expand(raw.trimmed());
        }
        if (!env.m_values.contains(key))
            env.m_order << key;
        env.m_values.insert(key, value);
        pos = next;
    }
    return env;
}
