#include "scan/migrationfileparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <cstring>
#include <optional>

namespace {

// ---------------------------------------------------------------------------------------------
// Tokens of the Python subset a migration module uses. Only what the four fields need is kept
// precise (names, strings, brackets, commas, '=', '.', logical line ends); anything else is an
// Other token, which makes a field unreadable if it appears inside one.

enum class Tok { Name, String, Op, Newline, Other, End };

struct Token
{
    Tok type = Tok::End;
    QByteArray text; // name, operator, or a string's decoded value (UTF-8)
    int line = 0;
    int column = 0;       // of the first character, 0-based
    bool lineStart = false; // first token of a logical line
};

class Tokenizer
{
public:
    explicit Tokenizer(const QByteArray &text) : m_s(text) {}

    Token next()
    {
        for (;;) {
            if (m_pos >= m_s.size()) {
                Token t;
                t.type = m_pendingNewline ? Tok::Newline : Tok::End;
                t.line = m_line;
                m_pendingNewline = false;
                return t;
            }
            const char c = m_s.at(m_pos);
            if (c == '\n') {
                ++m_pos;
                ++m_line;
                m_col = 0;
                if (m_depth == 0 && m_pendingNewline) {
                    m_pendingNewline = false;
                    m_atLineStart = true;
                    Token t;
                    t.type = Tok::Newline;
                    t.line = m_line - 1;
                    return t;
                }
                if (m_depth == 0)
                    m_atLineStart = true;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                advance(1);
                continue;
            }
            if (c == '#') {
                while (m_pos < m_s.size() && m_s.at(m_pos) != '\n')
                    advance(1);
                continue;
            }
            if (c == '\\' && m_pos + 1 < m_s.size() && (m_s.at(m_pos + 1) == '\n' || m_s.at(m_pos + 1) == '\r')) {
                // line continuation: the logical line goes on
                advance(1);
                if (m_pos < m_s.size() && m_s.at(m_pos) == '\r')
                    advance(1);
                if (m_pos < m_s.size() && m_s.at(m_pos) == '\n') {
                    ++m_pos;
                    ++m_line;
                    m_col = 0;
                }
                continue;
            }
            Token t;
            t.line = m_line;
            t.column = m_col;
            t.lineStart = m_atLineStart;
            m_atLineStart = false;
            m_pendingNewline = true;
            if (isNameStart(c)) {
                qsizetype end = m_pos;
                while (end < m_s.size() && isNameChar(m_s.at(end)))
                    ++end;
                // A string prefix (r, b, u, f, rb, br, …) directly followed by a quote.
                if (end < m_s.size() && (m_s.at(end) == '\'' || m_s.at(end) == '"') && end - m_pos <= 2
                    && isStringPrefix(m_s.mid(m_pos, end - m_pos))) {
                    const QByteArray prefix = m_s.mid(m_pos, end - m_pos).toLower();
                    advance(end - m_pos);
                    return readString(t, prefix.contains('r'), prefix.contains('f'));
                }
                t.type = Tok::Name;
                t.text = m_s.mid(m_pos, end - m_pos);
                advance(end - m_pos);
                return t;
            }
            if (c == '\'' || c == '"')
                return readString(t, false, false);
            if (c == '(' || c == '[' || c == '{')
                ++m_depth;
            else if ((c == ')' || c == ']' || c == '}') && m_depth > 0)
                --m_depth;
            if (std::strchr("()[]{},.=:", c)) {
                t.type = Tok::Op;
                t.text = QByteArray(1, c);
                advance(1);
                return t;
            }
            // numbers, other operators, non-ASCII: one character at a time is enough
            t.type = Tok::Other;
            t.text = QByteArray(1, c);
            advance(1);
            return t;
        }
    }

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

private:
    static bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80); }
    static bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }
    static bool isStringPrefix(const QByteArray &p)
    {
        static const QList<QByteArray> prefixes = {"r", "u", "b", "f", "br", "rb", "fr", "rf"};
        return prefixes.contains(p.toLower());
    }

    void advance(qsizetype n)
    {
        m_pos += n;
        m_col += int(n);
    }

    Token readString(Token t, bool raw, bool formatted)
    {
        const char quote = m_s.at(m_pos);
        const bool triple = m_pos + 2 < m_s.size() && m_s.at(m_pos + 1) == quote && m_s.at(m_pos + 2) == quote;
        advance(triple ? 3 : 1);
        QByteArray value;
        for (;;) {
            if (m_pos >= m_s.size()) {
                m_error = QStringLiteral("line %1: a string that never ends").arg(t.line);
                t.type = Tok::End;
                return t;
            }
            const char c = m_s.at(m_pos);
            if (c == '\\' && m_pos + 1 < m_s.size()) {
                const char e = m_s.at(m_pos + 1);
                if (e == '\n') {
                    ++m_line;
                    m_col = 0;
                    m_pos += 2;
                    if (raw)
                        value += "\\\n";
                    continue;
                }
                advance(2);
                if (raw) {
                    value += '\\';
                    value += e;
                    continue;
                }
                switch (e) {
                case 'n': value += '\n'; break;
                case 't': value += '\t'; break;
                case 'r': value += '\r'; break;
                case '0': value += '\0'; break;
                case '\\': case '\'': case '"': value += e; break;
                default: value += '\\'; value += e; break; // \xNN, \u…: kept as written
                }
                continue;
            }
            if (c == quote) {
                if (!triple) {
                    advance(1);
                    break;
                }
                if (m_pos + 2 < m_s.size() && m_s.at(m_pos + 1) == quote && m_s.at(m_pos + 2) == quote) {
                    advance(3);
                    break;
                }
            }
            if (c == '\n') {
                if (!triple) {
                    m_error = QStringLiteral("line %1: a string that never ends").arg(t.line);
                    t.type = Tok::End;
                    return t;
                }
                ++m_line;
                m_col = 0;
                ++m_pos;
                value += c;
                continue;
            }
            value += c;
            advance(1);
        }
        // An f-string's value depends on running code: not a literal.
        t.type = formatted ? Tok::Other : Tok::String;
        t.text = formatted ? "f" + QByteArray(1, quote) + value + QByteArray(1, quote) : value;
        return t;
    }

    const QByteArray &m_s;
    qsizetype m_pos = 0;
    int m_line = 1;
    int m_col = 0;
    int m_depth = 0;
    bool m_atLineStart = true;
    bool m_pendingNewline = false;
    QString m_error;
};

