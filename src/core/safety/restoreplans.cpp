#include "safety/restoreplans.h"

#include "ops/target.h"
#include "safety/filechecksum.h"
#include "safety/safetysteps.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace {

// The manifest's SHA-256 of one artifact of the backup.
QString recordedSum(const BackupInfo &backup, const QString &artifact)
{
    QFile file(backup.dir + QStringLiteral("/manifest.json"));
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    const QJsonArray artifacts = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("artifacts")).toArray();
    for (const QJsonValue &v : artifacts) {
        if (v.toObject().value(QStringLiteral("path")).toString() == artifact)
            return v.toObject().value(QStringLiteral("sha256")).toString();
    }
    return QString();
}

// The snapshot as a JSON array of {id, app, name, applied} objects, bound as one value.
QString snapshotRows(const QString &path, int *count, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the snapshot %1").arg(path);
        return QString();
    }
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray columns = doc.value(QStringLiteral("columns")).toArray();
    QJsonArray objects;
    for (const QJsonValue &row : doc.value(QStringLiteral("rows")).toArray()) {
        const QJsonArray cells = row.toArray();
        QJsonObject o;
        for (int c = 0; c < columns.size() && c < cells.size(); ++c)
            o.insert(columns.at(c).toString(), cells.at(c));
        objects.append(o);
    }
    *count = int(objects.size());
    return QString::fromUtf8(QJsonDocument(objects).toJson(QJsonDocument::Compact));
}

// The project's migration files (<backend>/<app>/migrations/*.py but __init__.py, relative to the
// root) that the backup does not hold: what makemigrations created after it. Only real folders:
// a symlinked app or migrations folder leads out of the project.
QStringList migrationFilesNotIn(const ProjectConfig &config, const QStringList &backedUp)
{
    const QSet<QString> kept(backedUp.cbegin(), backedUp.cend());
    const QDir root(config.root);
    const QDir backend(config.backendDir.isEmpty() ? config.root : config.backendDir);
    QStringList extra;
    for (const QString &app : backend.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name)) {
        const QFileInfo migrations(backend.filePath(app) + QStringLiteral("/migrations"));
        if (!migrations.isDir() || migrations.isSymLink())
            continue;
        const QDir dir(migrations.filePath());
        for (const QString &name : dir.entryList({QStringLiteral("*.py")}, QDir::Files | QDir::NoSymLinks, QDir::Name)) {
            if (name == QLatin1String("__init__.py"))
                continue;
            const QString rel = root.relativeFilePath(dir.filePath(name));
            if (!kept.contains(rel) && !rel.startsWith(QLatin1String("../")))
                extra << rel;
        }
    }
    return extra;
}

bool coversMigrationFiles(const QStringList &files)
{
    for (const QString &f : files) {
        if (f.contains(QLatin1String("/migrations/")) || f.startsWith(QLatin1String("migrations/")))
            return true;
    }
    return false;
}

} // namespace

