#pragma once

#include "project/projectconfig.h"
#include "safety/projectlock.h"

#include <QObject>

#include <memory>

class QThread;

// Holds a ProjectLock for as long as a window works on a project. The lock's database
// connection must stay on one thread and acquiring can block for the connect timeout, so the
// lock lives on a small thread of its own and reports back with a signal.
class ProjectLockHolder : public QObject
{
    Q_OBJECT
public:
    explicit ProjectLockHolder(QObject *parent = nullptr);
    ~ProjectLockHolder() override; // releases (waits for the lock thread)

    // Releases any held lock, then acquires one for config. Answers with acquired().
    void acquire(const ProjectConfig &config);
    void release();

signals:
    // result: ProjectLock::Result; message: the refusal or warning, empty when all is well.
    void acquired(ProjectLock::Result result, const QString &message);

private:
    QThread *m_thread;
    QObject *m_worker;              // lives on m_thread, owns the lock
    std::unique_ptr<ProjectLock> m_lock;
    quint64 m_request = 0;          // only the latest acquire answers
};
