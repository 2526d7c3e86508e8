#pragma once

// What the GUI tests share (library migrationdesk_guitest, linked by every test that is not
// GUILESS): state kept away from the user's, a window opened on a project and loaded, a run
// waited for, the table read as the user sees it.

#include "plan/runresult.h"
#include "project/projectconfig.h"

#include <QMap>
#include <QSize>
#include <QString>
#include <QTemporaryDir>

class MainWindow;
class QSignalSpy;
class QTableView;
class QWidget;

namespace GuiTest {

inline constexpr int kLoadTimeoutMs = 30000;
inline constexpr int kRunTimeoutMs = 180000;

// Saved settings, recent projects, window geometry (QSettings, native and INI), the standard
// paths (test mode) and the state folder (MIGRATIONDESK_STATE_DIR: logs, journals, backups) of
// this test process, all in a fresh temporary folder for as long as the object lives.
// Create it in initTestCase() (a member of the test object).
class IsolatedState
{
public:
    IsolatedState();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QString stateDir() const; // MIGRATIONDESK_STATE_DIR

private:
    QTemporaryDir m_dir;
};

// The outcome of a status load the window was waited for.
enum class Load { Ok, Failed, NoAnswer };

// The window size the operations tests' screenshots are taken at.
inline constexpr QSize kScreenshotSize{1300, 850};

// Shows window (at size, when given), opens config (MainWindow::openConfig) and waits for its
// first status load.
Load openAndWait(MainWindow &window, const ProjectConfig &config, const QSize &size = QSize());
// The same, true only when the status loaded.
bool openAndLoad(MainWindow &window, const ProjectConfig &config, const QSize &size = QSize());
// Waits until loaded (a spy on MainWindow::statusLoaded made before the load began) has a
// result and no load runs any more.
bool waitForLoad(MainWindow &window, QSignalSpy &loaded, int timeoutMs = kLoadTimeoutMs);

// Waits for the plan running in window's controller to end; false when none runs or it does not
// end in time. result gets the RunResult.
bool waitForRunEnd(MainWindow &window, RunResult *result = nullptr, int timeoutMs = kRunTimeoutMs);

// "app.name" → state text of every row the view shows (through its filters).
QMap<QString, QString> viewStates(const QTableView *view);

// With MIGRATIONDESK_SCREENSHOT_DIR set (a real display, e.g. under xvfb-run): saves what
// widget shows as DIR/name (".png" added when name has no suffix), after the console rendered.
void screenshot(QWidget *widget, const QString &name);

} // namespace GuiTest