// ---------------------------------------------------------------------------------------------
// Values of the literal subset.

struct Value
{
    enum Kind { String, Bool, None, Sequence, Swappable } kind = None;
    QString string;        // String; Swappable: the model ("accounts.User")
    bool boolean = false;
    QList<Value> items;    // Sequence
};

class LiteralParser
{
public:
    LiteralParser(Tokenizer &tokens, const QString &authUserModel)
        : m_tokens(tokens)
        , m_authUserModel(authUserModel)
    {
        m_current = m_tokens.next();
    }

    const Token &current() const { return m_current; }
    void advance() { m_current = m_tokens.next(); }

    // value := STRING+ | True | False | None | '[' seq ']' | '(' seq ')' | swappable call
    std::optional<Value> value()
    {
        if (m_current.type == Tok::String) {
            Value v;
            v.kind = Value::String;
            QByteArray joined;
            while (m_current.type == Tok::String) { // 'a' 'b' is 'ab'
                joined += m_current.text;
                advance();
            }
            v.string = QString::fromUtf8(joined);
            return v;
        }
        if (isOp("[") || isOp("("))
            return sequence(m_current.text == "[" ? "]" : ")");
        if (m_current.type == Tok::Name) {
            const QByteArray name = m_current.text;
            if (name == "True" || name == "False") {
                advance();
                Value v;
                v.kind = Value::Bool;
                v.boolean = name == "True";
                return v;
            }
            if (name == "None") {
                advance();
                return Value();
            }
            return swappable();
        }
        return fail();
    }

    QString error() const { return m_error; }

private:
    bool isOp(const char *op) const { return m_current.type == Tok::Op && m_current.text == op; }

