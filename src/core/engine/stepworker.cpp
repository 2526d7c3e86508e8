#include "engine/stepworker.h"

#include "db/databaseconnection.h"

#include "plan/runresult.h"
#include "platform/filechecksum.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>

#include <algorithm>

namespace {

QString valueText(const QVariant &v)
{
    if (v.isNull())
        return QString();
    if (v.typeId() == QMetaType::QDateTime)
        return v.toDateTime().toString(Qt::ISODateWithMs);
    return v.toString();
}

QString driverError(const QSqlError &error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.text().trimmed();
    return text;
}

// Opens a QPSQL connection named name on the calling thread. Returns an empty error on success.
QString openConnection(const QString &name, const DbSettings &settings, int connectTimeoutSec)
{
    QSqlDatabase db = DatabaseConnection::addConfigured(name, settings, connectTimeoutSec);
    if (!db.open()) {
        const QString text = driverError(db.lastError());
        return text + DatabaseConnection::passwordHint(text, settings);
    }
    return QString();
}

QJsonValue jsonValue(const QVariant &v)
{
    if (v.isNull())
        return QJsonValue::Null;
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return v.toLongLong();
    case QMetaType::Double:
        return v.toDouble();
    case QMetaType::Bool:
        return v.toBool();
    default:
        return valueText(v);
    }
}

bool writeJson(const QString &path, const QJsonDocument &doc, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(doc.toJson(QJsonDocument::Indented)) < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// Relative paths of the files under rel (rel itself when it is a file).
QStringList filesUnder(const QDir &base, const QString &rel)
{
    const QString path = base.absoluteFilePath(rel);
    const QFileInfo info(path);
    if (!info.isDir() || info.isSymLink())
        return info.exists() ? QStringList{QDir::cleanPath(rel)} : QStringList();
    QStringList files;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << base.relativeFilePath(it.next());
    files.sort();
    return files;
}

bool copyPath(const QString &from, const QString &to, int *files, QString *error)
{
    const QFileInfo info(from);
    if (info.isDir() && !info.isSymLink()) {
        if (!QDir().mkpath(to)) {
            *error = QStringLiteral("cannot create %1").arg(to);
            return false;
        }
        QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            const QString child = it.next();
            if (!copyPath(child, to + QLatin1Char('/') + it.fileName(), files, error))
                return false;
        }
        return true;
    }
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    if (!QFile::copy(from, to)) {
        *error = QStringLiteral("cannot copy %1 to %2").arg(from, to);
        return false;
    }
    if (QFileInfo(to).size() != info.size()) { // verified before anything is deleted
        *error = QStringLiteral("copy of %1 is incomplete").arg(from);
        return false;
    }
    ++*files;
    return true;
}

// The worker whose step runs on this thread (openShared() keeps its connections there).
thread_local StepWorker *t_worker = nullptr;

// Marks the calling thread as running one of worker's steps.
class CurrentWorker
{
public:
    explicit CurrentWorker(StepWorker *worker) : m_previous(t_worker) { t_worker = worker; }
    ~CurrentWorker() { t_worker = m_previous; }

private:
    StepWorker *m_previous;
};

QString settingsKey(const DbSettings &s)
{
    return s.host + QLatin1Char('\n') + QString::number(s.port) + QLatin1Char('\n') + s.name + QLatin1Char('\n')
        + s.user + QLatin1Char('\n') + s.password;
}

} // namespace

StepWorker::StepWorker(const std::atomic_bool *cancelled)
    : m_cancelled(cancelled)
{
}

QString StepWorker::openShared(const DbSettings &settings, int connectTimeoutSec, QString *error)
{
    StepWorker *worker = t_worker;
    if (!worker) {
        static std::atomic_int counter{0};
        const QString name = QStringLiteral("migrationdesk-oneoff-%1").arg(++counter);
        *error = openConnection(name, settings, connectTimeoutSec);
        if (!error->isEmpty()) {
            QSqlDatabase::removeDatabase(name);
            return QString();
        }
        return name;
    }
    const QString key = settingsKey(settings);
    const QString existing = worker->m_shared.value(key);
    if (!existing.isEmpty()) {
        bool alive = false;
        {
            // One round trip: a server restarted between steps leaves a dead socket behind.
            QSqlDatabase db = QSqlDatabase::database(existing, false);
            QSqlQuery ping(db);
            alive = db.isOpen() && ping.exec(QStringLiteral("SELECT 1"));
        }
        if (alive)
            return existing;
        worker->m_shared.remove(key);
        QSqlDatabase::removeDatabase(existing);
    }
    const QString name = worker->nextConnectionName();
    *error = openConnection(name, settings, connectTimeoutSec);
    if (!error->isEmpty()) {
        QSqlDatabase::removeDatabase(name);
        return QString();
    }
    worker->m_shared.insert(key, name);
    return name;
}

