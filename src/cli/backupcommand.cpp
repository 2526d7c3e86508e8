#include "cli/backupcommand.h"

#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "ops/planrenderer.h"
#include "ops/target.h"
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

bool parse(QCommandLineParser &parser, const QStringList &arguments, const QString &command)
{
    parser.addHelpOption();
    ProjectOptions::addTo(parser);
    if (!parser.parse(QStringList{command} + arguments)) {
        print(stderr, QStringLiteral("migrationdesk %1: %2\n").arg(command, parser.errorText()));
        return false;
    }
    return true;
}

} // namespace

int runBackupsCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the project's backups."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption pruneOption(QStringLiteral("prune"),
                                         QStringLiteral("Keep the newest KEEP backups, delete the others."),
                                         QStringLiteral("KEEP"));
    const QCommandLineOption yesOption(QStringLiteral("yes"), QStringLiteral("Confirm --prune."));
    parser.addOption(jsonOption);
    parser.addOption(pruneOption);
    parser.addOption(yesOption);
    if (!parse(parser, arguments, QStringLiteral("backups")))
        return kUsageError;
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, parser.helpText());
        return 0;
    }
    const ProjectLoadResult project = ProjectOptions::resolve(parser);
    if (!project.ok()) {
        for (const QString &error : project.errors)
            print(stderr, QStringLiteral("error: %1\n").arg(error));
        return kUsageError;
    }
    BackupStore store(project.config);
    if (parser.isSet(pruneOption)) {
        bool ok = false;
        const int keep = parser.value(pruneOption).toInt(&ok);
        if (!ok || keep < 0) {
            print(stderr, QStringLiteral("migrationdesk backups: --prune needs a number >= 0\n"));
            return kUsageError;
        }
        // Pruning deletes backups for good: it needs --yes, and not while another MigrationDesk
        // may be about to rely on the newest one.
        if (!parser.isSet(yesOption)) {
            print(stderr, QStringLiteral("migrationdesk backups: --prune %1 deletes every backup but the newest %1 "
                                         "(and incomplete ones); nothing was done. Add --yes.\n")
                              .arg(keep));
            return kUsageError;
        }
        ProjectLock lock;
        if (const ProjectLock::Result r = lock.acquire(project.config);
            r == ProjectLock::Result::Refused || r == ProjectLock::Result::Failed) {
            print(stderr, QStringLiteral("migrationdesk backups: %1\n").arg(lock.error()));
            return kUsageError;
        }
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
        const QJsonObject doc{{QStringLiteral("project"), project.config.root},
                              {QStringLiteral("folder"), store.folder()},
                              {QStringLiteral("totalSize"), store.totalSize()},
                              {QStringLiteral("backups"), array}};
        print(stdout, QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Indented)));
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
    parser.setApplicationDescription(QStringLiteral("Restores a backup (first backing up what it overwrites)."));
    parser.addPositionalArgument(QStringLiteral("BACKUP"), QStringLiteral("Backup id, or \"last\"."));
    const QCommandLineOption yesOption(QStringLiteral("yes"), QStringLiteral("Really restore."));
    const QCommandLineOption confirmOption(QStringLiteral("confirm-database"),
                                           QStringLiteral("The database name, typed (production-looking projects)."),
                                           QStringLiteral("NAME"));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"), QStringLiteral("Print the plan only."));
    parser.addOption(yesOption);
    parser.addOption(confirmOption);
    parser.addOption(dryRunOption);
    if (!parse(parser, arguments, QStringLiteral("restore")))
        return kUsageError;
    if (parser.isSet(QStringLiteral("help"))) {
        print(stdout, parser.helpText());
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
    OperationOptions options;
    if (config.target == TargetKind::Compose)
        options.composeVariant = ComposeCli::detect();

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
