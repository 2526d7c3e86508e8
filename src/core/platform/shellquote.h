#pragma once

#include <QString>
#include <QStringList>

// POSIX-shell quoting for previews that users paste into a terminal. The app itself never runs
// a shell; this only renders what it runs.
namespace ShellQuote {
// Leaves plain words alone, single-quotes everything else ('it'\''s').
QString quote(const QString &word);
QString join(const QStringList &words);
}
