#include "safety/restoreplans.h"

#include "db/databaseconnection.h"
#include "targets/targets.h"
#include "platform/filechecksum.h"
#include "safety/safetysteps.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

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

QString quotedIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString quotedLiteral(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// Before anything changes: dropping and creating the database needs the right to create one.
CallStep canRecreate(const ProjectConfig &config)
{
    DbSettings maintenance = config.db;
    maintenance.name = QStringLiteral("postgres");
    CallStep step;
    step.description = QStringLiteral("Check that %1 may drop and create database %2").arg(config.db.user, config.db.name);
    step.detail = QStringLiteral("-- maintenance database postgres\nSELECT rolsuper OR rolcreatedb FROM pg_roles "
                                 "WHERE rolname = current_user;");
    step.db = maintenance;
    step.needsDatabase = true;
    step.run = [maintenance](const CallContext &) -> QString {
        DatabaseConnection connection(maintenance, QStringLiteral("restore-check"));
        if (!connection.open())
            return connection.error();
        QSqlQuery query(connection.database());
        if (!query.exec(QStringLiteral("SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"))
            || !query.next())
            return query.lastError().text();
        if (!query.value(0).toBool())
            return QStringLiteral("user %1 may not create databases (CREATEDB), so the restore could drop the "
                                  "database but not create it again: nothing was changed").arg(maintenance.user);
        return QString();
    };
    return step;
}

// The database emptied to nothing, with the same encoding, locale and owner: a restore into it
// equals the dump, where --clean would leave the tables made after the backup in place.
// DROP/CREATE DATABASE run on the maintenance database; FORCE ends the project's sessions.
CallStep recreateDatabase(const ProjectConfig &config)
{
    DbSettings maintenance = config.db;
    maintenance.name = QStringLiteral("postgres");
    const QString name = config.db.name;
    CallStep step;
    step.description = QStringLiteral("Recreate database %1 empty (its sessions are ended)").arg(name);
    step.detail = QStringLiteral("-- maintenance database postgres on %1:%2 as %3\n"
                                 "DROP DATABASE %4 WITH (FORCE);\n"
                                 "CREATE DATABASE %4 TEMPLATE template0 (same encoding, locale and owner);")
                      .arg(maintenance.host, QString::number(maintenance.port), maintenance.user, quotedIdentifier(name));
    step.db = maintenance;
    step.needsDatabase = true;
    step.run = [maintenance, name](const CallContext &context) -> QString {
        DatabaseConnection connection(maintenance, QStringLiteral("restore-maintenance"));
        if (!connection.open())
            return connection.error();
        QSqlQuery query(connection.database());
        query.prepare(QStringLiteral("SELECT pg_encoding_to_char(encoding), datcollate, datctype, "
                                     "pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?"));
        query.addBindValue(name);
        if (!query.exec())
            return query.lastError().text();
        if (!query.next())
            return QStringLiteral("database %1 does not exist on the server").arg(name);
        const QString create = QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING %2 LC_COLLATE %3 "
                                              "LC_CTYPE %4 OWNER %5")
                                   .arg(quotedIdentifier(name), quotedLiteral(query.value(0).toString()),
                                        quotedLiteral(query.value(1).toString()), quotedLiteral(query.value(2).toString()),
                                        quotedIdentifier(query.value(3).toString()));
        query.finish();
        // Neither statement can run in a transaction or be prepared: identifiers are quoted.
        if (!query.exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(quotedIdentifier(name))))
            return query.lastError().text();
        if (!query.exec(create))
            return QStringLiteral("database %1 was dropped but could not be created again: %2")
                .arg(name, query.lastError().text());
        context.say(QStringLiteral("database %1 dropped and created again, empty").arg(name));
        return QString();
    };
    return step;
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

Plan RestorePlans::restore(const ProjectConfig &config, const PlanOptions &options, const BackupInfo &backup,
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
    BackupLocation before = SafetySteps::newBackup(config, options, QStringLiteral("restore"));
    before.restores = backup.id; // undoing again goes on to the change before, not back to this one
    plan.backupDir = before.dir;
    if (backup.hasDatabase)
        plan.steps << canRecreate(config);
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
        plan.steps << recreateDatabase(config);

        const std::unique_ptr<Target> target = Targets::forProject(config);
        ProcessStep restore = target->postgresTool(
            QStringLiteral("pg_restore"),
            {QStringLiteral("--single-transaction"), QStringLiteral("--exit-on-error"), QStringLiteral("-U"),
             config.db.user, QStringLiteral("-d"), config.db.name});
        restore.description = QStringLiteral("Restore database %1 from %2 (one transaction)").arg(config.db.name, backup.id);
        restore.stdinFile = dump;
        restore.timeoutMs = SafetySteps::kDumpTimeoutMs;
        plan.steps << restore;

        CallStep verify;
        verify.description = QStringLiteral("Verify database %1 holds exactly the dump's tables").arg(config.db.name);
        const QString toc = backup.dir + QStringLiteral("/database.toc");
        verify.detail = QStringLiteral("compare the tables of %1 with %2 (pg_restore --list of the dump)").arg(config.db.name, toc);
        verify.db = config.db;
        verify.needsDatabase = true;
        const DbSettings db = config.db;
        verify.run = [db, toc](const CallContext &context) {
            return SafetySteps::compareTablesWithToc(db, toc, true, context);
        };
        plan.steps << verify;
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

Plan RestorePlans::undoLast(const ProjectConfig &config, const PlanOptions &options, QString *error)
{
    return undoLast(config, options, BackupStore(config).list(), error);
}

Plan RestorePlans::undoLast(const ProjectConfig &config, const PlanOptions &options,
                            const QList<BackupInfo> &listed, QString *error)
{
    const BackupInfo last = BackupStore::nextUndoOf(listed);
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
