#include "safety/runjournal.h"

#include "ops/operationlog.h"

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

JournalEntry Journal::read(const QString &path)
{
    JournalEntry entry;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return entry;
    const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
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
    QJsonArray done;
    for (int i : entry.done)
        done.append(i);
    const QJsonObject o{
        {QStringLiteral("planId"), entry.planId},
        {QStringLiteral("title"), entry.title},
        {QStringLiteral("projectRoot"), entry.projectRoot},
        {QStringLiteral("steps"), steps},
        {QStringLiteral("done"), done},
        {QStringLiteral("current"), entry.current},
        {QStringLiteral("firstStep"), entry.firstStep},
        {QStringLiteral("state"), entry.state},
        {QStringLiteral("message"), entry.message},
        {QStringLiteral("pid"), entry.pid},
        {QStringLiteral("started"), entry.started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("updated"), entry.updated.toString(Qt::ISODateWithMs)},
    };
    QDir().mkpath(QFileInfo(entry.path).absolutePath());
    QSaveFile file(entry.path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(o).toJson()) < 0 || !file.commit()) {
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
