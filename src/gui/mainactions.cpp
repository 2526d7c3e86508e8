#include "mainactions.h"

#include "operationspanel.h"
#include "projectlabels.h"
#include "projectsession.h"
#include "statuspage.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>

using ProjectLabels::themedIcon;

MainActions::MainActions(QMainWindow *window, StatusPage *page, OperationsPanel *operations)
    : QObject(window)
    , m_window(window)
{
    createActions();
    createMenus(page, operations);
    createToolBar(page, operations);
}

void MainActions::createActions()
{
    const QStyle *style = m_window->style();
    m_open = new QAction(themedIcon(QStringLiteral("document-open"), QStyle::SP_DirOpenIcon, style),
                         tr("&Open Project…"), this);
    m_open->setShortcut(QKeySequence::Open);
    m_open->setToolTip(tr("Open a project folder (the one with docker-compose.yml) — %1")
                           .arg(m_open->shortcut().toString(QKeySequence::NativeText)));

    m_settings = new QAction(themedIcon(QStringLiteral("configure"), QStyle::SP_FileDialogDetailedView, style),
                             tr("Project &Settings…"), this);
    m_settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settings->setToolTip(tr("See what was detected for this project and change it"));
    m_settings->setEnabled(false);

    m_quit = new QAction(themedIcon(QStringLiteral("application-exit"), QStyle::SP_DialogCloseButton, style),
                         tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quit->setMenuRole(QAction::QuitRole);
    m_quit->setToolTip(tr("Quit MigrationDesk"));
    connect(m_quit, &QAction::triggered, m_window, &QWidget::close);

    m_refresh = new QAction(themedIcon(QStringLiteral("view-refresh"), QStyle::SP_BrowserReload, style),
                            tr("&Refresh"), this);
    m_refresh->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_refresh->setToolTip(tr("Read django_migrations and the migration files again (F5)"));
    m_refresh->setEnabled(false);

    m_about = new QAction(tr("&About MigrationDesk"), this);
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, [this] {
        QMessageBox::about(m_window, tr("About MigrationDesk"),
                           tr("<b>MigrationDesk</b> %1<br>Shows and repairs the Django migration state of "
                              "docker compose projects with PostgreSQL.")
                               .arg(QStringLiteral(MIGRATIONDESK_VERSION)));
    });

    m_bannerSettings = new QAction(tr("Open Settings…"), this);
    m_bannerSettings->setToolTip(tr("Check the detected compose file, backend folder and database settings"));
    m_bannerRetry = new QAction(tr("Retry"), this);
    m_bannerRetry->setToolTip(tr("Try to load the status again"));
    m_bannerOpen = new QAction(tr("Open Another Project…"), this);
    m_bannerOpen->setToolTip(tr("Choose a different project folder"));
}

void MainActions::createMenus(StatusPage *page, OperationsPanel *operations)
{
    QMenuBar *bar = m_window->menuBar();
    QMenu *file = bar->addMenu(tr("&File"));
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Recent &Projects"));
    m_recentMenu->setToolTipsVisible(true);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainActions::populateRecentMenu);
    populateRecentMenu(); // so the menu is enabled only when there is something in it
    file->addSeparator();
    file->addAction(m_settings);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = bar->addMenu(tr("&Edit"));
    edit->addAction(page->copyAction());
    edit->addAction(page->openFileAction());
    edit->addSeparator();
    edit->addAction(page->focusSearchAction());

    m_viewMenu = bar->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    m_viewMenu->setToolTipsVisible(true);
    m_viewMenu->addAction(m_refresh);
    m_viewMenu->addAction(page->historyAction());
    m_viewMenu->addAction(page->resetFiltersAction());
    m_viewMenu->addSeparator(); // the docks' toggles follow

    QMenu *operationsMenu = bar->addMenu(tr("&Operations"));
    operationsMenu->setObjectName(QStringLiteral("operationsMenu"));
    operations->populateMenu(operationsMenu);

    QMenu *help = bar->addMenu(tr("&Help"));
    m_shortcuts = help->addAction(tr("&Keyboard Shortcuts"));
    m_shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    m_shortcuts->setShortcut(QKeySequence(Qt::Key_F1));
    connect(m_shortcuts, &QAction::triggered, this, [this] {
        QMessageBox box(QMessageBox::Information, tr("Keyboard Shortcuts"), shortcutsText(), QMessageBox::Ok, m_window);
        box.setObjectName(QStringLiteral("shortcutsBox"));
        box.setTextFormat(Qt::RichText);
        box.exec();
    });
    help->addAction(m_about);
}

void MainActions::createToolBar(StatusPage *page, OperationsPanel *operations)
{
    QToolBar *bar = m_window->addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_open);
    bar->addAction(m_refresh);
    bar->addAction(page->historyAction());
    bar->addAction(operations->stopAction());
    bar->addSeparator();
    bar->addWidget(page->appFilter());
    bar->addWidget(page->stateFilter());
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(page->searchEdit());
    m_window->addAction(page->focusSearchAction());
}

// Every menu entry with a key, menu by menu, as the menus name them: the list cannot drift from
// what the keys really do.
QString MainActions::shortcutsText() const
{
    QString html = QStringLiteral("<table cellspacing='2'>");
    const QList<QAction *> menus = m_window->menuBar()->actions();
    for (QAction *menuAction : menus) {
        QMenu *menu = menuAction->menu();
        if (!menu)
            continue;
        QString rows;
        for (QAction *action : menu->actions()) {
            if (action->shortcut().isEmpty() || action->isSeparator())
                continue;
            QStringList keys;
            for (const QKeySequence &key : action->shortcuts())
                keys << key.toString(QKeySequence::NativeText).toHtmlEscaped();
            rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(keys.join(QStringLiteral(", ")), action->text().remove(QLatin1Char('&')).toHtmlEscaped());
        }
        if (!rows.isEmpty())
            html += QStringLiteral("<tr><td colspan='2'><br><i>%1</i></td></tr>").arg(menu->title().remove(QLatin1Char('&')).toHtmlEscaped())
                + rows;
    }
    return html + QStringLiteral("</table>");
}

void MainActions::populateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = ProjectSession::recentProjects();
    int number = 1;
    for (const QString &dir : recent) {
        const QString text = number < 10 ? QStringLiteral("&%1 %2").arg(number).arg(QDir::toNativeSeparators(dir))
                                         : QDir::toNativeSeparators(dir);
        QAction *action = m_recentMenu->addAction(text);
        action->setToolTip(QFileInfo(dir).isDir() ? dir : tr("%1 (folder not found)").arg(dir));
        connect(action, &QAction::triggered, this, [this, dir] { emit recentProjectChosen(dir); });
        ++number;
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("&Clear Recent Projects"));
        connect(clear, &QAction::triggered, this, [] { ProjectSession::clearRecentProjects(); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainActions::updateRecentMenu(bool running)
{
    m_recentMenu->setEnabled(!running && !ProjectSession::recentProjects().isEmpty());
}
