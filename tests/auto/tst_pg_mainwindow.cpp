// The main window against the real test bed: a migrated Hanna-shaped fixture on the throwaway
// PostgreSQL cluster, opened through the detector and saved settings, refreshed after the
// database changed under it.
#include "gui/consolewidget.h"
#include "gui/mainwindow.h"
#include "gui/messagebanner.h"
#include "gui/migrationfilterproxy.h"
#include "gui/migrationtablemodel.h"
#include "gui/projectsettingsdialog.h"
#include "guitestsupport.h"
#include "project/projectloader.h"
#include "project/projectsettingsstore.h"
#include "testbed.h"

#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QList<QWidget *> visibleDialogs()
{
    QList<QWidget *> dialogs;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w->isVisible() && qobject_cast<QDialog *>(w))
            dialogs << w;
    }
    return dialogs;
}

} // namespace

class TestPgMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void opensProjectAndShowsReconciledRows();
    void refreshShowsOrphanAndPendingKeepingSelection();
    void wrongPasswordShowsBannerNotDialog();
    void missingHistoryTableMeansEverythingPending();
    void folderWithoutManagePy();
    void missingEnvIsAWarning();
    void settingsDialogShowsDetectedAndSavesOnlyChanges();

private:
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state; // saved settings, recent projects, window geometry, logs
    TestBed::MigratedProject m_project;
};

void TestPgMainWindow::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_state.isValid());
    QVERIFY2(TestBed::available(), "the PostgreSQL test cluster (CTest fixture pg) is not running");
    m_project = TestBed::migratedProject(m_tmp.path(), QStringLiteral("hanna crm"));
    QVERIFY2(m_project.ok(), qPrintable(m_project.error));
}

void TestPgMainWindow::opensProjectAndShowsReconciledRows()
{
    // What the user does: open the folder; the saved settings point it at the test cluster.
    ProjectOverrides overrides;
    overrides.dbHost = m_project.db.host;
    overrides.dbPort = m_project.db.port;
    overrides.dbName = m_project.db.name;
    overrides.dbUser = m_project.db.user;
    overrides.target = QStringLiteral("local");
    overrides.python = QString::fromLatin1(TestBed::kPython);
    ProjectSettingsStore::save(m_project.dir, overrides);

    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    window.openProject(m_project.dir);
    QVERIFY(GuiTest::waitForLoad(window, loaded));
    QCOMPARE(loaded.first().first().toBool(), true);
    QCOMPARE(window.config().target, TargetKind::Local);
    QCOMPARE(window.config().db.port, m_project.db.port);
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("hanna crm")));

    // The rows the view shows: every file of the project Applied, Django's own apps External.
    const QMap<QString, QString> states = GuiTest::viewStates(window.tableView());
    const QStringList files = TestBed::migrationFileKeys(TestBed::backendDir(m_project.dir));
    QVERIFY(files.size() >= 10);
    for (const QString &key : files)
        QCOMPARE(states.value(key), QStringLiteral("Applied"));
    QCOMPARE(states.value(QStringLiteral("contenttypes.0001_initial")), QStringLiteral("External"));
    QCOMPARE(states.value(QStringLiteral("auth.0001_initial")), QStringLiteral("External"));
    QCOMPARE(states.keys(QStringLiteral("Pending")), QStringList());
    QCOMPARE(states.keys(QStringLiteral("Orphan")), QStringList());
    const QStringList rows = TestBed::queryStrings(m_project.db, QStringLiteral("SELECT count(*) FROM django_migrations"));
    QCOMPARE(states.size(), rows.value(0).toInt()); // every row has its file or is External

    QVERIFY(window.countsLabel()->accessibleName().contains(QStringLiteral("Applied %1").arg(files.size())));
    QVERIFY(!window.loadBanner()->isVisible());
    // Not a single dialog, and the password appears nowhere.
    QVERIFY(visibleDialogs().isEmpty());
    // The console renders in batches from a timer: wait for it.
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("django_migrations")));
    QVERIFY(!window.console()->plainText().contains(m_project.db.password));
    QVERIFY(ProjectSettingsStore::recentProjects().contains(m_project.dir));

    // History mode: applied rows only, in applied order.
    window.historyAction()->trigger();
    const QAbstractItemModel *view = window.tableView()->model();
    QCOMPARE(view->rowCount(), rows.value(0).toInt());
    for (int r = 1; r < view->rowCount(); ++r)
        QVERIFY(view->index(r - 1, 0).data(MigrationTableModel::AppliedRole).toDateTime()
                <= view->index(r, 0).data(MigrationTableModel::AppliedRole).toDateTime());
    QCOMPARE(view->index(0, 0).data(MigrationTableModel::KeyRole).toString(),
             TestBed::queryStrings(m_project.db, QStringLiteral("SELECT app || '.' || name FROM django_migrations "
                                                                "ORDER BY applied, id LIMIT 1"))
                 .value(0));
    window.historyAction()->trigger();

    // The search box (Ctrl+L) filters what the view shows.
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
    QVERIFY(window.searchEdit()->hasFocus());
    QTest::keyClicks(window.searchEdit(), QStringLiteral("FLOWS.0002"));
    QTRY_COMPARE(view->rowCount(), 1);
    QTest::keyClick(window.searchEdit(), Qt::Key_Escape);
    QCOMPARE(window.searchEdit()->text(), QString());
    QCOMPARE(view->rowCount(), states.size());
}

