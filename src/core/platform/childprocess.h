#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

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

// The same run started now and collected later, so the caller works meanwhile (the doctor reads
// the database while Django prints its graph). mergeChannels: stderr joins out.
class ToolProcess
{
public:
    ToolProcess();
    ~ToolProcess(); // kills a run nobody waited for
    ToolProcess(const ToolProcess &) = delete;
    ToolProcess &operator=(const ToolProcess &) = delete;

    void start(const QString &program, const QStringList &args, const QString &workingDir,
               const QProcessEnvironment &environment, bool mergeChannels = false);
    // Blocks until the run ends, or kills it after timeoutMs.
    ToolRun wait(int timeoutMs);

private:
    std::unique_ptr<QProcess> m_process;
    QString m_program;
    bool m_merged = false;
};

// A longer run whose output is wanted as it comes (a scratch migrate inside a check): stdout and
// stderr merged and handed to onOutput piece by piece, or, with stdoutFile, stdout into that file
// and only stderr streamed. stdin from stdinFile, else nothing. The child leads its own process
// group, which is ended when cancelled() turns true or timeoutMs (0: none) passes. Blocking.
struct StreamedRunOptions
{
    QString stdinFile;
    QString stdoutFile;
    int timeoutMs = 0;
};
ToolRun runStreaming(const QString &program, const QStringList &args, const QString &workingDir,
                     const QProcessEnvironment &environment, const StreamedRunOptions &options,
                     const std::function<void(const QByteArray &)> &onOutput,
                     const std::function<bool()> &cancelled);

} // namespace ChildProcess
