#include "safety/runjournal.h"

#include "engine/operationlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <csignal>

bool JournalEntry::interrupted() const
{
    if (state != QLatin1String("running"))
        return false;
    if (pid <= 0)
        return true;
    // The writer is gone (ESRCH) or is another program now: it cannot still be running the plan.
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

int JournalEntry::resumeFrom() const
{
    for (int i = firstStep; i < steps.size(); ++i) {
        if (!done.contains(i))
            return i;
    }
    return int(steps.size());
}

QString JournalEntry::summary() const
{
    const int next = resumeFrom();
    QString text = QStringLiteral("%1: %2 of %3 step(s) done").arg(title, QString::number(done.size()),
                                                                 QString::number(steps.size()));
    if (next < steps.size()) {
        const QString what = interrupted() ? QStringLiteral("was running when MigrationDesk stopped")
                                           : QStringLiteral("did not finish (%1)").arg(state);
        text += QStringLiteral("; step %1 (%2) %3").arg(QString::number(next + 1), steps.at(next), what);
    }
    return text + QLatin1Char('.');
}

QString Journal::folderForProject(const QString &projectRoot)
{
    return QFileInfo(OperationLog::pathForProject(projectRoot)).absolutePath() + QStringLiteral("/journal");
}

QString Journal::pathFor(const QString &projectRoot, const QString &planId)
{
    QString safe = planId;
    for (QChar &c : safe) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    return folderForProject(projectRoot) + QLatin1Char('/') + safe + QStringLiteral(".json");
}

namespace {

QJsonObject progressObject(const JournalEntry &entry)
{
    QJsonArray done;
    for (int i : entry.done)
        done.append(i);
    return QJsonObject{
        {QStringLiteral("done"), done},
        {QStringLiteral("current"), entry.current},
        {QStringLiteral("state"), entry.state},
        {QStringLiteral("message"), entry.message},
        {QStringLiteral("updated"), entry.updated.toString(Qt::ISODateWithMs)},
    };
}

} // namespace

JournalEntry Journal::read(const QString &path)
{
    JournalEntry entry;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return entry;
    const QByteArray bytes = file.readAll();
    // One header line with the whole entry, then one line per update whose keys replace the
    // header's. A line cut short by a kill is skipped: the one before it still holds.
    QJsonObject o;
    QJsonParseError parseError;
    const QJsonDocument whole = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error == QJsonParseError::NoError && whole.isObject()) {
        o = whole.object(); // a single document (also the indented files of earlier versions)
    } else {
        for (const QByteArray &line : bytes.split('\n')) {
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (!doc.isObject())
                continue;
            const QJsonObject update = doc.object();
            for (auto i = update.constBegin(); i != update.constEnd(); ++i)
                o.insert(i.key(), i.value());
        }
    }
    entry.path = path;
    entry.planId = o.value(QStringLiteral("planId")).toString();
    entry.title = o.value(QStringLiteral("title")).toString();
    entry.projectRoot = o.value(QStringLiteral("projectRoot")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("steps")).toArray())
        entry.steps << v.toString();
    for (const QJsonValue &v : o.value(QStringLiteral("done")).toArray())
        entry.done << v.toInt();
    entry.current = o.value(QStringLiteral("current")).toInt(-1);
    entry.firstStep = o.value(QStringLiteral("firstStep")).toInt(0);
    entry.state = o.value(QStringLiteral("state")).toString();
    entry.message = o.value(QStringLiteral("message")).toString();
    entry.backupDir = o.value(QStringLiteral("backupDir")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("inputs")).toArray())
        entry.inputs << v.toString();
    entry.pid = o.value(QStringLiteral("pid")).toInteger();
    entry.started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    entry.updated = QDateTime::fromString(o.value(QStringLiteral("updated")).toString(), Qt::ISODateWithMs);
    return entry;
}

bool Journal::write(const JournalEntry &entry, QString *error)
{
    QJsonArray steps;
    for (const QString &s : entry.steps)
        steps.append(s);
    QJsonObject o = progressObject(entry);
    o.insert(QStringLiteral("planId"), entry.planId);
    o.insert(QStringLiteral("title"), entry.title);
    o.insert(QStringLiteral("projectRoot"), entry.projectRoot);
    o.insert(QStringLiteral("steps"), steps);
    o.insert(QStringLiteral("firstStep"), entry.firstStep);
    if (!entry.backupDir.isEmpty())
        o.insert(QStringLiteral("backupDir"), entry.backupDir);
    if (!entry.inputs.isEmpty())
        o.insert(QStringLiteral("inputs"), QJsonArray::fromStringList(entry.inputs));
    o.insert(QStringLiteral("pid"), entry.pid);
    o.insert(QStringLiteral("started"), entry.started.toString(Qt::ISODateWithMs));
    QDir().mkpath(QFileInfo(entry.path).absolutePath());
    QSaveFile file(entry.path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write the journal %1: %2").arg(entry.path, file.errorString());
        return false;
    }
    return true;
}

bool Journal::update(const JournalEntry &entry, QString *error)
{
    QFile file(entry.path);
    if (!file.exists())
        return write(entry, error); // removed under us: start it again whole
    const QByteArray line = QJsonDocument(progressObject(entry)).toJson(QJsonDocument::Compact) + '\n';
    // One write() of a short line with O_APPEND: a kill leaves it whole or not there at all.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append) || file.write(line) != line.size()) {
        if (error)
            *error = QStringLiteral("cannot write the journal %1: %2").arg(entry.path, file.errorString());
        return false;
    }
    return true;
}

QList<JournalEntry> Journal::unfinished(const QString &projectRoot)
{
    QList<JournalEntry> entries;
    const QDir dir(folderForProject(projectRoot));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    for (const QString &name : files) {
        JournalEntry entry = read(dir.filePath(name));
        if (entry.isNull() || entry.state == QLatin1String("succeeded"))
            continue;
        if (entry.state == QLatin1String("running") && !entry.interrupted())
            continue; // another live instance is running it
        if (!entry.steps.isEmpty() && entry.resumeFrom() >= entry.steps.size())
            continue; // stopped after its last step: nothing is left undone
        entries << entry;
    }
    std::sort(entries.begin(), entries.end(),
              [](const JournalEntry &a, const JournalEntry &b) { return a.updated > b.updated; });
    return entries;
}

QList<JournalEntry> Journal::unfinished(const ProjectConfig &config)
{
    return unfinished(config.root);
}

bool Journal::discard(const QString &projectRoot, const QString &planId)
{
    return QFile::remove(pathFor(projectRoot, planId));
}
