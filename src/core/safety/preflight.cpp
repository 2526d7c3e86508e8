#include "safety/preflight.h"

#include "targets/servicecheck.h"

#include "engine/stepworker.h"
#include "platform/childprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QThread>


#include <unistd.h>

namespace {

// Room kept free beyond the estimate: a full disk breaks more than the backup.
constexpr qint64 kMarginBytes = 16 * 1024 * 1024;

QString nearestExisting(const QString &path)
{
    QFileInfo info(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    while (!info.exists() && !info.isSymLink()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            break;
        info = QFileInfo(parent);
    }
    return info.absoluteFilePath();
}

// Empty when a folder can be created (or exists) at dir and written to.
QString folderProblem(const QString &dir)
{
    const QString existing = nearestExisting(dir);
    const QFileInfo info(existing);
    if (!info.isDir())
        return QStringLiteral("%1 cannot be created: %2 is not a folder.").arg(dir, existing);
    if (::access(QFile::encodeName(existing).constData(), W_OK | X_OK) != 0)
        return QStringLiteral("%1 is not writable (by this user).").arg(existing);
    return QString();
}

qint64 pathSize(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir() || info.isSymLink())
        return info.exists() ? info.size() : 0;
    qint64 total = 0;
    const QFileInfoList children = QDir(path).entryInfoList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo &child : children)
        total += pathSize(child.absoluteFilePath());
    return total;
}

QString mb(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1));
}

// Connects once (the run's shared connection when on the runner's worker thread, so the steps
// that follow reuse it); returns the driver error, empty on success. size gets pg_database_size.
QString probeDatabase(const DbSettings &settings, qint64 *size)
{
    QString error;
    const QString name = StepWorker::openShared(settings, 5, &error);
    if (name.isEmpty())
        return error.isEmpty() ? QStringLiteral("cannot connect") : error;
    bool ok = false;
    {
        QSqlQuery query(QSqlDatabase::database(name, false));
        ok = query.exec(QStringLiteral("SELECT pg_database_size(current_database())")) && query.next();
        if (ok)
            *size = query.value(0).toLongLong();
    }
    StepWorker::releaseShared(name, !ok);
    return QString();
}

// `docker compose version` / `docker-compose version` with the plan's environment.
bool composeAnswers(const QString &program, const QStringList &prefix, const QProcessEnvironment &env)
{
    return ChildProcess::runTool(program, prefix + QStringList{QStringLiteral("version")}, QString(), env, 15000).exitCode == 0;
}

} // namespace