    std::optional<Value> fail() { return failAt(m_current); }
    std::optional<Value> failAt(const Token &at)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("line %1: not a literal this reader understands (at \"%2\")")
                          .arg(at.line)
                          .arg(at.type == Tok::Newline || at.type == Tok::End ? QStringLiteral("end of line")
                                                                             : QString::fromUtf8(at.text.left(40)));
        return std::nullopt;
    }

    std::optional<Value> sequence(const char *close)
    {
        advance(); // '[' or '('
        Value v;
        v.kind = Value::Sequence;
        while (!isOp(close)) {
            std::optional<Value> item = value();
            if (!item)
                return std::nullopt;
            v.items << *item;
            if (isOp(","))
                advance();
            else if (!isOp(close))
                return fail();
        }
        advance();
        return v;
    }

    // [migrations.]swappable_dependency(settings.AUTH_USER_MODEL | 'app.Model')
    std::optional<Value> swappable()
    {
        const Token start = m_current;
        QByteArrayList dotted{m_current.text};
        advance();
        while (isOp(".")) {
            advance();
            if (m_current.type != Tok::Name)
                return fail();
            dotted << m_current.text;
            advance();
        }
        if (dotted.constLast() != "swappable_dependency" || !isOp("("))
            return failAt(start);
        advance();
        Value v;
        v.kind = Value::Swappable;
        if (m_current.type == Tok::String) {
            std::optional<Value> s = value();
            v.string = s->string;
        } else if (m_current.type == Tok::Name && m_current.text == "settings") {
            advance();
            if (!isOp("."))
                return fail();
            advance();
            if (m_current.type != Tok::Name || m_current.text != "AUTH_USER_MODEL")
                return fail();
            advance();
            v.string = m_authUserModel;
        } else {
            return fail();
        }
        if (isOp(","))
            advance();
        if (!isOp(")"))
            return fail();
        advance();
        return v;
    }

    Tokenizer &m_tokens;
    QString m_authUserModel;
    Token m_current;
    QString m_error;
};

// A list of ('app', 'name') pairs (or swappable dependencies) → "app.name" keys.
bool toKeys(const Value &v, QStringList *keys, bool allowSwappable, QString *why)
{
    if (v.kind != Value::Sequence) {
        *why = QStringLiteral("not a list of (app, name) pairs");
        return false;
    }
    for (const Value &item : v.items) {
        if (item.kind == Value::Swappable && allowSwappable) {
            // Django: SwappableTuple((value.split(".", 1)[0], "__first__"), value)
            keys->append(item.string.section(QLatin1Char('.'), 0, 0) + QStringLiteral(".__first__"));
            continue;
        }
        if (item.kind != Value::Sequence || item.items.size() != 2 || item.items.at(0).kind != Value::String
            || item.items.at(1).kind != Value::String) {
            *why = QStringLiteral("an item that is not an (app, name) pair of strings");
            return false;
        }
        keys->append(item.items.at(0).string + QLatin1Char('.') + item.items.at(1).string);
    }
    return true;
}

} // namespace

