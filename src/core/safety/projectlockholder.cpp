#include "safety/projectlockholder.h"

#include <QPointer>
#include <QThread>

ProjectLockHolder::ProjectLockHolder(QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new QObject), m_lock(std::make_unique<ProjectLock>())
{
    qRegisterMetaType<ProjectLock::Result>("ProjectLock::Result");
    m_thread->setObjectName(QStringLiteral("ProjectLock"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

ProjectLockHolder::~ProjectLockHolder()
{
    ProjectLock *lock = m_lock.get();
    QMetaObject::invokeMethod(m_worker, [lock] { lock->release(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void ProjectLockHolder::acquire(const ProjectConfig &config)
{
    const quint64 request = ++m_request;
    ProjectLock *lock = m_lock.get();
    QPointer<ProjectLockHolder> self(this);
    QMetaObject::invokeMethod(m_worker, [self, lock, config, request] {
        lock->release();
        const ProjectLock::Result result = lock->acquire(config);
        const QString message = result == ProjectLock::Result::AcquiredFileOnly ? lock->warning() : lock->error();
        QMetaObject::invokeMethod(self, [self, result, message, request] {
            if (self && request == self->m_request)
                emit self->acquired(result, message);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void ProjectLockHolder::release()
{
    ++m_request;
    ProjectLock *lock = m_lock.get();
    QMetaObject::invokeMethod(m_worker, [lock] { lock->release(); }, Qt::QueuedConnection);
}
