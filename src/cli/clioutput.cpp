#include "cli/clioutput.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <unistd.h>

namespace CliOutput {

bool wantsJson(const QStringList &arguments)
{
    for (const QString &a : arguments) {
        if (a == QLatin1String("--"))
            return false;
        if (a == QLatin1String("--json"))
            return true;
    }
    return false;
}

QJsonObject document(const QString &kind, QJsonObject object)
{
    object.insert(QStringLiteral("kind"), kind);
    object.insert(QStringLiteral("schemaVersion"), SchemaVersion);
    return object;
}

void printJson(const QJsonObject &object)
{
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

int fail(bool json, const QString &code, const QString &message, const QJsonObject &extra)
{
    if (json) {
        QJsonObject o = extra;
        o.insert(QStringLiteral("error"), message);
        o.insert(QStringLiteral("code"), code);
        o.insert(QStringLiteral("exitCode"), 2);
        printJson(document(QStringLiteral("error"), o));
    } else {
        const QByteArray bytes = decorate(stderr, QStringLiteral("error: ") + message + QLatin1Char('\n')).toLocal8Bit();
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
        std::fflush(stderr);
    }
    return 2;
}

bool colorEnabled(FILE *stream)
{
    // https://no-color.org: present and not empty means no colour, whatever else is set.
    if (!qEnvironmentVariableIsEmpty("NO_COLOR"))
        return false;
    if (qEnvironmentVariable("TERM") == QLatin1String("dumb"))
        return false;
    return ::isatty(::fileno(stream)) == 1;
}

QString paint(FILE *stream, Role role, const QString &text)
{
    if (!colorEnabled(stream))
        return text;
    const char *sgr = "";
    switch (role) {
    case Role::Error: sgr = "1;31"; break;
    case Role::Warning: sgr = "33"; break;
    case Role::Hint: sgr = "36"; break;
    case Role::Header: sgr = "1;34"; break;
    case Role::Good: sgr = "32"; break;
    case Role::Attention: sgr = "1;33"; break;
    }
    return QStringLiteral("\x1b[%1m%2\x1b[0m").arg(QLatin1String(sgr), text);
}

QString decorate(FILE *stream, const QString &text)
{
    if (!colorEnabled(stream))
        return text;
    static const struct { QLatin1String prefix; Role role; } prefixes[] = {
        {QLatin1String("error: "), Role::Error},
        {QLatin1String("warning: "), Role::Warning},
        {QLatin1String("hint: "), Role::Hint},
        {QLatin1String("would refuse: "), Role::Error},
    };
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        if (line.startsWith(QLatin1String("==> "))) {
            line = paint(stream, Role::Header, line);
            continue;
        }
        for (const auto &p : prefixes) {
            if (line.startsWith(p.prefix)) {
                line = paint(stream, p.role, line.left(p.prefix.size() - 1)) + line.mid(p.prefix.size() - 1);
                break;
            }
        }
    }
    return lines.join(QLatin1Char('\n'));
}

QString stripEscapes(const QString &text)
{
    if (!text.contains(QChar(0x1b)))
        return text;
    // CSI (colours, cursor) and OSC (titles, links) sequences; a lone ESC goes too.
    static const QRegularExpression escapes(
        QStringLiteral("\\x1b(\\[[0-?]*[ -/]*[@-~]|\\][^\\x07\\x1b]*(\\x07|\\x1b\\\\)|[@-Z\\\\-_]?)"));
    QString copy = text;
    return copy.remove(escapes);
}

} // namespace CliOutput
