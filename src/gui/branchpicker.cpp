#include "branchpicker.h"

#include "git/gitbranches.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QMenu>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

BranchPicker::BranchPicker(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("branchPicker"));
    setPopupMode(QToolButton::InstantPopup);
    setAutoRaise(true);
    setMenu(new QMenu(this));
    setToolTip(tr("The checked-out git branch. Choose another to switch to it with MigrationDesk: the migrations it "
                  "lacks are unapplied first (previewed, a dump first)."));
    hide();
}

void BranchPicker::setProjectRoot(const QString &root)
{
    m_root = root;
    m_current.clear();
    m_branches.clear();
    menu()->clear();
    setVisible(false);
    if (!root.isEmpty())
        refresh();
}

void BranchPicker::refresh()
{
    if (m_root.isEmpty())
        return;
    const quint64 id = ++m_jobId;
    const QString root = m_root;
    auto *watcher = new QFutureWatcher<Listing>(QCoreApplication::instance());
    const QPointer<BranchPicker> picker(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, picker, id] {
        watcher->deleteLater();
        if (picker && id == picker->m_jobId)
            picker->showListing(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([root] { return Listing{GitBranches::currentBranch(root), GitBranches::localBranches(root)}; }));
}

void BranchPicker::setPlanRunning(bool running)
{
    m_running = running;
    setEnabled(!running);
    if (!running)
        refresh();
}

void BranchPicker::showListing(const Listing &listing)
{
    m_current = listing.current;
    m_branches = listing.branches;
    menu()->clear();
    setVisible(!m_branches.isEmpty());
    setText(m_current.isEmpty() ? tr("(detached HEAD)") : m_current);
    for (const QString &branch : std::as_const(m_branches)) {
        if (branch == m_current)
            continue;
        QAction *action = menu()->addAction(tr("Switch to %1…").arg(branch));
        action->setData(branch);
        connect(action, &QAction::triggered, this, [this, branch] { emit switchRequested(branch); });
    }
    emit refreshed();
}
