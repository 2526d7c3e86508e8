#include "platform/unixsignalnotifier.h"

#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace {
int s_pipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const int saved = errno;
    const char byte = char(signalNumber);
    [[maybe_unused]] const auto n = ::write(s_pipe[1], &byte, 1);
    errno = saved;
}
} // namespace

UnixSignalNotifier::UnixSignalNotifier(const QList<int> &signalNumbers, QObject *parent)
    : QObject(parent)
{
    Q_ASSERT_X(s_pipe[0] < 0, "UnixSignalNotifier", "only one instance at a time");
    if (::pipe(s_pipe) != 0)
        return;
    for (int fd : s_pipe) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
    }
    m_notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        char buffer[16];
        qsizetype n = 0;
        while ((n = ::read(s_pipe[0], buffer, sizeof buffer)) > 0) {
            for (qsizetype i = 0; i < n; ++i)
                emit received(int(buffer[i]));
        }
    });
    for (int signalNumber : signalNumbers) {
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        struct sigaction previous = {};
        if (::sigaction(signalNumber, &action, &previous) == 0) {
            m_signals << signalNumber;
            m_previous << previous;
        }
    }
}

UnixSignalNotifier::~UnixSignalNotifier()
{
    for (int i = 0; i < m_signals.size(); ++i)
        ::sigaction(m_signals.at(i), &m_previous.at(i), nullptr);
    delete m_notifier;
    for (int &fd : s_pipe) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}
