#pragma once

#include "scan/migrationfile.h"

#include <QByteArray>
#include <QString>

// Reads what a migration module declares about its place in the graph — `dependencies`,
// `replaces`, `run_before` and `initial` of its `class Migration(migrations.Migration)` — from
// the text alone: a small Python tokenizer (strings with prefixes, triple quotes and escapes,
// comments, brackets over lines, backslash continuations), no Python, no Django.
//
// It understands, as class-level assignments of the migration class:
//   dependencies = [('app', '0001_initial'), ("app", "__first__"), …]      (list or tuple)
//   dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL), …]
//                  swappable_dependency('accounts.User') → ('accounts', '__first__'), as Django's
//                  swappable_dependency does; settings.AUTH_USER_MODEL is the project's setting
//                  when the settings file assigns it a literal (authUserModel()), else auth.User
//   replaces     = [('app', '0001_initial'), …]
//   run_before   = [('other', '0002_x'), …]
//   initial      = True | False
// Adjacent string literals are joined and the pair may be a list. Anything else in those four
// (a name, a comprehension, `+`, a call other than swappable_dependency) makes the declaration
// unreadable with the line it stopped at: the file is named, never guessed about. `__first__` and
// `__latest__` are kept as written; the status reconciler resolves them as Django's loader does.
class MigrationFileParser
{
public:
    static MigrationDeclaration parse(const QByteArray &text, const QString &authUserModel = defaultAuthUserModel());
    // Reads the file; a file that cannot be opened is unreadable with the reason.
    static MigrationDeclaration read(const QString &path, const QString &authUserModel = defaultAuthUserModel());
    // Parses every file of a scan (paths relative to projectRoot) into its declaration.
    static void readAll(MigrationFileScan *scan, const QString &projectRoot, const QString &authUserModel);

    static QString defaultAuthUserModel() { return QStringLiteral("auth.User"); }
    // AUTH_USER_MODEL as the project's settings assign it (a string literal in
    // <backend>/*/settings.py or <backend>/*/settings/*.py), else auth.User.
    static QString authUserModel(const QString &backendDir);
};
