#include "safety/safetysteps.h"

#include "engine/stepworker.h"
#include "targets/targets.h"
#include "safety/backupstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>


namespace {

QString dumpPath(const BackupLocation &b) { return b.dir + QStringLiteral("/database.dump"); }
QString tocPath(const BackupLocation &b) { return b.dir + QStringLiteral("/database.toc"); }

CallStep createFolder(const BackupLocation &backup)
{
    CallStep step;
    step.description = QStringLiteral("Create the backup folder");
    step.detail = QStringLiteral("mkdir -p %1").arg(backup.dir);
    const QString dir = backup.dir;
    step.run = [dir](const CallContext &) {
        if (!QDir().mkpath(dir) || !QFileInfo(dir).isWritable())
            return QStringLiteral("cannot create the backup folder %1").arg(dir);
        return QString();
    };
    return step;
}

CallStep manifest(const ProjectConfig &config, const BackupLocation &backup)
{
    CallStep step;
    step.description = QStringLiteral("Write the backup's manifest (sizes and SHA-256)");
    step.detail = QStringLiteral("write %1/manifest.json").arg(backup.dir);
    step.run = [config, backup](const CallContext &context) {
        QString error;
        if (!BackupStore::writeManifest(backup, config, &error))
            return error;
        context.say(QStringLiteral("backup %1 is complete: %2").arg(backup.id, backup.dir));
        return QString();
    };
    return step;
}

} // namespace

// Tables of the live database against the archive's table of contents: a dump that lacks one
// (wrong database, filtered, cut short before its TOC was complete) is not a backup. exact (after
// a restore): the database must also hold no table the dump does not, and every one it does.
QString SafetySteps::compareTablesWithToc(const DbSettings &settings, const QString &toc, bool exact,
                                          const CallContext &context)
{
    QFile file(toc);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the dump's table of contents %1").arg(toc);
    QSet<QString> tables;
    QSet<QString> data;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(QLatin1Char(';')))
            continue;
        // "215; 1259 16390 TABLE public auth_group owner" / "... TABLE DATA public auth_group owner"
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() >= 6 && f.at(3) == QLatin1String("TABLE")) {
            if (f.at(4) == QLatin1String("DATA") && f.size() >= 7)
                data.insert(f.at(5) + QLatin1Char('.') + f.at(6));
            else
                tables.insert(f.at(4) + QLatin1Char('.') + f.at(5));
        }
    }
    QString error;
    QStringList missing;
    int live = 0;
    const QString name = StepWorker::openShared(settings, 5, &error);
    if (name.isEmpty()) {
        error = QStringLiteral("cannot connect to %1 to check the dump: %2").arg(settings.name, error);
    } else {
        QSqlQuery query(QSqlDatabase::database(name, false));
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral(
                "SELECT n.nspname, c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"))) {
            error = QStringLiteral("cannot list the tables: %1").arg(query.lastError().databaseText());
        }
        while (query.next()) {
            ++live;
            const QString table = query.value(0).toString() + QLatin1Char('.') + query.value(1).toString();
            const bool partitioned = query.value(2).toString() == QLatin1String("p");
            if (!tables.contains(table) || (!exact && !partitioned && !data.contains(table)))
                missing << table;
            tables.remove(table);
        }
    }
    StepWorker::releaseShared(name, !error.isEmpty());
    if (!error.isEmpty())
        return error;
    if (exact) {
        QStringList absent(tables.cbegin(), tables.cend());
        if (missing.isEmpty() && absent.isEmpty()) {
            context.say(QStringLiteral("%1 holds exactly the %2 tables of the dump").arg(settings.name).arg(live));
            return QString();
        }
        missing.sort();
        absent.sort();
        QStringList parts;
        if (!missing.isEmpty())
            parts << QStringLiteral("tables the dump does not hold: %1").arg(missing.mid(0, 10).join(QStringLiteral(", ")));
        if (!absent.isEmpty())
            parts << QStringLiteral("tables of the dump that are missing: %1").arg(absent.mid(0, 10).join(QStringLiteral(", ")));
        return QStringLiteral("database %1 does not equal the dump: %2").arg(settings.name, parts.join(QStringLiteral("; ")));
    }
    if (!missing.isEmpty()) {
        missing.sort();
        return QStringLiteral("the dump lacks %1 of the database's %2 tables: %3")
            .arg(QString::number(missing.size()), QString::number(live),
                 missing.mid(0, 10).join(QStringLiteral(", ")));
    }
    context.say(QStringLiteral("the dump lists all %1 tables of %2 with their data").arg(live).arg(settings.name));
    return QString();
}

namespace {

QString safeOperation(const QString &operation)
{
    QString op = operation.isEmpty() ? QStringLiteral("backup") : operation;
    op.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]")), QStringLiteral("_"));
    return op;
}

