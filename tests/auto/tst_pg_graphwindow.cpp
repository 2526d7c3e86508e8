// The Graph tab inside the main window: a node selected in the graph selects its row in the
// status table and a row selected in the table selects its node; the node menu's operations go
// the way the table's do (the Operations panel's preview, nothing run without it).
#include "gui/docklayout.h"
#include "gui/graphpanel.h"
#include "gui/mainwindow.h"
#include "gui/migrationgraphview.h"
#include "gui/migrationtablemodel.h"
#include "gui/operationspanel.h"
#include "gui/planpreviewdialog.h"
#include "guitestsupport.h"
#include "testbed.h"

#include <QDockWidget>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <memory>

namespace {

QString currentKey(MainWindow &window)
{
    const QModelIndex index = window.tableView()->currentIndex();
    return index.data(MigrationTableModel::AppRole).toString() + QLatin1Char('.')
        + index.data(MigrationTableModel::NameRole).toString();
}

QModelIndex rowOf(MainWindow &window, const QString &key)
{
    const QAbstractItemModel *model = window.tableView()->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        if (index.data(MigrationTableModel::AppRole).toString() + QLatin1Char('.')
                + index.data(MigrationTableModel::NameRole).toString()
            == key)
            return index;
    }
    return {};
}

} // namespace

class TestPgGraphWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid() && m_state.isValid());
        QVERIFY2(TestBed::available(), "the PostgreSQL test fixture is not running");
        m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("graphwindow"));
        QVERIFY2(m_project.ok(), qPrintable(m_project.error));
    }

    void graphAndTableFollowEachOtherAndTheMenuPreviews()
    {
        MainWindow window;
        QVERIFY(GuiTest::openAndLoad(window, m_project.config, GuiTest::kScreenshotSize));
        GraphPanel *graph = window.graphPanel();
        auto *dock = qobject_cast<QDockWidget *>(graph->parentWidget());
        QVERIFY(dock);
        DockLayout::raise(dock);
        MigrationGraphView *view = graph->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->nodeCount() > 0 && !view->isBuilding(), GuiTest::kLoadTimeoutMs);

        QStringList withFile;
        for (const MigrationGraphView::Node &n : view->nodes()) {
            if (n.hasFile && n.summarisedRows == 0)
                withFile << n.key;
        }
        QVERIFY2(withFile.size() >= 2, qPrintable(withFile.join(QLatin1Char(','))));

        // Graph → table: search centres on a node and selects it; the table's row follows.
        const QString first = withFile.constFirst();
        QCOMPARE(graph->view()->findAndCentre(first), first);
        QTRY_COMPARE(currentKey(window), first);

        // Table → graph.
        const QString second = withFile.constLast();
        const QModelIndex row = rowOf(window, second);
        QVERIFY(row.isValid());
        window.tableView()->setCurrentIndex(row);
        QTRY_COMPARE(view->selectedMigration(), second);

        // The node menu's "Show Its SQL" opens the Operations panel's preview of sqlmigrate.
        std::unique_ptr<QMenu> menu(view->createNodeMenu(second));
        QVERIFY(menu);
        QAction *sql = nullptr;
        for (QAction *a : menu->actions())
            sql = a->text() == QStringLiteral("Show Its SQL (sqlmigrate)") ? a : sql;
        QVERIFY(sql);
        sql->trigger();
        OperationsPanel *panel = window.operationsPanel();
        QTRY_VERIFY(panel->previewDialog() && panel->previewDialog()->isVisible());
        PlanPreviewDialog *preview = panel->previewDialog();
        QTRY_VERIFY(preview->runButton()->isEnabled()); // the plan is read off the GUI thread
        const QString plan = preview->planText();
        const QString app = second.section(QLatin1Char('.'), 0, 0), name = second.section(QLatin1Char('.'), 1);
        QVERIFY2(plan.contains(QStringLiteral("manage.py sqlmigrate %1 %2").arg(app, name)), qPrintable(plan));
        panel->previewDialog()->reject();
        QTRY_VERIFY(!panel->previewDialog() || !panel->previewDialog()->isVisible());
    }

    void cleanupTestCase()
    {
        if (!m_project.dbName.isEmpty())
            TestBed::dropDatabase(m_project.dbName);
    }

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
    TestBed::MigratedProject m_project;
};

QTEST_MAIN(TestPgGraphWindow)
#include "tst_pg_graphwindow.moc"