MigrationDeclaration MigrationFileParser::parse(const QByteArray &text, const QString &authUserModel)
{
    MigrationDeclaration d;
    d.parsed = true;
    Tokenizer tokens(text);
    LiteralParser p(tokens, authUserModel);
    bool found = false;
    int classColumn = -1; // the Migration class while inside it
    int bodyColumn = -1;  // the column of its body's statements
    auto fail = [&](const QString &why) {
        d.readable = false;
        d.problem = tokens.failed() ? tokens.error() : why; // the tokenizer's reason comes first
        return d;
    };
    while (p.current().type != Tok::End) {
        const Token t = p.current();
        if (!t.lineStart) {
            p.advance();
            continue;
        }
        if (classColumn >= 0 && t.column <= classColumn) {
            classColumn = bodyColumn = -1; // dedent: the class ended
        }
        if (classColumn < 0) {
            // class Migration(migrations.Migration):  (any class whose last base is Migration)
            if (t.type == Tok::Name && t.text == "class" && !found) {
                p.advance();
                if (p.current().type != Tok::Name)
                    continue;
                p.advance();
                if (p.current().type != Tok::Op || p.current().text != "(")
                    continue;
                p.advance();
                QByteArray lastName;
                while (p.current().type == Tok::Name || (p.current().type == Tok::Op && p.current().text == ".")) {
                    if (p.current().type == Tok::Name)
                        lastName = p.current().text;
                    p.advance();
                }
                if (lastName == "Migration" && p.current().type == Tok::Op && p.current().text == ")") {
                    found = true;
                    classColumn = t.column;
                }
                continue;
            }
            p.advance();
            continue;
        }
        if (bodyColumn < 0)
            bodyColumn = t.column;
        if (t.column != bodyColumn || t.type != Tok::Name) {
            p.advance();
            continue;
        }
        const QByteArray field = t.text;
        const bool wanted = field == "dependencies" || field == "replaces" || field == "run_before" || field == "initial";
        p.advance();
        if (!wanted)
            continue;
        if (p.current().type != Tok::Op || p.current().text != "=") {
            // `dependencies += …`, an annotation, …: not a plain literal assignment
            if (p.current().type == Tok::Other || p.current().type == Tok::Op)
                return fail(QStringLiteral("line %1: %2 is not assigned a literal")
                                .arg(t.line)
                                .arg(QString::fromLatin1(field)));
            continue;
        }
        p.advance();
        const std::optional<Value> v = p.value();
        if (!v)
            return fail(QStringLiteral("%1 (%2)").arg(p.error(), QString::fromLatin1(field)));
        if (p.current().type != Tok::Newline && p.current().type != Tok::End)
            return fail(QStringLiteral("line %1: %2 is more than a literal").arg(t.line).arg(QString::fromLatin1(field)));
        QString why;
        if (field == "initial") {
            if (v->kind != Value::Bool)
                return fail(QStringLiteral("line %1: initial is not True or False").arg(t.line));
            d.initial = v->boolean;
        } else if (field == "dependencies") {
            d.dependencies.clear();
            if (!toKeys(*v, &d.dependencies, true, &why))
                return fail(QStringLiteral("line %1: dependencies: %2").arg(t.line).arg(why));
        } else if (field == "replaces") {
            d.replaces.clear();
            if (!toKeys(*v, &d.replaces, false, &why))
                return fail(QStringLiteral("line %1: replaces: %2").arg(t.line).arg(why));
        } else {
            d.runBefore.clear();
            if (!toKeys(*v, &d.runBefore, false, &why))
                return fail(QStringLiteral("line %1: run_before: %2").arg(t.line).arg(why));
        }
    }
    if (tokens.failed())
        return fail(tokens.error());
    if (!found)
        return fail(QStringLiteral("no class Migration(migrations.Migration)"));
    d.readable = true;
    return d;
}

MigrationDeclaration MigrationFileParser::read(const QString &path, const QString &authUserModel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        MigrationDeclaration d;
        d.parsed = true;
        d.problem = QStringLiteral("cannot be read: %1").arg(file.errorString());
        return d;
    }
    return parse(file.readAll(), authUserModel);
}

void MigrationFileParser::readAll(MigrationFileScan *scan, const QString &projectRoot, const QString &authUserModel)
{
    const QDir root(projectRoot);
    for (MigrationFile &f : scan->files)
        f.declaration = read(root.absoluteFilePath(f.relativePath), authUserModel);
}

QString MigrationFileParser::authUserModel(const QString &backendDir)
{
    static const QRegularExpression assignment(
        QStringLiteral("^AUTH_USER_MODEL\\s*=\\s*['\"]([A-Za-z_][\\w]*\\.[A-Za-z_]\\w*)['\"]\\s*(?:#.*)?$"),
        QRegularExpression::MultilineOption);
    const QDir backend(backendDir);
    QStringList candidates;
    for (const QString &dir : backend.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        candidates << backend.filePath(dir + QStringLiteral("/settings.py"));
        const QDir settings(backend.filePath(dir + QStringLiteral("/settings")));
        for (const QString &f : settings.entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name))
            candidates << settings.filePath(f);
    }
    for (const QString &path : std::as_const(candidates)) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QRegularExpressionMatch m = assignment.match(QString::fromUtf8(f.readAll()));
        if (m.hasMatch())
            return m.captured(1);
    }
    return defaultAuthUserModel();
}
