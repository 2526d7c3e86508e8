#include "platform/processgroup.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <sys/types.h>

bool ProcessGroup::terminate(qint64 pgid)
{
    return pgid > 0 && ::kill(pid_t(-pgid), SIGTERM) == 0;
}

bool ProcessGroup::kill(qint64 pgid)
{
    return pgid > 0 && ::kill(pid_t(-pgid), SIGKILL) == 0;
}

bool ProcessGroup::alive(qint64 pgid)
{
    if (pgid <= 0 || ::kill(pid_t(-pgid), 0) != 0)
        return false;
    // kill() also finds zombies that nobody reaped yet; only living members count.
    const QDir proc(QStringLiteral("/proc"));
    if (!proc.exists())
        return true;
    const QStringList entries = proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        QFile stat(proc.filePath(entry) + QStringLiteral("/stat"));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
        const qsizetype close = line.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() < 3)
            continue;
        if (fields.at(2).toLongLong() == pgid && fields.at(0) != "Z" && fields.at(0) != "X")
            return true;
    }
    return false;
}

void ProcessGroup::endBlocking(qint64 pgid, int graceMs, int killDeadlineMs)
{
    terminate(pgid);
    for (int waited = 0; waited < graceMs && alive(pgid); waited += 20)
        QThread::msleep(20);
    kill(pgid);
    for (int waited = 0; waited < killDeadlineMs && alive(pgid); waited += 10)
        QThread::msleep(10);
}
