// One binary: the window by default, headless commands when the first argument names one.
#include "cli/backupcommand.h"
#include "cli/doctorcommand.h"
#include "cli/runcommand.h"
#include "cli/statuscommand.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstring>

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("MigrationDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MIGRATIONDESK_VERSION));
}

bool isHeadlessCommand(const char *arg)
{
    for (const char *name : {"status", "run", "doctor", "backups", "restore"}) {
        if (std::strcmp(arg, name) == 0)
            return true;
    }
    return false;
}

} // namespace

int runGui(int argc, char **argv); // gui entry, src/app/guimain.cpp

int main(int argc, char **argv)
{
    if (argc > 1 && isHeadlessCommand(argv[1])) {
        // No display needed: a QCoreApplication never touches the platform plugin.
        QCoreApplication app(argc, argv);
        setIdentity();
        QStringList arguments = app.arguments().mid(2);
        const QString command = QString::fromLocal8Bit(argv[1]);
        if (command == QLatin1String("status"))
            return runStatusCommand(arguments);
        if (command == QLatin1String("doctor"))
            return runDoctorCommand(arguments);
        if (command == QLatin1String("backups"))
            return runBackupsCommand(arguments);
        if (command == QLatin1String("restore"))
            return runRestoreCommand(arguments);
        return runOperationCommand(arguments);
    }
    QApplication app(argc, argv);
    setIdentity();
    return runGui(argc, argv);
}
