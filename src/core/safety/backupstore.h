#pragma once

#include "project/projectconfig.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

struct BackupLocation;

// One backup folder as its manifest describes it.
struct BackupInfo
{
    QString id;            // folder name
    QString dir;           // absolute folder
    QString operation;     // the destructive operation it was taken for ("backup": by hand)
    QDateTime time;
    QString databaseName;
    qint64 size = 0;       // bytes of everything in the folder
    bool hasDatabase = false; // database.dump (verified when it was taken)
    bool hasHistory = false;  // django_migrations.json
    QStringList files;     // relative paths (to the project root) of the copied files
    bool complete = false; // manifest.json present (the backup's steps all ran)
    int historyRows = -1;  // rows in django_migrations.json (-1: none, or an older manifest)
    QString restores;      // taken by a restore, before it put back this backup id

    bool isNull() const { return id.isEmpty(); }
    // "database, history, 12 files"
    QString contents() const;
    // What a restore puts back, counted: "database whatsappcrm_db, 28 rows of django_migrations,
    // 12 migration files"
    QString restoredText() const;
};

// The backups of one project: <state dir>/projects/<hash>/backups/<id>/.
class BackupStore
{
public:
    explicit BackupStore(const QString &projectRoot);
    explicit BackupStore(const ProjectConfig &config);

    static QString folderForProject(const QString &projectRoot);
    QString folder() const { return m_folder; }

    // Complete backups, newest first (folders without manifest are half-made: listed last
    // with complete == false only by listAll()).
    QList<BackupInfo> list() const;
    QList<BackupInfo> listAll() const;
    BackupInfo find(const QString &id) const;
    // The newest backup taken before a destructive operation (not a manual "backup"): what
    // "Undo last change" restores.
    BackupInfo lastDestructive() const;
    // The same among backups already listed (newest first), without touching the disk.
    static BackupInfo lastDestructiveOf(const QList<BackupInfo> &listed);
    // What "Undo last change" restores: the newest backup of a destructive operation whose change
    // was not undone yet. A stack: undo takes back the last change, then the one before it (the
    // backups a restore takes of what it overwrote are skipped, with the backup it restored).
    static BackupInfo nextUndoOf(const QList<BackupInfo> &listed);
    qint64 totalSize() const;

    bool remove(const QString &id, QString *error = nullptr);
    // Keeps the newest keep complete backups, removes the older ones and half-made folders.
    // Returns the removed ids.
    QStringList prune(int keep, QString *error = nullptr);

    // Writes manifest.json for the folder as it is now: time, operation, project, database,
    // every file with size and SHA-256. Called by the last step of each backup.
    static bool writeManifest(const BackupLocation &backup, const ProjectConfig &config,
                              QString *error = nullptr);
    static BackupInfo read(const QString &dir);

private:
    QString m_folder;
};