void TestPgMainWindow::refreshShowsOrphanAndPendingKeepingSelection()
{
    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, m_project.config));
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);

    // Select a row that will not change.
    QTableView *view = window.tableView();
    const QString selectedKey = QStringLiteral("meta_integration.0001_initial");
    QModelIndex selected;
    for (int r = 0; r < view->model()->rowCount(); ++r) {
        if (view->model()->index(r, 0).data(MigrationTableModel::KeyRole).toString() == selectedKey)
            selected = view->model()->index(r, 0);
    }
    QVERIFY(selected.isValid());
    view->selectionModel()->setCurrentIndex(selected, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const int rowBefore = selected.row();

    // flows.0001_initial is a dependency of flows.0002: its row goes, its file stays.
    QString error;
    QVERIFY2(TestBed::execSql(m_project.db,
                              QStringLiteral("DELETE FROM django_migrations WHERE app = 'flows' AND name = '0001_initial';"
                                             "INSERT INTO django_migrations (app, name, applied) "
                                             "VALUES ('conversations', '0099_no_such_file', now());"),
                              &error),
             qPrintable(error));

    loaded.clear();
    const int started = window.loadsStarted();
    QTest::keyClick(&window, Qt::Key_F5);
    QCOMPARE(window.loadsStarted(), started + 1);
    QVERIFY(window.isLoading());
    QTest::keyClick(&window, Qt::Key_F5); // while loading: no second load
    window.refresh();
    QCOMPARE(window.loadsStarted(), started + 1);
    QVERIFY(GuiTest::waitForLoad(window, loaded));
    QCOMPARE(loaded.count(), 1);

    const QMap<QString, QString> states = GuiTest::viewStates(view);
    QCOMPARE(states.value(QStringLiteral("flows.0001_initial")), QStringLiteral("Pending"));
    QCOMPARE(states.value(QStringLiteral("conversations.0099_no_such_file")), QStringLiteral("Orphan"));
    // Its dependents are Inconsistent at once: the files declare the edge, no Django needed.
    QCOMPARE(states.value(QStringLiteral("flows.0002_auto_20261124_0227")), QStringLiteral("Inconsistent"));
    QVERIFY(window.countsLabel()->accessibleName().contains(QStringLiteral("Pending 1")));
    QVERIFY(window.countsLabel()->accessibleName().contains(QStringLiteral("Orphan 1")));

    // The selection followed its row through the merge (a row was inserted above it).
    const QModelIndexList selectedRows = view->selectionModel()->selectedRows();
    QCOMPARE(selectedRows.size(), 1);
    QCOMPARE(selectedRows.first().data(MigrationTableModel::KeyRole).toString(), selectedKey);
    QCOMPARE(view->currentIndex().data(MigrationTableModel::KeyRole).toString(), selectedKey);
    QCOMPARE(selectedRows.first().row(), rowBefore + 1); // conversations.0099 came in above it

    // Put the database back for the other tests.
    QVERIFY(TestBed::execSql(m_project.db,
                             QStringLiteral("DELETE FROM django_migrations WHERE name = '0099_no_such_file';"
                                            "INSERT INTO django_migrations (app, name, applied) "
                                            "VALUES ('flows', '0001_initial', now());")));
}

