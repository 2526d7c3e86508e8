#pragma once

#include <QList>
#include <QObject>

#include <csignal>

class QSocketNotifier;

// Turns Unix signals (Ctrl+C, SIGTERM from a session manager) into a Qt signal on the event
// loop: the handler only writes a byte to a pipe, which is async-signal-safe. One instance at a
// time; the previous handlers come back when it is destroyed.
class UnixSignalNotifier : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalNotifier(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalNotifier() override;

signals:
    void received(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
    QList<int> m_signals;
    QList<struct sigaction> m_previous;
};
