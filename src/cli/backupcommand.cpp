#include "cli/backupcommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "plan/planrenderer.h"
#include "targets/targets.h"
#include "safety/backupstore.h"
#include "safety/projectlock.h"
#include "safety/restoreplans.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace {

constexpr int kUsageError = 2;

using TerminalRun::print;

QString sizeText(qint64 bytes)
{
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KB").arg(QString::number(double(bytes) / 1024.0, 'f', 1));
    return QStringLiteral("%1 MB").arg(QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1));
}

bool parse(QCommandLineParser &parser, const QStringList &arguments, const QString &command, bool json)
{
    CommandRegistry::setUp(parser, command);
    if (!parser.parse(QStringList{QStringLiteral("migrationdesk ") + command} + arguments)) {
        CliOutput::fail(json, CliOutput::ErrorCode::Usage, QStringLiteral("migrationdesk %1: %2").arg(command, parser.errorText()));
        return false;
    }
    return true;
}

} // namespace

QList<QCommandLineOption> backupsCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("json"), QStringLiteral("Print JSON (docs/json-schema.md).")},
               {QStringLiteral("prune"), QStringLiteral("Keep the newest KEEP backups, delete the others."),
                QStringLiteral("KEEP")},
               {QStringLiteral("yes"), QStringLiteral("Confirm --prune.")},
           }
        + ProjectOptions::options();
}

QList<QCommandLineOption> restoreCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("yes"), QStringLiteral("Really restore.")},
               {QStringLiteral("confirm-database"),
                QStringLiteral("The database name, typed (production-looking projects)."), QStringLiteral("NAME")},
               {QStringLiteral("dry-run"), QStringLiteral("Print the plan only.")},
           }
        + ProjectOptions::options();
}

int runBackupsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QString jsonOption = QStringLiteral("json");
    const QString pruneOption = QStringLiteral("prune");
    const QString yesOption = QStringLiteral("yes");
    const bool json = CliOutput::wantsJson(arguments);
    if (!parse(parser, arguments, QStringLiteral("backups"), json))
        return kUsageError;
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, CommandRegistry::helpText(parser, QStringLiteral("backups")));
        return 0;
    }
    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    if (!project.ok())
        return CliOutput::fail(json, CliOutput::ErrorCode::Project, project.errors.join(QLatin1Char('\n')));
    BackupStore store(project.config);
    if (parser.isSet(pruneOption)) {
        bool ok = false;
        const int keep = parser.value(pruneOption).toInt(&ok);
        if (!ok || keep < 0)
            return CliOutput::fail(json, CliOutput::ErrorCode::Usage,
                                   QStringLiteral("migrationdesk backups: --prune needs a number >= 0"));
        // Pruning deletes backups for good: it needs --yes, and not while another MigrationDesk
        // may be about to rely on the newest one.
        if (!parser.isSet(yesOption))
            return CliOutput::fail(json, CliOutput::ErrorCode::ConfirmationRequired,
                                   QStringLiteral("migrationdesk backups: --prune %1 deletes every backup but the newest %1 "
                                                  "(and incomplete ones); nothing was done. Add --yes.")
                                       .arg(keep));
        ProjectLock lock;
        if (const ProjectLock::Result r = lock.acquire(project.config);
            r == ProjectLock::Result::Refused || r == ProjectLock::Result::Failed)
            return CliOutput::fail(json, CliOutput::ErrorCode::Refused,
                                   QStringLiteral("migrationdesk backups: %1").arg(lock.error()));
        const qint64 before = store.totalSize();
        QString error;
        const QStringList removed = store.prune(keep, &error);
        print(stderr, QStringLiteral("pruned %1 backup(s), freed %2\n")
                          .arg(QString::number(removed.size()), sizeText(before - store.totalSize())));
        if (!error.isEmpty()) {
            print(stderr, QStringLiteral("migrationdesk backups: %1\n").arg(error));
            return 1;
        }
    }
    const QList<BackupInfo> backups = store.list();
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (const BackupInfo &b : backups) {
            QJsonArray files;
            for (const QString &f : b.files)
                files.append(f);
            array.append(QJsonObject{{QStringLiteral("id"), b.id},
                                     {QStringLiteral("time"), b.time.toString(Qt::ISODateWithMs)},
                                     {QStringLiteral("operation"), b.operation},
                                     {QStringLiteral("database"), b.databaseName},
                                     {QStringLiteral("size"), b.size},
                                     {QStringLiteral("hasDatabase"), b.hasDatabase},
                                     {QStringLiteral("hasHistory"), b.hasHistory},
                                     {QStringLiteral("files"), files},
                                     {QStringLiteral("dir"), b.dir}});
        }
        CliOutput::printJson(CliOutput::document(QStringLiteral("backups"),
                                                 QJsonObject{{QStringLiteral("project"), project.config.root},
                                                             {QStringLiteral("folder"), store.folder()},
                                                             {QStringLiteral("totalSize"), store.totalSize()},
                                                             {QStringLiteral("backups"), array}}));
        return 0;
    }
    if (backups.isEmpty()) {
        print(stdout, QStringLiteral("No backups yet in %1\n").arg(store.folder()));
        return 0;
    }
    for (const BackupInfo &b : backups) {
        print(stdout, QStringLiteral("%1  %2  %3  %4  (%5)\n")
                          .arg(b.id, b.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                               b.operation.leftJustified(16), sizeText(b.size).rightJustified(10), b.contents()));
    }
    print(stdout, QStringLiteral("%1 backup(s), %2 in %3\n")
                      .arg(QString::number(backups.size()), sizeText(store.totalSize()), store.folder()));
    return 0;
}

int runRestoreCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QString yesOption = QStringLiteral("yes");
    const QString confirmOption = QStringLiteral("confirm-database");
    const QString dryRunOption = QStringLiteral("dry-run");
    if (!parse(parser, arguments, QStringLiteral("restore"), false))
        return kUsageError;
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, CommandRegistry::helpText(parser, QStringLiteral("restore")));
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        print(stderr, QStringLiteral("migrationdesk restore: name one BACKUP (see `migrationdesk backups`)\n"));
        return kUsageError;
    }
    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    if (!project.ok()) {
        for (const QString &error : project.errors)
            print(stderr, QStringLiteral("error: %1\n").arg(error));
        return kUsageError;
    }
    const ProjectConfig &config = project.config;
    PlanOptions options;

    const QString id = parser.positionalArguments().constFirst();
    QString error;
    const Plan plan = id == QLatin1String("last")
        ? RestorePlans::undoLast(config, options, &error)
        : RestorePlans::restore(config, options, BackupStore(config).find(id), &error);
    if (plan.id.isEmpty()) {
        print(stderr, QStringLiteral("migrationdesk restore: %1\n").arg(error.isEmpty() ? QStringLiteral("no backup %1").arg(id) : error));
        return kUsageError;
    }
    if (parser.isSet(dryRunOption) || !parser.isSet(yesOption)) {
        print(stdout, PlanRenderer::render(plan));
        if (!parser.isSet(dryRunOption)) {
            print(stderr, QStringLiteral("migrationdesk restore: a restore overwrites the current state (after "
                                         "backing it up); nothing was done. Pass --yes to run it.\n"));
            return kUsageError;
        }
        return 0;
    }
    ProjectLock lock;
    QString refusal;
    if (!TerminalRun::guardAndLock(config, plan, parser.value(confirmOption), &lock, &refusal)) {
        print(stderr, QStringLiteral("migrationdesk restore: %1\n").arg(refusal));
        return kUsageError;
    }
    const TerminalRun::Outcome outcome = TerminalRun::execute(plan);
    if (!outcome.started)
        return kUsageError;
    const RunResult &result = outcome.result;
    if (result.success) {
        print(stderr, QStringLiteral("migrationdesk restore: %1\n").arg(result.message));
        return 0;
    }
    print(stderr, QStringLiteral("migrationdesk restore: %1\n").arg(result.message) + TerminalRun::failureReport(result));
    return result.exitCode != 0 ? result.exitCode : 1;
}
