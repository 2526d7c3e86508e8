#pragma once

#include <QString>
#include <QStringList>
#include <QToolButton>

// The status bar's branch: the checked-out branch as the button's text, the other local branches
// in its menu. Choosing one asks for the switch-branch operation (its preview, then its run);
// the picker itself never runs git switch. git is asked off the GUI thread.
class BranchPicker : public QToolButton
{
    Q_OBJECT
public:
    explicit BranchPicker(QWidget *parent = nullptr);

    // The project root whose branches are shown; empty hides the picker.
    void setProjectRoot(const QString &root);
    // Reads the branches again (after a run: the branch may have changed).
    void refresh();
    // While a plan runs the menu is off.
    void setPlanRunning(bool running);

    QString currentBranch() const { return m_current; }
    QStringList branches() const { return m_branches; }

signals:
    void switchRequested(const QString &branch);
    void refreshed(); // the menu shows what git said

private:
    struct Listing
    {
        QString current;
        QStringList branches;
    };
    void showListing(const Listing &listing);

    QString m_root;
    QString m_current;
    QStringList m_branches;
    quint64 m_jobId = 0;
    bool m_running = false;
};
