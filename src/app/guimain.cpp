#include "cli/commandregistry.h"
#include "console/outputchannel.h"
#include "gui/consolewidget.h"
#include "demo/demosandbox.h"
#include "gui/mainwindow.h"
#include "platform/unixsignalnotifier.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFutureWatcher>
#include <QIcon>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>
#include <QtConcurrent>

namespace {

// MIGRATIONDESK_EXIT_AFTER_PAINT=1: quit as soon as the window has painted once, so the
// startup benchmark can time "cold start to a painted window" from outside.
class ExitAfterFirstPaint : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_done = false;
};

} // namespace

int runGui(int, char **)
{
    // The installed theme's icon (hicolor, or the user's theme) first; the bundled SVG otherwise.
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("migrationdesk"),
                                                 QIcon(QStringLiteral(":/icons/migrationdesk.svg"))));
    QApplication::setDesktopFileName(QStringLiteral("io.github.migrationdesk.migrationdesk"));
    // --help and --version were answered before the QApplication (src/app/main.cpp).
    QCommandLineParser parser;
    parser.setApplicationDescription(CommandRegistry::guiDescription());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(CommandRegistry::guiOptions());
    parser.process(*qApp);

    MainWindow window;
    if (qEnvironmentVariableIntValue("MIGRATIONDESK_EXIT_AFTER_PAINT") == 1)
        window.installEventFilter(new ExitAfterFirstPaint(&window));
    window.show();

    // A SIGTERM or Ctrl+C in the terminal cancels a running operation (no question: nobody may
    // be at the screen) and closes the window, so the demo server is stopped, not left behind.
    UnixSignalNotifier termination({SIGINT, SIGTERM, SIGHUP});
    QObject::connect(&termination, &UnixSignalNotifier::received, &window, &MainWindow::quitWithoutAsking);

    if (parser.isSet(QStringLiteral("demo"))) {
        // initdb and migrate take seconds: the window paints first, the console tells progress.
        auto *sandbox = new DemoSandbox;
        const bool reset = parser.isSet(QStringLiteral("reset"));
        QPointer<MainWindow> target(&window);
        auto report = [target](const QString &message) {
            QMetaObject::invokeMethod(qApp, [target, message] {
                if (target)
                    target->console()->appendMessage(message);
            }, Qt::QueuedConnection);
        };
        auto *watcher = new QFutureWatcher<DemoSandbox::Result>(&window);
        QObject::connect(watcher, &QFutureWatcher<DemoSandbox::Result>::finished, &window, [watcher, &window] {
            const DemoSandbox::Result result = watcher->result();
            if (result.ok() && !window.hasProject()) // the user may have opened their own by now
                window.openProject(result.projectDir);
            else if (result.ok())
                window.console()->appendMessage(QObject::tr("Demo ready: open %1 to see it.").arg(result.projectDir));
            else {
                window.console()->appendMessage(result.error, MessageLevel::Error);
                // Nobody may be looking at the console yet: a demo that cannot start says why.
                auto *box = new QMessageBox(QMessageBox::Warning, QObject::tr("The demo cannot start"), result.error,
                                            QMessageBox::Ok, &window);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->setInformativeText(QObject::tr("migrationdesk --demo --reset builds it again from scratch."));
                box->open();
            }
        });
        watcher->setFuture(QtConcurrent::run([sandbox, report, reset] {
            if (reset) {
                report(QObject::tr("Removing the previous demo (--reset) …"));
                QString error;
                if (!sandbox->reset(&error))
                    return DemoSandbox::Result{{}, error};
            }
            return sandbox->prepare(report);
        }));
        // The demo server lives as long as the window: no PostgreSQL left behind.
        QObject::connect(qApp, &QCoreApplication::aboutToQuit, [sandbox, watcher] {
            watcher->waitForFinished();
            sandbox->stop();
            delete sandbox;
        });
    } else if (parser.isSet(QStringLiteral("project"))) {
        window.openProject(parser.value(QStringLiteral("project")));
    }
    return QApplication::exec();
}