void TestPgMainWindow::wrongPasswordShowsBannerNotDialog()
{
    const QString sentinel = QStringLiteral("Sentinel-Wrong-Pw-7731");
    ProjectConfig config = m_project.config;
    config.db.password = sentinel;

    MainWindow window;
    QVERIFY(GuiTest::openAndWait(window, config) == GuiTest::Load::Failed);
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);

    MessageBanner *banner = window.loadBanner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->level(), MessageLevel::Error);
    QVERIFY(!banner->text().isEmpty());
    QVERIFY2(banner->text().contains(QStringLiteral("password"), Qt::CaseInsensitive)
                 || banner->text().contains(QStringLiteral("authentication"), Qt::CaseInsensitive),
             qPrintable(banner->text()));
    QVERIFY(!banner->text().contains(sentinel));
    QVERIFY(!banner->actions().isEmpty()); // Retry, Open Settings…
    QVERIFY(visibleDialogs().isEmpty());
    QTRY_VERIFY(window.console()->plainText().contains(banner->text().section(QLatin1Char('\n'), 0, 0)));
    QVERIFY(!window.console()->plainText().contains(sentinel));
    QCOMPARE(window.tableView()->model()->rowCount(), 0);
    GuiTest::screenshot(&window, QStringLiteral("wrongpassword"));

    // Retry from the banner runs another load and fails the same way, still without a dialog.
    loaded.clear();
    banner->actions().first()->trigger();
    QVERIFY(GuiTest::waitForLoad(window, loaded));
    QCOMPARE(loaded.first().first().toBool(), false);
    QVERIFY(banner->isVisible());
    QVERIFY(visibleDialogs().isEmpty());
}

void TestPgMainWindow::missingHistoryTableMeansEverythingPending()
{
    const QString dbName = TestBed::createDatabase(QStringLiteral("nohistory"));
    QVERIFY(!dbName.isEmpty());
    ProjectConfig config = m_project.config;
    config.db.name = dbName;

    MainWindow window;
    QVERIFY(GuiTest::openAndLoad(window, config));

    QVERIFY(window.loadBanner()->isVisible());
    QVERIFY2(window.loadBanner()->text().contains(QStringLiteral("No migration history yet")),
             qPrintable(window.loadBanner()->text()));
    const QMap<QString, QString> states = GuiTest::viewStates(window.tableView());
    const QStringList files = TestBed::migrationFileKeys(TestBed::backendDir(m_project.dir));
    QCOMPARE(states.size(), files.size());
    for (const QString &key : files)
        QCOMPARE(states.value(key), QStringLiteral("Pending"));
    QVERIFY(visibleDialogs().isEmpty());
    TestBed::dropDatabase(dbName);
}

void TestPgMainWindow::folderWithoutManagePy()
{
    QTemporaryDir empty;
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openProject(empty.path());
    QVERIFY(opened.wait(30000)); // detection runs off the GUI thread
    QVERIFY(window.projectBanner()->isVisible());
    QCOMPARE(window.projectBanner()->level(), MessageLevel::Error);
    QVERIFY2(window.projectBanner()->text().contains(QStringLiteral("manage.py")),
             qPrintable(window.projectBanner()->text()));
    QCOMPARE(window.loadsStarted(), 0);
    QVERIFY(!window.isLoading());
    QVERIFY(visibleDialogs().isEmpty());
    QTRY_VERIFY(window.console()->plainText().contains(QStringLiteral("manage.py")));
    QVERIFY(!ProjectSettingsStore::recentProjects().contains(QDir(empty.path()).absolutePath()));
}

