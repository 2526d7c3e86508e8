// One binary: the window by default, headless commands when the first argument names one.
// Only the window creates a QApplication: help, version and every command run without a display.
#include "cli/commandregistry.h"
#include "cli/graphcommand.h"
#include "cli/terminalrun.h"
#include "gui/graphexport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstring>

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("MigrationDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MIGRATIONDESK_VERSION));
}

bool isHelpOrVersion(const char *arg)
{
    for (const char *name : {"-h", "--help", "-?", "--help-all", "-v", "--version"}) {
        if (std::strcmp(arg, name) == 0)
            return true;
    }
    return false;
}

// The window's parser on a QCoreApplication: answers --help and --version, and refuses what the
// window would refuse, without a display. Returns -1 when the window should open.
int answerWithoutWindow(int argc, char **argv)
{
    bool helpOrVersion = false;
    for (int i = 1; i < argc && !helpOrVersion; ++i)
        helpOrVersion = isHelpOrVersion(argv[i]);
    const bool unknownCommand = argc > 1 && argv[1][0] != '-';
    if (!helpOrVersion && !unknownCommand)
        return -1;
    QCoreApplication app(argc, argv);
    setIdentity();
    if (unknownCommand) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk: no command \"%1\" (see migrationdesk --help)\n")
                                       .arg(QString::fromLocal8Bit(argv[1])));
        return 2;
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(CommandRegistry::guiDescription());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(CommandRegistry::guiOptions());
    if (!parser.parse(app.arguments())) {
        TerminalRun::print(stderr, QStringLiteral("migrationdesk: %1\n").arg(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        TerminalRun::print(stdout, QStringLiteral("migrationdesk %1\n").arg(QCoreApplication::applicationVersion()));
        return 0;
    }
    TerminalRun::print(stdout, CommandRegistry::overviewText(CommandRegistry::helpText(parser, QString())));
    return 0;
}

// QApplication aborts (exit 134) when no platform plugin can start: say why, and what works.
bool hasDisplay(int argc, char **argv)
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-platform") == 0)
            return true;
    }
    return false;
}

} // namespace

int runGui(int argc, char **argv); // gui entry, src/app/guimain.cpp

int main(int argc, char **argv)
{
    if (argc > 1) {
        if (const CliCommand *command = CommandRegistry::find(QString::fromLocal8Bit(argv[1]))) {
            if (command->drawsPictures) {
                // Fonts and a paint device, but never a window: the offscreen platform.
                if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                    qputenv("QT_QPA_PLATFORM", "offscreen");
                QApplication app(argc, argv);
                setIdentity();
                GraphCommand::setRenderer(&GraphExport::render);
                return command->run(app.arguments().mid(2));
            }
            // No display needed: a QCoreApplication never touches the platform plugin.
            QCoreApplication app(argc, argv);
            setIdentity();
            return command->run(app.arguments().mid(2));
        }
    }
    if (const int code = answerWithoutWindow(argc, argv); code >= 0)
        return code;
    if (!hasDisplay(argc, argv)) {
        std::fputs("migrationdesk: no display (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot "
                   "open.\nThe commands work without one: migrationdesk --help\n",
                   stderr);
        return 2;
    }
    QApplication app(argc, argv);
    setIdentity();
    return runGui(argc, argv);
}
