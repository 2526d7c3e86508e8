#pragma once

#include <QObject>

class OperationsPanel;
class QAction;
class QMainWindow;
class QMenu;
class StatusPage;

// The window's own actions (open, settings, refresh, quit, about, the banners' buttons), its
// menus and its tool bar, which also carry the status page's and the operations panel's actions
// and the status page's filters. The window connects what the actions do.
class MainActions : public QObject
{
    Q_OBJECT
public:
    MainActions(QMainWindow *window, StatusPage *page, OperationsPanel *operations);

    QAction *open() const { return m_open; }
    QAction *settings() const { return m_settings; }
    QAction *quit() const { return m_quit; }
    QAction *refresh() const { return m_refresh; }
    // Buttons offered by the banners.
    QAction *bannerSettings() const { return m_bannerSettings; }
    QAction *bannerRetry() const { return m_bannerRetry; }
    QAction *bannerOpen() const { return m_bannerOpen; }
    // The View menu: the docks add their toggles to it.
    QMenu *viewMenu() const { return m_viewMenu; }

    // Help ▸ Keyboard Shortcuts (F1) and what it lists: every menu entry that has a key.
    QAction *shortcuts() const { return m_shortcuts; }
    QString shortcutsText() const;

    // Recent Projects is enabled only when there is something in it and nothing runs.
    void updateRecentMenu(bool running = false);

signals:
    void recentProjectChosen(const QString &dir);

private:
    void createActions();
    void createMenus(StatusPage *page, OperationsPanel *operations);
    void createToolBar(StatusPage *page, OperationsPanel *operations);
    void populateRecentMenu();

    QMainWindow *m_window;
    QAction *m_open = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_about = nullptr;
    QAction *m_shortcuts = nullptr;
    QAction *m_bannerSettings = nullptr;
    QAction *m_bannerRetry = nullptr;
    QAction *m_bannerOpen = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
};
