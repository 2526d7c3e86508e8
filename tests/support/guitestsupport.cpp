#include "guitestsupport.h"

#include "gui/mainwindow.h"
#include "gui/migrationtablemodel.h"
#include "gui/operationcontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

namespace GuiTest {

IsolatedState::IsolatedState()
{
    if (!m_dir.isValid())
        return;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationDeskTest"));
    qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(stateDir()));
}

QString IsolatedState::stateDir() const
{
    return m_dir.filePath(QStringLiteral("state"));
}

Load openAndWait(MainWindow &window, const ProjectConfig &config, const QSize &size)
{
    if (size.isValid())
        window.resize(size);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    window.openConfig(config);
    if (!waitForLoad(window, loaded))
        return Load::NoAnswer;
    return loaded.first().first().toBool() ? Load::Ok : Load::Failed;
}

bool openAndLoad(MainWindow &window, const ProjectConfig &config, const QSize &size)
{
    return openAndWait(window, config, size) == Load::Ok;
}

bool waitForLoad(MainWindow &window, QSignalSpy &loaded, int timeoutMs)
{
    if (loaded.isEmpty() && !loaded.wait(timeoutMs))
        return false;
    return !window.isLoading();
}

bool waitForRunEnd(MainWindow &window, RunResult *result, int timeoutMs)
{
    OperationController *controller = window.operations();
    QSignalSpy finished(controller, &OperationController::runFinished);
    if (!controller->isRunning() || !finished.wait(timeoutMs))
        return false;
    if (result)
        *result = finished.first().first().value<RunResult>();
    return true;
}

QMap<QString, QString> viewStates(const QTableView *view)
{
    QMap<QString, QString> states;
    const QAbstractItemModel *model = view->model();
    for (int r = 0; r < model->rowCount(); ++r)
        states.insert(model->index(r, 0).data(MigrationTableModel::KeyRole).toString(),
                      model->index(r, MigrationTableModel::State).data().toString());
    return states;
}

void screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MIGRATIONDESK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300); // let the console render its queued output
    QDir().mkpath(dir);
    const QString file = dir + QLatin1Char('/') + name;
    widget->grab().save(QFileInfo(name).suffix().isEmpty() ? file + QStringLiteral(".png") : file);
}

} // namespace GuiTest