BackupLocation freshBackup(const ProjectConfig &config, const QString &operation, const QDateTime &now)
{
    const QString op = safeOperation(operation);
    const QString base = BackupStore::folderForProject(config.root) + QLatin1Char('/');
    const QString stamp = (now.isValid() ? now : QDateTime::currentDateTime()).toString(QStringLiteral("yyyyMMdd-HHmmss"));
    BackupLocation location;
    location.operation = op;
    location.id = stamp + QLatin1Char('-') + op;
    for (int n = 2; QFileInfo::exists(base + location.id); ++n)
        location.id = QStringLiteral("%1-%2-%3").arg(stamp, op, QString::number(n));
    location.dir = base + location.id;
    return location;
}

} // namespace

BackupLocation SafetySteps::newBackup(const ProjectConfig &config, const QString &operation)
{
    return freshBackup(config, operation, QDateTime());
}

BackupLocation SafetySteps::newBackup(const ProjectConfig &config, const PlanOptions &options,
                                      const QString &operation)
{
    const QString wanted = options.values.value(BackupDirOption);
    if (!wanted.isEmpty()) {
        // Only a folder this project's backups would be named: a journal edited by hand must not
        // send the dump (or a later prune) anywhere else.
        const QString op = safeOperation(operation);
        const QFileInfo info(QDir::cleanPath(wanted));
        const QRegularExpression name(QStringLiteral("^\\d{8}-\\d{6}-%1(-\\d+)?$").arg(QRegularExpression::escape(op)));
        if (QDir::cleanPath(info.absolutePath()) == QDir::cleanPath(BackupStore::folderForProject(config.root))
            && name.match(info.fileName()).hasMatch() && !info.isSymLink()) {
            BackupLocation location;
            location.operation = op;
            location.id = info.fileName();
            location.dir = info.absoluteFilePath();
            return location;
        }
    }
    return freshBackup(config, operation, options.now);
}

namespace {

// A TTY between pg_dump and the file (`docker compose exec` without -T) turns every \n of the
// binary archive into \r\n. A real archive holds many bare \n (its SQL text); a mangled one none.
CallStep lineEndCheck(const BackupLocation &backup)
{
    CallStep step;
    step.description = QStringLiteral("Verify the dump is an untouched binary archive (no line ends translated)");
    step.detail = QStringLiteral("check %1 for \\n turned into \\r\\n").arg(dumpPath(backup));
    const QString dump = dumpPath(backup);
    step.run = [dump](const CallContext &context) {
        QFile file(dump);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the dump %1: %2").arg(dump, file.errorString());
        qint64 crlf = 0;
        qint64 bare = 0;
        char previous = 0;
        while (!file.atEnd() && bare == 0) {
            if (context.cancelled())
                return QStringLiteral("cancelled while reading the dump");
            const QByteArray chunk = file.read(1 << 20);
            for (const char c : chunk) {
                if (c == '\n')
                    ++(previous == '\r' ? crlf : bare);
                previous = c;
            }
        }
        if (bare == 0 && crlf > 0)
            return QStringLiteral("corrupt archive (a TTY translated line ends): every \\n of %1 became \\r\\n. "
                                  "The dump must be taken without a terminal (docker compose exec -T).")
                .arg(dump);
        return QString();
    };
    return step;
}

// pg_dump -Fc into the backup, its line ends checked, then its TOC read back (--list, with the
// archive's own claims checked): dump, line-end check, list.
QList<PlanStep> dumpAndList(const ProjectConfig &config, const Target &target, const BackupLocation &backup)
{
    ProcessStep dump = target.postgresTool(
        QStringLiteral("pg_dump"),
        {QStringLiteral("-Fc"), QStringLiteral("-U"), config.db.user, QStringLiteral("-d"), config.db.name});
    dump.description = QStringLiteral("Back up database %1 (pg_dump -Fc)").arg(config.db.name);
    dump.stdoutFile = dumpPath(backup);
    dump.showOutput = false;
    dump.timeoutMs = SafetySteps::kDumpTimeoutMs;

    // --list reads only the header and TOC: it shows what the archive claims to hold.
    ProcessStep list = target.postgresTool(QStringLiteral("pg_restore"), {QStringLiteral("--list")});
    list.description = QStringLiteral("Verify the dump's table of contents (pg_restore --list)");
    list.stdinFile = dumpPath(backup);
    list.stdoutFile = tocPath(backup);
    list.showOutput = false;
    list.timeoutMs = SafetySteps::kDumpTimeoutMs;
    list.outputChecks = {
        {QStringLiteral("the archive names database %1").arg(config.db.name),
         QStringLiteral("^;\\s+dbname: %1\\s*$").arg(QRegularExpression::escape(config.db.name))},
        {QStringLiteral("the archive is a custom-format dump"), QStringLiteral("^;\\s+Format: CUSTOM\\s*$")},
    };
    return {dump, lineEndCheck(backup), list};
}

CallStep tableCheck(const ProjectConfig &config, const BackupLocation &backup)
{
    CallStep tables;
    tables.description = QStringLiteral("Verify the dump lists every table of %1").arg(config.db.name);
    tables.detail = QStringLiteral("compare %1 with the tables of %2").arg(tocPath(backup), config.db.name);
    tables.db = config.db;
    tables.needsDatabase = true;
    const DbSettings db = config.db;
    const QString toc = tocPath(backup);
    tables.run = [db, toc](const CallContext &context) {
        return SafetySteps::compareTablesWithToc(db, toc, false, context);
    };
    return tables;
}

// A truncated or TTY-mangled dump passes --list; only reading every byte proves it restores.
ProcessStep fullRead(const Target &target, const BackupLocation &backup)
{
    ProcessStep read = target.postgresTool(QStringLiteral("pg_restore"),
                                           {QStringLiteral("-f"), QStringLiteral("/dev/null")});
    read.description = QStringLiteral("Verify the whole dump reads back (pg_restore -f /dev/null)");
    read.stdinFile = dumpPath(backup);
    read.timeoutMs = SafetySteps::kDumpTimeoutMs;
    return read;
}

SqlStep snapshotStep(const ProjectConfig &config, const BackupLocation &backup)
{
    SqlStep snapshot;
    snapshot.description = QStringLiteral("Snapshot the django_migrations rows");
    snapshot.db = config.db;
    SqlStatement select;
    // applied as text: keeps microseconds and the offset exactly for the restore.
    select.sql = QStringLiteral("SELECT id, app, name, applied::text AS applied FROM django_migrations ORDER BY id");
    select.saveRowsTo = backup.dir + QStringLiteral("/django_migrations.json");
    snapshot.statements << select;
    return snapshot;
}

FileStep copyStep(const ProjectConfig &config, const QStringList &relativePaths, const BackupLocation &backup)
{
    FileStep copy;
    copy.description = QStringLiteral("Copy %1 path(s) to the backup with their SHA-256").arg(relativePaths.size());
    copy.baseDir = config.root;
    copy.paths = relativePaths;
    copy.backupDir = backup.dir + QStringLiteral("/files");
    copy.checksumsFile = backup.dir + QStringLiteral("/files.sha256.json");
    return copy;
}

} // namespace