void TestPgMainWindow::missingEnvIsAWarning()
{
    // A copy without .env still opens (defaults postgres/postgres) and says so as a warning.
    const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("no env"), m_project.db);
    QVERIFY(!dir.isEmpty());
    QVERIFY(QFile::remove(dir + QStringLiteral("/.env")));
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::statusLoaded);
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openProject(dir);
    QVERIFY(opened.wait(30000));
    QVERIFY(window.projectBanner()->isVisible());
    QCOMPARE(window.projectBanner()->level(), MessageLevel::Warning);
    QVERIFY2(window.projectBanner()->text().contains(QStringLiteral(".env")), qPrintable(window.projectBanner()->text()));
    QCOMPARE(window.loadsStarted(), 1); // a warning does not stop the load
    QVERIFY(GuiTest::waitForLoad(window, loaded));
    QVERIFY(visibleDialogs().isEmpty());
}

void TestPgMainWindow::settingsDialogShowsDetectedAndSavesOnlyChanges()
{
    const ProjectLoadResult detected = ProjectDetector::detect(m_project.dir);
    QVERIFY(detected.ok());
    ProjectOverrides saved;
    saved.dbPort = 6543;
    ProjectSettingsDialog dialog(detected.config, saved);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *backend = dialog.findChild<QLineEdit *>(QStringLiteral("backendDirEdit"));
    auto *compose = dialog.findChild<QLineEdit *>(QStringLiteral("composeFileEdit"));
    auto *port = dialog.findChild<QSpinBox *>(QStringLiteral("dbPortSpin"));
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("dbNameEdit"));
    auto *password = dialog.findChild<QLabel *>(QStringLiteral("passwordValue"));
    QVERIFY(backend && compose && port && name && password);
    QCOMPARE(QDir::fromNativeSeparators(backend->text()), TestBed::backendDir(m_project.dir));
    QCOMPARE(QDir::fromNativeSeparators(compose->text()), m_project.dir + QStringLiteral("/docker-compose.yml"));
    QCOMPARE(port->value(), 6543);             // the saved value wins
    QCOMPARE(name->text(), m_project.db.name); // from the copy's .env
    QVERIFY(!password->text().contains(m_project.db.password));
    QVERIFY(password->text().startsWith(QStringLiteral("set")));

    GuiTest::screenshot(&dialog, QStringLiteral("projectsettingsdialog"));

    // Only what differs from detection becomes an override.
    ProjectOverrides o = dialog.overrides();
    QCOMPARE(o.dbPort, 6543);
    QVERIFY(o.dbName.isEmpty() && o.backendDir.isEmpty() && o.composeFile.isEmpty() && o.target.isEmpty());
    name->setText(QStringLiteral("other_db"));
    o = dialog.overrides();
    QCOMPARE(o.dbName, QStringLiteral("other_db"));

    // "Restore Detected" puts everything back: no override left.
    dialog.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::RestoreDefaults)->click();
    QVERIFY(dialog.overrides().isEmpty());
    QCOMPARE(port->value(), detected.config.db.port);

    // A backend folder without manage.py is said inline, nothing is refused or lost.
    backend->setText(m_tmp.path());
    auto *problem = dialog.findChild<QLabel *>(QStringLiteral("backendProblem"));
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(QStringLiteral("manage.py")));
    QCOMPARE(dialog.overrides().backendDir, QDir::cleanPath(m_tmp.path()));
}

QTEST_MAIN(TestPgMainWindow)
#include "tst_pg_mainwindow.moc"
