#include "cli/terminalrun.h"

#include "cli/clioutput.h"
#include "safety/backupstore.h"
#include "safety/guardedrunner.h"
#include "safety/runjournal.h"
#include "platform/shellquote.h"
#include "platform/unixsignalnotifier.h"
#include "safety/productionguard.h"
#include "safety/projectlock.h"

#include <QEventLoop>

namespace TerminalRun {

namespace {
constexpr qsizetype kTailChars = 16 * 1024;
}

void print(FILE *stream, const QString &text)
{
    printRaw(stream, CliOutput::decorate(stream, text));
}

void printRaw(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

bool guardAndLock(const ProjectConfig &config, const Plan &plan, const QString &typedDatabaseName,
                  ProjectLock *lock, QString *error)
{
    const QString refusal = ProductionGuard::refusal(config, plan, typedDatabaseName);
    if (!refusal.isEmpty()) {
        *error = refusal;
        return false;
    }
    const ProjectLock::Result locked = lock->acquire(config);
    if (locked == ProjectLock::Result::Refused || locked == ProjectLock::Result::Failed) {
        *error = lock->error();
        return false;
    }
    if (!lock->warning().isEmpty())
        print(stderr, QStringLiteral("warning: %1\n").arg(lock->warning()));
    return true;
}

Outcome execute(const Plan &plan, int fromStep, FILE *stdoutStream)
{
    Outcome outcome;
    GuardedRunner runner;
    runner.setMaskedTextEnabled(true);
    QObject::connect(&runner, &PlanRunner::stepStarted, [&outcome](int, const QString &header) {
        outcome.lastStepOutput.clear();
        print(stderr, QStringLiteral("==> %1\n").arg(header));
    });
    QObject::connect(&runner, &PlanRunner::maskedText, [&outcome, stdoutStream](const QString &text, OutputChannel channel) {
        outcome.lastStepOutput += text;
        if (outcome.lastStepOutput.size() > 2 * kTailChars)
            outcome.lastStepOutput = outcome.lastStepOutput.right(kTailChars);
        // A tool's own colours pass through to a terminal only; a file or pipe gets plain text.
        FILE *stream = channel == OutputChannel::StdOut ? stdoutStream : stderr;
        printRaw(stream, CliOutput::colorEnabled(stream) ? text : CliOutput::stripEscapes(text));
    });
    QEventLoop loop;
    QObject::connect(&runner, &PlanRunner::finished, &loop, [&](const RunResult &r) {
        outcome.result = r;
        loop.quit();
    });
    UnixSignalNotifier interrupts({SIGINT, SIGTERM});
    QObject::connect(&interrupts, &UnixSignalNotifier::received, &runner, [&runner] {
        print(stderr, QStringLiteral("\nmigrationdesk: cancelling…\n"));
        runner.cancel();
    });
    outcome.started = runner.start(plan, fromStep);
    if (outcome.started)
        loop.exec();
    return outcome;
}

QString failureReport(const RunResult &result)
{
    QString report;
    if (!result.failedCommand.isEmpty())
        report += QStringLiteral("  command: %1\n").arg(result.failedCommand);
    if (!result.errorTail.isEmpty() && !result.cancelled && result.problems.isEmpty())
        report += QStringLiteral("  last error output:\n    %1\n")
                      .arg(result.errorTail.split(QLatin1Char('\n')).join(QStringLiteral("\n    ")));
    for (const QString &problem : result.problems)
        report += QStringLiteral("  %1\n").arg(problem);
    return report;
}

QString unfinishedRunNotes(const ProjectConfig &config, const QString &except)
{
    QString notes;
    const QString project = ShellQuote::quote(config.root);
    for (const JournalEntry &entry : Journal::unfinished(config)) {
        if (entry.planId == except)
            continue;
        notes += QStringLiteral("note: an unfinished run: %1\n").arg(entry.summary());
        if (entry.resumeFrom() < entry.steps.size() && entry.steps.size() > 1)
            notes += QStringLiteral("  continue it:  migrationdesk run %1 --project %2 --resume --yes\n").arg(entry.planId, project);
        const BackupInfo backup = entry.backupDir.isEmpty() ? BackupInfo() : BackupStore::read(entry.backupDir);
        if (backup.complete)
            notes += QStringLiteral("  or undo it:   migrationdesk restore %1 --project %2 --yes  (%3)\n")
                         .arg(backup.id, project, backup.contents());
    }
    return notes;
}

} // namespace TerminalRun
