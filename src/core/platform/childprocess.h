#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QProcess;

// What every child of MigrationDesk gets, in one place: the environment without our own secrets,
// and a tie to our life so a kill -9 of MigrationDesk does not leave it running.
namespace ChildProcess {

// environment without MIGRATIONDESK_*PASSWORD*: those are MigrationDesk's inputs, read once into
// the config; a child gets a secret only through its step's own env (PGPASSWORD, DB_PASSWORD…).
QProcessEnvironment sanitized(QProcessEnvironment environment);
// sanitized(QProcessEnvironment::systemEnvironment()).
QProcessEnvironment systemEnvironment();

// The child dies with MigrationDesk: PR_SET_PDEATHSIG SIGKILL, and exits at once when
// MigrationDesk is already gone by the time it runs (the signal would never come). newSession:
// also setsid(), so the child leads its own process group (the runner ends the whole group).
// Call before QProcess::start().
void tieToParent(QProcess &process, bool newSession = false);

// A one-shot tool run (docker inspect, compose config, git status…): sanitized environment, tied
// to our life, no stdin, output captured. Blocking: worker threads and pre-flights only.
struct ToolRun
{
    bool started = false;
    int exitCode = -1; // -1: did not start, timed out or crashed
    QByteArray out;
    QString err;       // stderr, trimmed; or why it did not start / finish
};
ToolRun runTool(const QString &program, const QStringList &args, const QString &workingDir,
                const QProcessEnvironment &environment, int timeoutMs = 60000);

} // namespace ChildProcess
