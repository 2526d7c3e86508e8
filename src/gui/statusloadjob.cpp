#include "statusloadjob.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

StatusLoadJob::StatusLoadJob(QObject *parent)
    : QObject(parent)
{
}

quint64 StatusLoadJob::start(const ProjectConfig &config)
{
    const quint64 id = ++m_latest;
    auto *watcher = new QFutureWatcher<StatusResult>(this);
    // The watcher is our child: if we are destroyed first, the connection goes with it and the
    // worker's result is simply discarded.
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        if (id != m_latest)
            return; // stale: a newer load was started or this one was cancelled
        const StatusResult result = watcher->result();
        m_running = false;
        emit runningChanged(false);
        emit finished(result);
    });
    watcher->setFuture(QtConcurrent::run([config] { return StatusLoader::load(config); }));
    if (!m_running) {
        m_running = true;
        emit runningChanged(true);
    }
    return id;
}

void StatusLoadJob::cancel()
{
    ++m_latest;
    if (m_running) {
        m_running = false;
        emit runningChanged(false);
    }
}