Plan RestorePlans::restore(const ProjectConfig &config, const OperationOptions &options, const BackupInfo &backup,
                           QString *error)
{
    QString failure;
    if (backup.isNull())
        failure = QStringLiteral("no such backup");
    else if (!backup.complete)
        failure = QStringLiteral("backup %1 is incomplete (no manifest): it cannot be restored").arg(backup.id);
    else if (!backup.hasDatabase && !backup.hasHistory && backup.files.isEmpty())
        failure = QStringLiteral("backup %1 holds nothing to restore").arg(backup.id);
    QString rows;
    int rowCount = 0;
    if (failure.isEmpty() && backup.hasHistory && !backup.hasDatabase)
        rows = snapshotRows(backup.dir + QStringLiteral("/django_migrations.json"), &rowCount, &failure);
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return Plan();
    }

    Plan plan;
    plan.id = QStringLiteral("restore");
    plan.title = QStringLiteral("Restore backup %1 (%2)").arg(backup.id, backup.contents());
    plan.projectRoot = config.root;
    plan.destructive = true;
    plan.addSecret(config.db.password);

    // Migration files made after the backup (makemigrations' 0001/0002_initial.py…) would stay next
    // to the restored ones as conflicting leaves: they are backed up with the rest, then deleted.
    const QStringList extra = coversMigrationFiles(backup.files) ? migrationFilesNotIn(config, backup.files)
                                                                 : QStringList();

    // First what the restore overwrites, so the restore itself can be undone.
    const BackupLocation before = SafetySteps::newBackup(config, options, QStringLiteral("restore"));
    plan.backupDir = before.dir;
    if (backup.hasDatabase)
        plan.steps << SafetySteps::databaseBackup(config, options, before);
    else if (backup.hasHistory)
        plan.steps << SafetySteps::historySnapshot(config, before);
    if (!backup.files.isEmpty())
        plan.steps << SafetySteps::fileBackup(config, backup.files + extra, before);

    if (backup.hasDatabase) {
        const QString dump = backup.dir + QStringLiteral("/database.dump");
        const QString want = recordedSum(backup, QStringLiteral("database.dump"));
        CallStep check;
        check.description = QStringLiteral("Check the dump is the one that was verified (SHA-256)");
        check.detail = QStringLiteral("sha256sum %1 = %2").arg(dump, want);
        check.run = [dump, want](const CallContext &) {
            QString err;
            const QByteArray sum = FileChecksum::sha256(dump, &err);
            if (sum.isEmpty())
                return err;
            if (want.isEmpty() || QString::fromLatin1(sum) != want)
                return QStringLiteral("%1 changed since it was verified (SHA-256 differs)").arg(dump);
            return QString();
        };
        plan.steps << check;

        const std::unique_ptr<Target> target = Target::forProject(config, options.composeVariant);
        ProcessStep restore = target->postgresTool(
            QStringLiteral("pg_restore"),
            {QStringLiteral("--single-transaction"), QStringLiteral("--clean"), QStringLiteral("--if-exists"),
             QStringLiteral("--exit-on-error"), QStringLiteral("-U"), config.db.user, QStringLiteral("-d"),
             config.db.name});
        restore.description = QStringLiteral("Restore database %1 from %2 (one transaction)").arg(config.db.name, backup.id);
        restore.stdinFile = dump;
        restore.timeoutMs = SafetySteps::kDumpTimeoutMs;
        plan.steps << restore;
    } else if (backup.hasHistory) {
        SqlStep history;
        history.description = QStringLiteral("Restore the %1 django_migrations rows (one transaction)").arg(rowCount);
        history.db = config.db;
        history.statements << SqlStatement{QStringLiteral("DELETE FROM django_migrations"), {}, false, {}};
        history.statements << SqlStatement{
            QStringLiteral("INSERT INTO django_migrations (id, app, name, applied) "
                           "SELECT r.id, r.app, r.name, r.applied::timestamptz "
                           "FROM json_to_recordset(CAST(? AS json)) AS r(id integer, app text, name text, applied text)"),
            {rows}, false, {}};
        history.statements << SqlStatement{
            QStringLiteral("SELECT setval(pg_get_serial_sequence('django_migrations', 'id'), "
                           "COALESCE(MAX(id), 0) + 1, false) FROM django_migrations"),
            {}, false, {}};
        plan.steps << history;
    }

    if (!backup.files.isEmpty()) {
        FileStep files;
        files.description = QStringLiteral("Copy %1 file(s) back into the project, checking each SHA-256")
                                .arg(backup.files.size());
        files.baseDir = backup.dir + QStringLiteral("/files");
        files.paths = backup.files;
        files.backupDir = config.root;
        files.checksumsFile = backup.dir + QStringLiteral("/files.sha256.json");
        files.verifyChecksums = true;
        plan.steps << files;
    }
    if (!extra.isEmpty()) {
        // FileStep's removal refuses any path outside the project or through a symlinked folder.
        FileStep remove;
        remove.description = QStringLiteral("Delete %1 migration file(s) made after the backup").arg(extra.size());
        remove.baseDir = config.root;
        remove.paths = extra;
        remove.remove = true;
        plan.steps << remove;
    }
    return plan;
}

Plan RestorePlans::undoLast(const ProjectConfig &config, const OperationOptions &options, QString *error)
{
    const BackupInfo last = BackupStore(config).lastDestructive();
    if (last.isNull()) {
        if (error)
            *error = QStringLiteral("there is no backup of a destructive operation to undo");
        return Plan();
    }
    Plan plan = restore(config, options, last, error);
    if (!plan.id.isEmpty())
        plan.title = QStringLiteral("Undo %1: ").arg(last.operation) + plan.title;
    return plan;
}
