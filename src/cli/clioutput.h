#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdio>

// What every headless command prints besides its own results: the JSON contract's envelope and
// error object (docs/json-schema.md), and colours that appear only on a terminal.
namespace CliOutput {

// Bump when a documented field changes meaning or disappears (adding fields does not).
inline constexpr int SchemaVersion = 1;

// Stable error codes of the JSON error object ("code").
namespace ErrorCode {
inline const QString Usage = QStringLiteral("usage");                 // bad flags or arguments
inline const QString Project = QStringLiteral("project");             // no project or bad settings
inline const QString Unavailable = QStringLiteral("unavailable");     // database, compose or Django unreachable
inline const QString Refused = QStringLiteral("refused");             // blockers, guard or lock: nothing ran
inline const QString ConfirmationRequired = QStringLiteral("confirmation-required"); // destructive, no --yes
inline const QString NotFound = QStringLiteral("not-found");          // no such backup / run to resume
inline const QString Io = QStringLiteral("io");                       // cannot write the output
}

// True when --json is among raw arguments: a parse error is then reported as JSON as well.
bool wantsJson(const QStringList &arguments);

// {"kind": kind, "schemaVersion": 1, …object}.
QJsonObject document(const QString &kind, QJsonObject object = {});

// Prints an indented JSON document on stdout.
void printJson(const QJsonObject &object);

// In JSON mode, {"kind": "error", "error": message, "code": code, …extra} on stdout; otherwise
// "error: message" on stderr. Returns 2, the exit code of every error.
int fail(bool json, const QString &code, const QString &message, const QJsonObject &extra = {});

// Colours: only when the stream is a terminal, NO_COLOR is unset or empty and TERM is not "dumb".
bool colorEnabled(FILE *stream);
enum class Role { Error, Warning, Hint, Header, Good, Attention };
QString paint(FILE *stream, Role role, const QString &text);
// Colours the prefixes "error:", "warning:", "hint:", "would refuse:" and "==> " lines for stream.
QString decorate(FILE *stream, const QString &text);
// Without SGR and other CSI/OSC escape sequences (a child's colours when ours are off).
QString stripEscapes(const QString &text);

} // namespace CliOutput
