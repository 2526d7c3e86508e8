#include "cli/hookscommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "platform/childprocess.h"
#include "platform/shellquote.h"
#include "status/statusloader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Hooks {

QString postCheckoutScript(const QString &binary, const QStringList &checkArguments)
{
    return QStringLiteral("#!/bin/sh\n"
                          "%1 (installed by `migrationdesk hooks install`; delete this file to remove it)\n"
                          "# After a branch checkout ($3 = 1), warn when the database keeps migrations this branch lacks.\n"
                          "[ \"$3\" = 1 ] || exit 0\n"
                          "%2 || true\n"
                          "exit 0\n")
        .arg(QString::fromLatin1(kMarker),
             ShellQuote::join(QStringList{binary, QStringLiteral("hooks"), QStringLiteral("check")} + checkArguments));
}

QString postCheckoutPath(const QString &projectRoot, QString *error)
{
    const ChildProcess::ToolRun run = ChildProcess::runTool(
        QStringLiteral("git"), {QStringLiteral("rev-parse"), QStringLiteral("--git-path"), QStringLiteral("hooks/post-checkout")},
        projectRoot, ChildProcess::systemEnvironment());
    if (run.exitCode != 0) {
        *error = QStringLiteral("%1 is not in a git repository (%2)").arg(projectRoot, run.err);
        return QString();
    }
    return QDir(projectRoot).absoluteFilePath(QString::fromUtf8(run.out).trimmed());
}

bool install(const QString &hookPath, const QString &script, QString *error)
{
    QFile existing(hookPath);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the existing hook %1: %2").arg(hookPath, existing.errorString());
            return false;
        }
        if (!existing.readAll().contains(kMarker)) {
            *error = QStringLiteral("%1 already exists and is not MigrationDesk's: nothing was changed. Call "
                                    "`migrationdesk hooks check` from it yourself, or move it away and install again.")
                         .arg(hookPath);
            return false;
        }
    }
    QDir().mkpath(QFileInfo(hookPath).absolutePath());
    QSaveFile file(hookPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(script.toUtf8()) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(hookPath, file.errorString());
        return false;
    }
    QFile::setPermissions(hookPath, QFile::permissions(hookPath) | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    return true;
}

QStringList leftBehind(const StatusSnapshot &snapshot)
{
    QStringList keys;
    for (const MigrationRow &r : snapshot.rows) {
        if (r.state != MigrationState::Orphan)
            continue;
        const QString key = r.app + QLatin1Char('.') + r.name;
        const QStringList branches = snapshot.provenance.value(key).onBranches;
        keys << (branches.isEmpty() ? key : QStringLiteral("%1 (on %2)").arg(key, branches.join(QStringLiteral(", "))));
    }
    return keys;
}

} // namespace Hooks

QList<QCommandLineOption> hooksCommandOptions()
{
    return ProjectOptions::options();
}

int runHooksCommand(const QStringList &arguments)
{
    const QString action = arguments.value(0);
    if (action == QLatin1String("--help") || action == QLatin1String("-h") || action.isEmpty()) {
        QCommandLineParser parser;
        CommandRegistry::setUp(parser, QStringLiteral("hooks"));
        TerminalRun::print(action.isEmpty() ? stderr : stdout, CommandRegistry::helpText(parser, QStringLiteral("hooks")));
        return action.isEmpty() ? 2 : 0;
    }
    if (action != QLatin1String("install") && action != QLatin1String("check")) {
        TerminalRun::print(stderr, QStringLiteral("usage: migrationdesk hooks install|check --project DIR\n"));
        return 2;
    }
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(hooksCommandOptions());
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("hooks ") + action, arguments.mid(1), &project))
        return *stop;
    const ProjectConfig &config = project.config;

    if (action == QLatin1String("install")) {
        QString error;
        const QString hook = Hooks::postCheckoutPath(config.root, &error);
        if (hook.isEmpty())
            return CliOutput::fail(false, CliOutput::ErrorCode::Project, error);
        // The check runs with the flags given here (never a password: .env or the environment).
        QStringList flags{QStringLiteral("--project"), config.root};
        for (const QCommandLineOption &option : ProjectOptions::options()) {
            const QString name = option.names().constFirst();
            if (name != QLatin1String("project") && parser.isSet(name))
                flags << QStringLiteral("--") + name << parser.value(name);
        }
        const QString script = Hooks::postCheckoutScript(QCoreApplication::applicationFilePath(), flags);
        if (!Hooks::install(hook, script, &error))
            return CliOutput::fail(false, CliOutput::ErrorCode::Refused, error);
        TerminalRun::print(stdout, QStringLiteral("Installed %1: after each branch checkout it warns when the database "
                                                  "keeps migrations the branch lacks.\n")
                                       .arg(hook));
        return 0;
    }

    const StatusResult result = StatusLoader::load(config);
    if (!result.ok()) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk: cannot check the migrations after this checkout: %1\n").arg(result.error));
        return 2;
    }
    const QStringList left = Hooks::leftBehind(result.snapshot);
    if (left.isEmpty())
        return 0;
    TerminalRun::print(stderr, QStringLiteral("migrationdesk: warning: the database keeps %1 applied migration(s) this branch does not "
                                              "have: %2.\n  Unapply them: migrationdesk doctor --project %3 --fix, or next time switch "
                                              "with: migrationdesk run switch-branch --to BRANCH\n")
                                   .arg(left.size())
                                   .arg(left.join(QStringLiteral(", ")), ShellQuote::quote(config.root)));
    return 1;
}
