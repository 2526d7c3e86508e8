#pragma once

#include "operations/operation.h"

#include <QString>

#include <algorithm>

// Keys of OperationOptions::values understood by the guide's operations (the CLI flag of the
// same name sets them; the GUI's dialogs fill the same keys). "1" means on.
namespace GuideOption {
inline const QString FakeInitial = QStringLiteral("fake-initial"); // migrate --fake-initial
inline const QString Apps = QStringLiteral("apps");                // makemigrations APP…, comma-separated
inline const QString AllApps = QStringLiteral("all-apps");         // clear-history: every row, Django's own apps too
inline const QString Username = QStringLiteral("username");        // createsuperuser
inline const QString Email = QStringLiteral("email");
inline const QString Superuser = QStringLiteral("superuser");      // reset-*: end with createsuperuser
inline const QString Commit = QStringLiteral("commit");            // reset-migrations: end with the commit
inline const QString Message = QStringLiteral("message");          // commit message
inline const QString Push = QStringLiteral("push");                // commit: push afterwards (never --force)
inline const QString WaitSeconds = QStringLiteral("wait-seconds"); // reset-database: how long to wait for PostgreSQL
inline const QString App = QStringLiteral("app");                  // migrate / sqlmigrate: one app
inline const QString To = QStringLiteral("to");                    // migrate: the migration to go to, or "zero"
inline const QString Fake = QStringLiteral("fake");                // migrate: record it, run nothing
inline const QString Name = QStringLiteral("name");                // sqlmigrate: the migration
inline const QString Regenerated = QStringLiteral("regenerated");  // align-schema: against regenerated migrations

inline const QString DefaultCommitMessage = QStringLiteral("Regenerate all Django migrations");
inline const QString ResetConfirmationWord = QStringLiteral("RESET"); // typed, as the Hanna script asks
}

// The options as operations declare them (OperationOption): several operations share one.
namespace GuideOptionSpec {
inline OperationOption switchOption(const QString &key, const QString &help, const QString &label = QString())
{
    return {key, OperationOption::Kind::Switch, help, label, QString(), {}};
}
inline OperationOption valueOption(const QString &key, const QString &help, const QString &valueName)
{
    return {key, OperationOption::Kind::Value, help, QString(), valueName, {}};
}
inline OperationOption superuser() { return switchOption(GuideOption::Superuser, QStringLiteral("create the superuser at the end.")); }
inline OperationOption username() { return valueOption(GuideOption::Username, QStringLiteral("the superuser's username."), QStringLiteral("name")); }
inline OperationOption email() { return valueOption(GuideOption::Email, QStringLiteral("the superuser's email."), QStringLiteral("email")); }
inline OperationOption message()
{
    return valueOption(GuideOption::Message, QStringLiteral("commit message (default \"%1\").").arg(GuideOption::DefaultCommitMessage),
                       QStringLiteral("text"));
}
inline OperationOption app() { return valueOption(GuideOption::App, QStringLiteral("only this app."), QStringLiteral("app")); }
// A name that goes to manage.py as an argument: letters, digits and _ (what Django's names are).
inline bool isPlainName(const QString &name)
{
    return !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](QChar c) { return c.isLetterOrNumber() || c == u'_'; });
}
inline OperationOption push() { return switchOption(GuideOption::Push, QStringLiteral("push afterwards (never forced).")); }
}
