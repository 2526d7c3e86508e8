#pragma once

class OperationController;
class QWidget;

// Esc and Stop end a read-only step at once; a step that changes the project (a migrate, a
// DELETE, files being removed) is asked about first, since stopping it midway may leave the
// change half done.
namespace StopConfirmation {
// Cancels the running plan, or opens the window-modal question (objectName
// "stopWhileChangingBox") and returns at once; the question closes itself when the run ends.
void request(OperationController *controller, QWidget *parent);
}
