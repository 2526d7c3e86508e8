#include "safety/backupstore.h"

#include "engine/operationlog.h"
#include "platform/filechecksum.h"
#include "safety/safetysteps.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace {

const QString kManifest = QStringLiteral("manifest.json");

QString fromStateDir(const QString &projectRoot)
{
    return QFileInfo(OperationLog::pathForProject(projectRoot)).absolutePath() + QStringLiteral("/backups");
}

qint64 folderSize(const QString &dir)
{
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

} // namespace

QString BackupInfo::restoredText() const
{
    QStringList parts;
    if (hasDatabase)
        parts << (databaseName.isEmpty() ? QStringLiteral("the database") : QStringLiteral("database %1").arg(databaseName));
    if (hasHistory)
        parts << (historyRows >= 0 ? QStringLiteral("%1 rows of django_migrations").arg(historyRows)
                                   : QStringLiteral("the rows of django_migrations"));
    if (!files.isEmpty())
        parts << QStringLiteral("%1 migration file(s)").arg(files.size());
    return parts.join(QStringLiteral(", "));
}

QString BackupInfo::contents() const
{
    QStringList parts;
    if (hasDatabase)
        parts << QStringLiteral("database");
    if (hasHistory)
        parts << QStringLiteral("history");
    if (!files.isEmpty())
        parts << QStringLiteral("%1 file(s)").arg(files.size());
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QStringLiteral(", "));
}

BackupStore::BackupStore(const QString &projectRoot)
    : m_folder(fromStateDir(projectRoot))
{
}

BackupStore::BackupStore(const ProjectConfig &config)
    : BackupStore(config.root)
{
}

QString BackupStore::folderForProject(const QString &projectRoot)
{
    return fromStateDir(projectRoot);
}

BackupInfo BackupStore::read(const QString &dir)
{
    BackupInfo info;
    const QFileInfo folder(dir);
    if (!folder.isDir())
        return info;
    info.id = folder.fileName();
    info.dir = folder.absoluteFilePath();
    info.size = folderSize(info.dir);
    QFile file(info.dir + QLatin1Char('/') + kManifest);
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        info.complete = !o.isEmpty();
        info.operation = o.value(QStringLiteral("operation")).toString();
        info.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        info.databaseName = o.value(QStringLiteral("database")).toObject().value(QStringLiteral("name")).toString();
        const QJsonObject contains = o.value(QStringLiteral("contains")).toObject();
        info.hasDatabase = contains.value(QStringLiteral("database")).toBool();
        info.hasHistory = contains.value(QStringLiteral("history")).toBool();
        for (const QJsonValue &v : contains.value(QStringLiteral("files")).toArray())
            info.files << v.toString();
        info.historyRows = contains.value(QStringLiteral("historyRows")).toInt(-1);
        info.restores = o.value(QStringLiteral("restores")).toString();
    }
    if (!info.time.isValid())
        info.time = folder.birthTime().isValid() ? folder.birthTime() : folder.lastModified();
    if (info.operation.isEmpty())
        info.operation = info.id.section(QLatin1Char('-'), 2); // yyyyMMdd-HHmmss-<operation>
    return info;
}

QList<BackupInfo> BackupStore::listAll() const
{
    QList<BackupInfo> all;
    const QDir dir(m_folder);
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        all << read(dir.filePath(name));
    std::sort(all.begin(), all.end(), [](const BackupInfo &a, const BackupInfo &b) {
        if (a.complete != b.complete)
            return a.complete;
        return a.time != b.time ? a.time > b.time : a.id > b.id;
    });
    return all;
}

QList<BackupInfo> BackupStore::list() const
{
    QList<BackupInfo> complete = listAll();
    complete.removeIf([](const BackupInfo &b) { return !b.complete; });
    return complete;
}

BackupInfo BackupStore::find(const QString &id) const
{
    if (id.isEmpty() || id.contains(QLatin1Char('/')) || id.startsWith(QLatin1Char('.')))
        return BackupInfo();
    return read(m_folder + QLatin1Char('/') + id);
}

BackupInfo BackupStore::lastDestructive() const
{
    return lastDestructiveOf(list());
}

BackupInfo BackupStore::lastDestructiveOf(const QList<BackupInfo> &listed)
{
    for (const BackupInfo &b : listed) {
        if (b.complete && b.operation != QLatin1String("backup"))
            return b;
    }
    return BackupInfo();
}

