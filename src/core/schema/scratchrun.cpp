#include "schema/scratchrun.h"

#include "console/secretmasker.h"
#include "platform/childprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace {

bool skippedFolder(const QString &name)
{
    static const QSet<QString> skipped{QStringLiteral("__pycache__"), QStringLiteral(".git"), QStringLiteral("node_modules"),
                                       QStringLiteral("media"), QStringLiteral("staticfiles"), QStringLiteral("venv"),
                                       QStringLiteral(".venv"), QStringLiteral(".mypy_cache"), QStringLiteral(".pytest_cache")};
    return skipped.contains(name);
}

} // namespace

bool ScratchRun::copyTree(const QString &from, const QString &to, QString *error)
{
    if (!QDir().mkpath(to)) {
        *error = QStringLiteral("cannot create %1").arg(to);
        return false;
    }
    const QFileInfoList entries = QDir(from).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::NoSymLinks);
    for (const QFileInfo &entry : entries) {
        const QString target = to + QLatin1Char('/') + entry.fileName();
        if (entry.isDir()) {
            if (!skippedFolder(entry.fileName()) && !ScratchRun::copyTree(entry.absoluteFilePath(), target, error))
                return false;
        } else if (entry.size() < 64 * 1024 * 1024 && !QFile::copy(entry.absoluteFilePath(), target)) {
            *error = QStringLiteral("cannot copy %1").arg(entry.absoluteFilePath());
            return false;
        }
    }
    return true;
}


int ScratchRun::runStep(const ProcessStep &step, const CallContext &context, QString *tail)
{
    return runStep(step, context, tail, QString(), nullptr);
}

int ScratchRun::runStep(const ProcessStep &step, const CallContext &context, QString *tail, const QString &reportPrefix,
                        QStringList *reports)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QStringList secrets;
    for (const EnvVar &var : step.env) {
        env.insert(var.name, var.value);
        if (var.secret)
            secrets << var.value;
    }
    const SecretMasker masker(secrets);
    QStringList last;
    QByteArray pending;
    auto sayLines = [&](bool flush) {
        for (;;) {
            qsizetype nl = pending.indexOf('\n');
            if (nl < 0 && !(flush && !pending.isEmpty()))
                break;
            if (nl < 0)
                nl = pending.size();
            const QString raw = QString::fromUtf8(pending.left(nl)).trimmed();
            pending.remove(0, nl + 1);
            // A report is ours and never shown: read before masking, which could cut into it.
            if (reports && !reportPrefix.isEmpty() && raw.startsWith(reportPrefix)) {
                *reports << raw.mid(reportPrefix.size());
                continue;
            }
            const QString line = masker.apply(raw);
            if (line.isEmpty())
                continue;
            if (context.say)
                context.say(QStringLiteral("  | ") + line);
            last << line;
            if (last.size() > 6)
                last.removeFirst();
        }
    };
    ChildProcess::StreamedRunOptions options;
    options.timeoutMs = step.timeoutMs > 0 ? step.timeoutMs : 30 * 60 * 1000;
    options.stdinFile = step.stdinFile;
    options.stdoutFile = step.stdoutFile;
    const ChildProcess::ToolRun run = ChildProcess::runStreaming(
        step.program, step.args, step.workingDir, env, options,
        [&](const QByteArray &piece) {
            pending += piece;
            sayLines(false);
        },
        context.cancelled);
    sayLines(true);
    *tail = run.exitCode == -1 && !run.err.isEmpty() ? masker.apply(run.err) : last.join(QLatin1Char('\n'));
    return run.exitCode;
}

