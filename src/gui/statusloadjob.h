#pragma once

#include "project/projectconfig.h"
#include "status/statusloader.h"

#include <QObject>

// Runs StatusLoader::load on the thread pool (it blocks on the database) and hands the result
// back on the GUI thread. Every start() gets a new id; only the latest job's result is
// delivered, so a project switched while a load runs never shows the old project's rows.
class StatusLoadJob : public QObject
{
    Q_OBJECT
public:
    explicit StatusLoadJob(QObject *parent = nullptr);

    bool isRunning() const { return m_running; }
    quint64 currentId() const { return m_latest; }

    // Starts a load, superseding any running one. Returns the new job's id.
    quint64 start(const ProjectConfig &config);
    // Forgets the running job: it finishes in the pool, its result is dropped.
    void cancel();

signals:
    void runningChanged(bool running);
    void finished(const StatusResult &result);

private:
    quint64 m_latest = 0;
    bool m_running = false;
};