BackupInfo BackupStore::nextUndoOf(const QList<BackupInfo> &listed)
{
    QStringList undone;
    for (const BackupInfo &b : listed) {
        if (!b.complete)
            continue;
        if (!b.restores.isEmpty()) {
            undone << b.restores;
            continue;
        }
        if (b.operation == QLatin1String("backup") || b.operation == QLatin1String("restore") || undone.contains(b.id))
            continue;
        return b;
    }
    return BackupInfo();
}

qint64 BackupStore::totalSize() const
{
    return folderSize(m_folder);
}

bool BackupStore::remove(const QString &id, QString *error)
{
    const BackupInfo info = find(id);
    if (info.isNull()) {
        if (error)
            *error = QStringLiteral("no backup %1 in %2").arg(id, m_folder);
        return false;
    }
    if (!QDir(info.dir).removeRecursively()) {
        if (error)
            *error = QStringLiteral("cannot delete %1").arg(info.dir);
        return false;
    }
    return true;
}

QStringList BackupStore::prune(int keep, QString *error)
{
    QStringList removed;
    int kept = 0;
    for (const BackupInfo &b : listAll()) {
        if (b.complete && kept < keep) {
            ++kept;
            continue;
        }
        if (!remove(b.id, error))
            return removed;
        removed << b.id;
    }
    return removed;
}

bool BackupStore::writeManifest(const BackupLocation &backup, const ProjectConfig &config, QString *error)
{
    QJsonArray files;
    qint64 total = 0;
    const QDir dir(backup.dir);
    QStringList paths;
    QDirIterator it(backup.dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << dir.relativeFilePath(it.next());
    paths.removeAll(kManifest);
    paths.sort();
    for (const QString &rel : paths) {
        const QString path = dir.absoluteFilePath(rel);
        const QByteArray sum = FileChecksum::sha256(path, error);
        if (sum.isEmpty())
            return false;
        const qint64 size = QFileInfo(path).size();
        total += size;
        files.append(QJsonObject{{QStringLiteral("path"), rel},
                                 {QStringLiteral("size"), size},
                                 {QStringLiteral("sha256"), QString::fromLatin1(sum)}});
    }
    QJsonArray projectFiles;
    QFile sums(dir.absoluteFilePath(QStringLiteral("files.sha256.json")));
    if (sums.open(QIODevice::ReadOnly)) {
        const QJsonObject o = QJsonDocument::fromJson(sums.readAll()).object();
        for (auto i = o.constBegin(); i != o.constEnd(); ++i)
            projectFiles.append(i.key());
    }
    // The snapshot's rows, counted once here: labels and confirmations say "28 rows".
    int historyRows = -1;
    QFile history(dir.absoluteFilePath(QStringLiteral("django_migrations.json")));
    if (history.open(QIODevice::ReadOnly))
        historyRows = int(QJsonDocument::fromJson(history.readAll()).object().value(QStringLiteral("rows")).toArray().size());
    QJsonObject manifest{
        {QStringLiteral("format"), 1},
        {QStringLiteral("id"), backup.id},
        {QStringLiteral("operation"), backup.operation},
        {QStringLiteral("time"), QDateTime::currentDateTime().toOffsetFromUtc(
                                     QDateTime::currentDateTime().offsetFromUtc()).toString(Qt::ISODateWithMs)},
        {QStringLiteral("project"), config.root},
        {QStringLiteral("target"), targetKindName(config.target)},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("name"), config.db.name},
                                                 {QStringLiteral("host"), config.db.host},
                                                 {QStringLiteral("port"), config.db.port},
                                                 {QStringLiteral("user"), config.db.user},
                                                 {QStringLiteral("service"), config.dbService}}},
        {QStringLiteral("contains"), QJsonObject{
             {QStringLiteral("database"), dir.exists(QStringLiteral("database.dump"))},
             {QStringLiteral("history"), dir.exists(QStringLiteral("django_migrations.json"))},
             {QStringLiteral("files"), projectFiles},
             {QStringLiteral("historyRows"), historyRows}}},
        {QStringLiteral("size"), total},
        {QStringLiteral("artifacts"), files},
    };
    if (!backup.restores.isEmpty())
        manifest.insert(QStringLiteral("restores"), backup.restores);
    QSaveFile file(dir.absoluteFilePath(kManifest));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(manifest).toJson()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}
