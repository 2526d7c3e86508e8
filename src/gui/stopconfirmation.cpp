#include "stopconfirmation.h"

#include "operationcontroller.h"

#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

void StopConfirmation::request(OperationController *controller, QWidget *parent)
{
    if (!controller->isRunning())
        return;
    if (!controller->runningStepChangesProject()) {
        controller->cancel();
        return;
    }
    if (parent && parent->window()->findChild<QMessageBox *>(QStringLiteral("stopWhileChangingBox")))
        return; // already asking
    const Plan plan = controller->currentPlan();
    const int step = controller->runningStep();
    auto *box = new QMessageBox(QMessageBox::Warning, QObject::tr("Stop %1").arg(plan.title),
                                QObject::tr("Step %1 of %2 (%3) is changing the project. Stop it now?")
                                    .arg(step + 1)
                                    .arg(plan.steps.size())
                                    .arg(step >= 0 && step < plan.steps.size() ? stepDescription(plan.steps.at(step)) : QString()),
                                QMessageBox::NoButton, parent ? parent->window() : nullptr);
    box->setObjectName(QStringLiteral("stopWhileChangingBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setInformativeText(QObject::tr("Its process and everything it started end; what it did so far stays done. "
                                        "The backup taken before it puts everything back."));
    QPushButton *stop = box->addButton(QObject::tr("Stop Anyway"), QMessageBox::DestructiveRole);
    stop->setObjectName(QStringLiteral("stopAnywayButton"));
    QPushButton *keep = box->addButton(QObject::tr("Keep Running"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepRunningButton"));
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    QPointer<OperationController> guarded(controller);
    QObject::connect(box, &QMessageBox::buttonClicked, box, [guarded, stop](QAbstractButton *clicked) {
        if (clicked == stop && guarded)
            guarded->cancel();
    });
    QObject::connect(controller, &OperationController::runningChanged, box, [box](bool running) {
        if (!running)
            box->close(); // the run ended while the question was open: nothing left to stop
    });
    box->open();
}