QList<PlanStep> SafetySteps::databaseBackup(const ProjectConfig &config, const PlanOptions &options,
                                            const BackupLocation &backup)
{
    const std::unique_ptr<Target> target = Targets::forProject(config);
    QList<PlanStep> steps;
    steps << createFolder(backup);
    steps << dumpAndList(config, *target, backup);
    steps << tableCheck(config, backup);
    steps << fullRead(*target, backup);
    steps << manifest(config, backup);
    return steps;
}

QList<PlanStep> SafetySteps::fullBackup(const ProjectConfig &config, const PlanOptions &options,
                                        const QStringList &relativePaths, const BackupLocation &backup)
{
    const std::unique_ptr<Target> target = Targets::forProject(config);
    QList<PlanStep> steps;
    steps << createFolder(backup);
    steps << dumpAndList(config, *target, backup);
    steps << fullRead(*target, backup);
    // The steps that talk to the database follow one another: they share one connection.
    steps << tableCheck(config, backup);
    steps << snapshotStep(config, backup);
    steps << copyStep(config, relativePaths, backup);
    steps << manifest(config, backup);
    return steps;
}

QList<PlanStep> SafetySteps::historySnapshot(const ProjectConfig &config, const BackupLocation &backup)
{
    QList<PlanStep> steps;
    steps << createFolder(backup);
    steps << snapshotStep(config, backup);
    steps << manifest(config, backup);
    return steps;
}

QList<PlanStep> SafetySteps::fileBackup(const ProjectConfig &config, const QStringList &relativePaths,
                                        const BackupLocation &backup)
{
    QList<PlanStep> steps;
    steps << createFolder(backup);
    steps << copyStep(config, relativePaths, backup);
    steps << manifest(config, backup);
    return steps;
}

Plan SafetySteps::backupPlan(const ProjectConfig &config, const PlanOptions &options)
{
    Plan plan;
    plan.id = QStringLiteral("backup");
    plan.title = QStringLiteral("Back up the database");
    plan.projectRoot = config.root;
    plan.destructive = false;
    const BackupLocation backup = newBackup(config, options, QStringLiteral("backup"));
    plan.backupDir = backup.dir;
    plan.steps = databaseBackup(config, options, backup);
    plan.addSecret(config.db.password);
    return plan;
}
