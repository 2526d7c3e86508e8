#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

struct ProjectConfig;
struct StatusSnapshot;

// `migrationdesk hooks install|check --project DIR [project flags]`.
//  install: writes the repository's post-checkout hook (core.hooksPath and worktrees respected:
//           `git rev-parse --git-path hooks`), which runs `migrationdesk hooks check` with the same
//           project flags after every branch checkout. A hook it did not write is never replaced.
//  check:   warns (stderr, exit 1) when applied migrations of the project's apps have no file in the
//           checked-out tree — what a switch outside MigrationDesk leaves behind; exit 0 when none.
int runHooksCommand(const QStringList &arguments);
QList<QCommandLineOption> hooksCommandOptions();

namespace Hooks {
// The first line after the shebang of every hook MigrationDesk writes.
inline constexpr const char *kMarker = "# migrationdesk post-checkout hook";
// The hook's text: binary and its arguments are quoted for sh.
QString postCheckoutScript(const QString &binary, const QStringList &checkArguments);
// The absolute path of the repository's post-checkout hook, empty (with error) outside a repository.
QString postCheckoutPath(const QString &projectRoot, QString *error);
// Writes the hook; refuses (false, error) to replace a hook that is not MigrationDesk's.
bool install(const QString &hookPath, const QString &script, QString *error);
// "app.name" of the applied rows of the project's apps without a file here, with where git has them.
QStringList leftBehind(const StatusSnapshot &snapshot);
}