qint64 Preflight::freeBytes(const QString &path)
{
    const QStorageInfo storage(nearestExisting(path));
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

QStringList Preflight::checkServices(const Plan &plan, const QProcessEnvironment &environment, int fromStep)
{
    QStringList problems;
    QSet<QString> servicesSeen;
    bool beforeUp = true; // a service the plan itself starts need not run yet
    for (int i = std::max(0, fromStep); i < plan.steps.size(); ++i) {
        const auto *p = std::get_if<ProcessStep>(&plan.steps.at(i));
        if (!p)
            continue;
        if (!p->requiredImages.isEmpty())
            problems << ServiceCheck::imageProblems(*p, environment);
        if (p->args.contains(QStringLiteral("up")) && p->service.isEmpty())
            beforeUp = false;
        if (beforeUp && !p->service.isEmpty() && !servicesSeen.contains(p->service)) {
            servicesSeen.insert(p->service);
            problems << ServiceCheck::serviceProblems(*p, environment);
        }
    }
    return problems;
}

QStringList Preflight::check(const Plan &plan, const QProcessEnvironment &environment, int fromStep)
{
    QStringList problems;
    const QStringList pathDirs = environment.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts);
    QSet<QString> programsSeen;
    QSet<QString> foldersSeen;
    QSet<QString> databasesSeen;
    QStringList backupFolders;
    bool beforeWait = true; // after a wait step the database may be down on purpose (reset)
    bool dumps = false;
    qint64 databaseSize = 0;
    qint64 fileBytes = 0;

    auto checkFolder = [&](const QString &dir) {
        if (dir.isEmpty() || foldersSeen.contains(dir))
            return;
        foldersSeen.insert(dir);
        const QString problem = folderProblem(dir);
        if (!problem.isEmpty())
            problems << problem;
    };
    auto checkDatabase = [&](const DbSettings &db) {
        const QString key = QStringLiteral("%1:%2/%3@%4").arg(db.host, QString::number(db.port), db.name, db.user);
        if (databasesSeen.contains(key))
            return;
        databasesSeen.insert(key);
        qint64 size = 0;
        const QString error = probeDatabase(db, &size);
        if (!error.isEmpty()) {
            problems << QStringLiteral("The database %1 on %2:%3 cannot be reached: %4 — start it "
                                       "(docker compose up -d) or fix the connection settings.")
                            .arg(db.name, db.host, QString::number(db.port), error);
        }
        databaseSize = std::max(databaseSize, size);
    };

    for (int i = std::max(0, fromStep); i < plan.steps.size(); ++i) {
        const PlanStep &step = plan.steps.at(i);
        if (const auto *p = std::get_if<ProcessStep>(&step)) {
            const QString key = p->program + QLatin1Char(' ') + p->args.value(0);
            if (!programsSeen.contains(key)) {
                programsSeen.insert(key);
                const QString found = p->program.contains(QLatin1Char('/'))
                    ? (QFileInfo(p->program).isExecutable() ? p->program : QString())
                    : QStandardPaths::findExecutable(p->program, pathDirs);
                if (found.isEmpty()) {
                    problems << QStringLiteral("%1 is not on PATH (needed by step %2: %3) — install it "
                                               "or add its folder to PATH.")
                                    .arg(p->program, QString::number(i + 1), p->description);
                } else if (QFileInfo(p->program).fileName() == QLatin1String("docker")
                           && p->args.value(0) == QLatin1String("compose")) {
                    if (!composeAnswers(found, {QStringLiteral("compose")}, environment))
                        problems << QStringLiteral("`docker compose version` fails: the Compose v2 plugin is "
                                                   "missing — install it or choose docker-compose (v1).");
                } else if (QFileInfo(p->program).fileName() == QLatin1String("docker-compose")) {
                    if (!composeAnswers(found, {}, environment))
                        problems << QStringLiteral("`docker-compose version` fails — install Compose or "
                                                   "choose the docker compose plugin (v2).");
                }
            }
            if (!p->stdoutFile.isEmpty()) {
                const QString dir = QFileInfo(p->stdoutFile).absolutePath();
                checkFolder(dir);
                if (!backupFolders.contains(dir))
                    backupFolders << dir;
                dumps = dumps || p->args.contains(QStringLiteral("pg_dump")) || p->program.endsWith(QStringLiteral("pg_dump"));
            }
        } else if (const auto *s = std::get_if<SqlStep>(&step)) {
            if (beforeWait)
                checkDatabase(s->db);
            for (const SqlStatement &st : s->statements) {
                if (!st.saveRowsTo.isEmpty())
                    checkFolder(QFileInfo(st.saveRowsTo).absolutePath());
            }
        } else if (const auto *f = std::get_if<FileStep>(&step)) {
            if (!f->backupDir.isEmpty()) {
                checkFolder(f->backupDir);
                if (!backupFolders.contains(f->backupDir))
                    backupFolders << f->backupDir;
                for (const QString &rel : f->paths)
                    fileBytes += pathSize(QDir(f->baseDir).absoluteFilePath(rel));
            }
            if (f->remove) {
                for (const QString &rel : f->paths) {
                    const QString path = QDir(f->baseDir).absoluteFilePath(rel);
                    if (QFileInfo::exists(path))
                        checkFolder(QFileInfo(path).absolutePath());
                }
            }
        } else if (std::get_if<WaitStep>(&step)) {
            beforeWait = false;
        } else if (const auto *c = std::get_if<CallStep>(&step)) {
            if (c->needsDatabase && beforeWait)
                checkDatabase(c->db);
        }
    }

    // Tools first: a missing docker makes the container questions moot.
    if (problems.isEmpty())
        problems << checkServices(plan, environment, fromStep);

    // The dump is at most about the database's size (usually much less): ask for that much.
    const qint64 needed = (dumps ? databaseSize : 0) + fileBytes;
    if (!backupFolders.isEmpty() && needed > 0) {
        const qint64 free = freeBytes(backupFolders.constFirst());
        if (free >= 0 && free < needed + kMarginBytes) {
            problems << QStringLiteral("Not enough free disk for the backup in %1: %2 free, about %3 "
                                       "needed — free some space or prune old backups.")
                            .arg(backupFolders.constFirst(), mb(free), mb(needed + kMarginBytes));
        }
    }
    return problems;
}