void StepWorker::releaseShared(const QString &name, bool broken)
{
    if (name.isEmpty())
        return;
    if (StepWorker *worker = t_worker) {
        const QString key = worker->m_shared.key(name);
        if (!key.isEmpty()) {
            if (!broken)
                return; // kept for the run's next step
            worker->m_shared.remove(key);
        }
    }
    QSqlDatabase::removeDatabase(name);
}

void StepWorker::closeConnections()
{
    const QList<QString> names = m_shared.values();
    m_shared.clear();
    for (const QString &name : names)
        QSqlDatabase::removeDatabase(name);
}

QString StepWorker::nextConnectionName()
{
    return QStringLiteral("migrationdesk-step-%1-%2")
        .arg(QString::number(quintptr(this), 16), QString::number(++m_connections));
}

void StepWorker::say(int index, const QString &line, int channel)
{
    emit text(index, (line + QLatin1Char('\n')).toUtf8(), channel);
}

QString StepWorker::formatTable(const QStringList &columns, const QList<QStringList> &rows)
{
    QList<int> widths;
    for (const QString &c : columns)
        widths << int(c.size());
    for (const QStringList &row : rows) {
        for (int i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(row.at(i).size()));
    }
    auto line = [&](const QStringList &cells) {
        QStringList padded;
        for (int i = 0; i < widths.size(); ++i)
            padded << QLatin1Char(' ') + cells.value(i).leftJustified(widths.at(i)) + QLatin1Char(' ');
        return padded.join(QLatin1Char('|')).trimmed().prepend(QLatin1Char(' '));
    };
    QStringList out;
    out << line(columns);
    QStringList rule;
    for (int w : widths)
        rule << QString(w + 2, QLatin1Char('-'));
    out << rule.join(QLatin1Char('+'));
    for (const QStringList &row : rows)
        out << line(row);
    out << (rows.size() == 1 ? QStringLiteral("(1 row)") : QStringLiteral("(%1 rows)").arg(rows.size()));
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void StepWorker::runSql(int index, const SqlStep &step)
{
    const CurrentWorker current(this);
    QString error;
    const QString name = openShared(step.db, step.connectTimeoutSec, &error);
    int exitCode = 0;
    {
        if (name.isEmpty()) {
            exitCode = StepExit::Failed;
            error = QStringLiteral("cannot connect to %1 on %2:%3: %4")
                        .arg(step.db.name, step.db.host, QString::number(step.db.port), error);
        } else {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            const bool transaction = step.statements.size() > 1;
            if (transaction && !db.transaction()) {
                exitCode = StepExit::Failed;
                error = QStringLiteral("cannot begin a transaction: ") + driverError(db.lastError());
            }
            for (int i = 0; exitCode == 0 && i < step.statements.size(); ++i) {
                if (m_cancelled->load()) {
                    exitCode = StepExit::Cancelled;
                    error = QStringLiteral("cancelled before statement %1").arg(i + 1);
                    break;
                }
                const SqlStatement &st = step.statements.at(i);
                QSqlQuery query(db);
                query.setForwardOnly(true);
                if (!DatabaseConnection::exec(query, st.sql, st.values)) {
                    exitCode = StepExit::Failed;
                    error = QStringLiteral("statement %1 failed: %2")
                                .arg(QString::number(i + 1), driverError(query.lastError()));
                    break;
                }
                if (!st.saveRowsTo.isEmpty() && query.isSelect()) {
                    const QSqlRecord record = query.record();
                    QJsonArray columns;
                    for (int c = 0; c < record.count(); ++c)
                        columns.append(record.fieldName(c));
                    QJsonArray rows;
                    while (query.next()) {
                        QJsonArray row;
                        for (int c = 0; c < record.count(); ++c)
                            row.append(jsonValue(query.value(c)));
                        rows.append(row);
                    }
                    const QJsonObject doc{{QStringLiteral("columns"), columns}, {QStringLiteral("rows"), rows}};
                    if (!writeJson(st.saveRowsTo, QJsonDocument(doc), &error)) {
                        exitCode = StepExit::Failed;
                        break;
                    }
                    say(index, QStringLiteral("saved %1 row(s) to %2")
                                   .arg(QString::number(rows.size()), st.saveRowsTo));
                } else if (st.printRows && query.isSelect()) {
                    const QSqlRecord record = query.record();
                    QStringList columns;
                    for (int c = 0; c < record.count(); ++c)
                        columns << record.fieldName(c);
                    QList<QStringList> rows;
                    while (query.next()) {
                        QStringList row;
                        for (int c = 0; c < record.count(); ++c)
                            row << valueText(query.value(c));
                        rows << row;
                    }
                    emit text(index, formatTable(columns, rows).toUtf8(), 0);
                } else if (!query.isSelect()) {
                    say(index, QStringLiteral("statement %1: %2 row(s) affected")
                                   .arg(QString::number(i + 1), QString::number(query.numRowsAffected())));
                }
            }
            if (transaction) {
                if (exitCode == 0 && !m_cancelled->load()) {
                    if (!db.commit()) {
                        exitCode = StepExit::Failed;
                        error = QStringLiteral("commit failed: ") + driverError(db.lastError());
                    }
                } else {
                    db.rollback();
                    if (exitCode == 0) {
                        exitCode = StepExit::Cancelled;
                        error = QStringLiteral("cancelled before commit");
                    }
                    error += QStringLiteral(" (rolled back: nothing was changed)");
                }
            }
        }
    }
    // A failed step may have left the session in a state the next one should not inherit.
    releaseShared(name, exitCode != 0);
    if (!error.isEmpty())
        say(index, error, 1);
    emit done(index, exitCode, error);
}

void StepWorker::runWait(int index, const WaitStep &step)
{
    QElapsedTimer clock;
    clock.start();
    QString lastError;
    int attempts = 0;
    while (true) {
        if (m_cancelled->load()) {
            emit done(index, StepExit::Cancelled, QStringLiteral("cancelled while waiting"));
            return;
        }
        const QString name = nextConnectionName();
        const qint64 left = step.timeoutMs - clock.elapsed();
        lastError = openConnection(name, step.db, int(std::max<qint64>(1, left / 1000)));
        QSqlDatabase::removeDatabase(name);
        ++attempts;
        if (lastError.isEmpty()) {
            say(index, QStringLiteral("PostgreSQL on %1:%2 accepts connections (after %3 ms)")
                           .arg(step.db.host, QString::number(step.db.port),
                                QString::number(clock.elapsed())));
            emit done(index, 0, QString());
            return;
        }
        if (clock.elapsed() + step.intervalMs > step.timeoutMs)
            break;
        // Sleep in slices so cancel() is noticed quickly.
        for (int slept = 0; slept < step.intervalMs && !m_cancelled->load(); slept += 50)
            QThread::msleep(50);
    }
    const QString error = QStringLiteral("PostgreSQL on %1:%2 did not accept connections within %3 s "
                                         "(%4 attempts): %5")
                              .arg(step.db.host, QString::number(step.db.port),
                                   QString::number(step.timeoutMs / 1000.0), QString::number(attempts),
                                   lastError);
    say(index, error, 1);
    emit done(index, StepExit::TimedOut, error);
}

void StepWorker::runFiles(int index, const FileStep &step)
{
    const QDir base(step.baseDir);
    QString error;
    if (!step.backupDir.isEmpty() && !step.checksumsFile.isEmpty()) {
        if (!copyWithChecksums(index, step, &error)) {
            say(index, error, 1);
            emit done(index, m_cancelled->load() ? StepExit::Cancelled : StepExit::Failed, error);
            return;
        }
    } else if (!step.backupDir.isEmpty()) {
        int files = 0;
        for (const QString &rel : step.paths) {
            if (m_cancelled->load()) {
                emit done(index, StepExit::Cancelled, QStringLiteral("cancelled while copying"));
                return;
            }
            const QString from = base.absoluteFilePath(rel);
            if (!QFileInfo::exists(from))
                continue; // already gone: nothing to keep
            if (!copyPath(from, QDir(step.backupDir).absoluteFilePath(rel), &files, &error)) {
                say(index, error, 1);
                emit done(index, StepExit::Failed, error);
                return;
            }
        }
        say(index, QStringLiteral("copied %1 file(s) to %2").arg(QString::number(files), step.backupDir));
    }
    if (step.remove) {
        // Every path first: only inside the base folder, and not through a symlinked folder (the
        // canonical parent must lie under the canonical base). One bad path and nothing is deleted.
        const QString canonicalBase = QFileInfo(base.absolutePath()).canonicalFilePath();
        for (const QString &rel : step.paths) {
            const QString parent = QFileInfo(base.absoluteFilePath(rel)).absoluteDir().canonicalPath();
            const bool inside = parent.isEmpty() // a missing folder: nothing there to delete
                || parent == canonicalBase || parent.startsWith(canonicalBase + QLatin1Char('/'));
            if (QDir::isAbsolutePath(rel) || rel.split(QLatin1Char('/')).contains(QStringLiteral("..")) || !inside) {
                error = QStringLiteral("refusing to delete %1: it is outside %2").arg(rel, step.baseDir);
                say(index, error, 1);
                emit done(index, StepExit::Failed, error);
                return;
            }
        }
        int removed = 0;
        for (const QString &rel : step.paths) {
            if (m_cancelled->load()) {
                emit done(index, StepExit::Cancelled,
                          QStringLiteral("cancelled after deleting %1 path(s)").arg(removed));
                return;
            }
            const QString path = base.absoluteFilePath(rel);
            const QFileInfo info(path);
            if (!info.exists() && !info.isSymLink())
                continue;

            const bool ok = (info.isDir() && !info.isSymLink()) ? QDir(path).removeRecursively()
                                                                : QFile::remove(path);
            if (!ok) {
                error = QStringLiteral("cannot delete %1").arg(path);
                say(index, error, 1);
                emit done(index, StepExit::Failed, error);
                return;
            }
            ++removed;
        }
        say(index, QStringLiteral("deleted %1 path(s) under %2").arg(QString::number(removed), step.baseDir));
    }
    emit done(index, 0, QString());
}

// Copies file by file so each copy's SHA-256 can be compared with its source (backup) or with
// the recorded one (restore) before the step reports success.
bool StepWorker::copyWithChecksums(int index, const FileStep &step, QString *error)
{
    const QDir base(step.baseDir);
    const QDir target(step.backupDir);
    QJsonObject expected;
    if (step.verifyChecksums) {
        QFile file(step.checksumsFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the checksums %1: %2").arg(step.checksumsFile, file.errorString());
            return false;
        }
        expected = QJsonDocument::fromJson(file.readAll()).object();
    }
    QJsonObject sums;
    int files = 0;
    for (const QString &rel : step.paths) {
        for (const QString &fileRel : filesUnder(base, rel)) {
            if (m_cancelled->load()) {
                *error = QStringLiteral("cancelled while copying");
                return false;
            }
            const QString from = base.absoluteFilePath(fileRel);
            const QString to = target.absoluteFilePath(fileRel);
            int copied = 0;
            if (!copyPath(from, to, &copied, error))
                return false;
            const QByteArray sum = FileChecksum::sha256(to, error);
            if (sum.isEmpty())
                return false;
            if (step.verifyChecksums) {
                const QString want = expected.value(fileRel).toString();
                if (want.isEmpty()) {
                    *error = QStringLiteral("%1 has no recorded checksum in %2").arg(fileRel, step.checksumsFile);
                    return false;
                }
                if (want != QString::fromLatin1(sum)) {
                    *error = QStringLiteral("%1 does not match its recorded SHA-256").arg(to);
                    return false;
                }
            } else if (FileChecksum::sha256(from, error) != sum) {
                *error = QStringLiteral("the copy of %1 differs from the original").arg(from);
                return false;
            }
            sums.insert(fileRel, QString::fromLatin1(sum));
            files += copied;
        }
    }
    if (step.verifyChecksums) {
        say(index, QStringLiteral("copied %1 file(s) to %2, every SHA-256 matches")
                       .arg(QString::number(files), step.backupDir));
        return true;
    }
    if (!writeJson(step.checksumsFile, QJsonDocument(sums), error))
        return false;
    say(index, QStringLiteral("copied %1 file(s) to %2 with their SHA-256")
                   .arg(QString::number(files), step.backupDir));
    return true;
}

void StepWorker::runCall(int index, const CallStep &step)
{
    const CurrentWorker current(this);
    CallContext context;
    context.say = [this, index](const QString &line) { say(index, line); };
    const std::atomic_bool *cancelled = m_cancelled;
    context.cancelled = [cancelled] { return cancelled->load(); };
    QString error = step.run ? step.run(context) : QStringLiteral("the step has nothing to run");
    if (!error.isEmpty()) {
        say(index, error, 1);
        emit done(index, m_cancelled->load() ? StepExit::Cancelled : StepExit::Failed, error);
        return;
    }
    emit done(index, 0, QString());
}

void StepWorker::runPreflight(const RunPreflight &preflight, const Plan &plan,
                              const QProcessEnvironment &environment, int fromStep)
{
    const CurrentWorker current(this);
    emit preflightDone(preflight.check(plan, environment, fromStep));
}
