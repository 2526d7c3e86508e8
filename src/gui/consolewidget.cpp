#include "consolewidget.h"

#include <QPlainTextEdit>
#include <QVBoxLayout>

// Temporary minimal implementation; the streaming renderer replaces it.
class ConsoleWidget::Private
{
public:
    QPlainTextEdit *edit = nullptr;
    bool timestamps = false;
    int maxLines = 100000;
};

ConsoleWidget::ConsoleWidget(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->edit = new QPlainTextEdit(this);
    d->edit->setReadOnly(true);
    layout->addWidget(d->edit);
}
ConsoleWidget::~ConsoleWidget() = default;
void ConsoleWidget::setSecrets(const QStringList &) {}
void ConsoleWidget::appendHeader(const QString &commandLine) { d->edit->appendPlainText(commandLine); }
void ConsoleWidget::appendMessage(const QString &text, MessageLevel) { d->edit->appendPlainText(text); }
void ConsoleWidget::appendProcessOutput(const QByteArray &, OutputChannel) {}
void ConsoleWidget::flushProcessOutput() {}
void ConsoleWidget::clear() { d->edit->clear(); }
QString ConsoleWidget::plainText() const { return d->edit->toPlainText(); }
bool ConsoleWidget::timestampsShown() const { return d->timestamps; }
void ConsoleWidget::setTimestampsShown(bool shown) { d->timestamps = shown; }
int ConsoleWidget::maximumLineCount() const { return d->maxLines; }
void ConsoleWidget::setMaximumLineCount(int lines) { d->maxLines = lines; }
bool ConsoleWidget::saveToFile(const QString &, QString *) const { return false; }
void ConsoleWidget::showSearchBar() {}
void ConsoleWidget::findNext() {}
void ConsoleWidget::findPrevious() {}
