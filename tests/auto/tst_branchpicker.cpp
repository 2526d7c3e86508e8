// The status bar's branch picker on a real git repository: it shows the checked-out branch, offers
// the others, and choosing one asks for switch-branch (it never switches itself); the preview's
// typed value (switch-branch's branch) reaches the options once per edit.
#include "gui/branchpicker.h"
#include "gui/planpreviewdialog.h"
#include "testbed.h"

#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QtTest>

class TestBranchPicker : public QObject
{
    Q_OBJECT
private slots:
    void showsBranchesAndAsksForSwitch();
    void previewTypedValue();
};

void TestBranchPicker::showsBranchesAndAsksForSwitch()
{
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("project"));
    QDir().mkpath(root);
    QFile readme(root + QStringLiteral("/README"));
    QVERIFY(readme.open(QIODevice::WriteOnly) && readme.write("x\n") == 2);
    readme.close();
    QString error;
    QVERIFY2(TestBed::initGitRepo(root, tmp.filePath(QStringLiteral("remote.git")), &error), qPrintable(error));
    QCOMPARE(TestBed::run(QStringLiteral("git"), {QStringLiteral("branch"), QStringLiteral("feature/x")}, root), 0);

    BranchPicker picker;
    QSignalSpy refreshed(&picker, &BranchPicker::refreshed);
    picker.setProjectRoot(root);
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(picker.currentBranch(), QStringLiteral("main"));
    QCOMPARE(picker.branches(), (QStringList{QStringLiteral("feature/x"), QStringLiteral("main")}));
    QCOMPARE(picker.text(), QStringLiteral("main"));
    const QList<QAction *> actions = picker.menu()->actions();
    QCOMPARE(actions.size(), 1); // not the branch already checked out
    QCOMPARE(actions.constFirst()->data().toString(), QStringLiteral("feature/x"));

    QSignalSpy asked(&picker, &BranchPicker::switchRequested);
    actions.constFirst()->trigger();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.constFirst().constFirst().toString(), QStringLiteral("feature/x"));
    // Asking is all it does: the branch is unchanged.
    QString head;
    TestBed::run(QStringLiteral("git"), {QStringLiteral("branch"), QStringLiteral("--show-current")}, root,
                 QProcessEnvironment::systemEnvironment(), &head);
    QCOMPARE(head.trimmed(), QStringLiteral("main"));

    // Not a repository: nothing to pick, the picker stays hidden.
    picker.setProjectRoot(tmp.filePath(QStringLiteral("nothing")));
    QVERIFY(refreshed.wait(10000));
    QVERIFY(picker.isHidden());
    QVERIFY(picker.menu()->actions().isEmpty());
}

void TestBranchPicker::previewTypedValue()
{
    PlanPreviewDialog dialog;
    QLineEdit *edit = dialog.addText(QStringLiteral("to"), QStringLiteral("&Branch:"), QStringLiteral("the branch"));
    QVERIFY(edit);
    QSignalSpy changed(&dialog, &PlanPreviewDialog::optionsChanged);
    edit->setText(QStringLiteral(" feature "));
    emit edit->editingFinished();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(dialog.values().value(QStringLiteral("to")), QStringLiteral("feature"));
    emit edit->editingFinished(); // the same value: the facts are not read again
    QCOMPARE(changed.size(), 1);
}

QTEST_MAIN(TestBranchPicker)
#include "tst_branchpicker.moc"
