// The dock keys: Ctrl+J / Ctrl+D / Ctrl+B bring a dock tabbed behind another to the front, and
// hide only the one in front; the View menu's toggles stay plain toggles.
#include "gui/docklayout.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QtTest>

class TestDockLayout : public QObject
{
    Q_OBJECT
private slots:
    void keyBringsTabBehindToFront_data();
    void keyBringsTabBehindToFront();
    void menuToggleStillToggles();
};

namespace {

bool inFront(const QDockWidget *dock)
{
    return dock->isVisible() && !dock->visibleRegion().isEmpty();
}

struct Window
{
    Window() : layout(&window, window.menuBar()->addMenu(QStringLiteral("View")), new QWidget)
    {
        window.resize(900, 600);
        window.show();
        window.activateWindow();
    }
    QMainWindow window;
    DockLayout layout;
};

} // namespace

void TestDockLayout::keyBringsTabBehindToFront_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("dockIndex"); // 0 console (behind the graph), 1 doctor, 2 backups
    QTest::addRow("Ctrl+J console") << int(Qt::Key_J) << 0;
    QTest::addRow("Ctrl+D doctor") << int(Qt::Key_D) << 1;
    QTest::addRow("Ctrl+B backups") << int(Qt::Key_B) << 2;
}

void TestDockLayout::keyBringsTabBehindToFront()
{
    QFETCH(int, key);
    QFETCH(int, dockIndex);
    Window w;
    QVERIFY(QTest::qWaitForWindowActive(&w.window));
    QDockWidget *dock = dockIndex == 0 ? w.layout.consoleDock() : dockIndex == 1 ? w.layout.doctorDock() : w.layout.backupsDock();
    if (dockIndex == 0)
        DockLayout::raise(w.layout.graphDock()); // the console tabbed behind the graph
    DockLayout::raise(w.layout.operationsDock());
    QTRY_VERIFY(!inFront(dock));
    QVERIFY(dock->toggleViewAction()->isChecked()); // open, only behind

    QTest::keyClick(&w.window, Qt::Key(key), Qt::ControlModifier);
    QTRY_VERIFY(inFront(dock));
    QVERIFY(dock->toggleViewAction()->isChecked());

    QTest::keyClick(&w.window, Qt::Key(key), Qt::ControlModifier); // in front: the key hides it
    QTRY_VERIFY(dock->isHidden());
    QVERIFY(!dock->toggleViewAction()->isChecked());

    QTest::keyClick(&w.window, Qt::Key(key), Qt::ControlModifier); // closed: back, in front
    QTRY_VERIFY(inFront(dock));
}

void TestDockLayout::menuToggleStillToggles()
{
    Window w;
    QVERIFY(QTest::qWaitForWindowExposed(&w.window));
    QDockWidget *doctor = w.layout.doctorDock();
    QCOMPARE(doctor->toggleViewAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D)); // listed by the menu and F1
    doctor->toggleViewAction()->trigger();
    QTRY_VERIFY(doctor->isHidden());
    doctor->toggleViewAction()->trigger();
    QTRY_VERIFY(!doctor->isHidden());
}

QTEST_MAIN(TestDockLayout)
#include "tst_docklayout.moc"
