#pragma once

#include "console/outputchannel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

// The console pane: streams process output (ANSI colours, UTF-8 split across reads, progress
// lines rewritten by a bare '\r') and the app's own messages, with search, copy, save, clear
// and timestamps. Secrets are masked before anything is shown or saved.
class ConsoleWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ConsoleWidget(QWidget *parent = nullptr);
    ~ConsoleWidget() override;

    void setSecrets(const QStringList &secrets);
    void appendHeader(const QString &commandLine);
    void appendMessage(const QString &text, MessageLevel level = MessageLevel::Info);
    void appendProcessOutput(const QByteArray &bytes, OutputChannel channel);
    void flushProcessOutput();
    void clear();

    QString plainText() const; // with time prefixes while timestamps are shown

    bool timestampsShown() const;
    void setTimestampsShown(bool shown);

    int maximumLineCount() const;
    void setMaximumLineCount(int lines); // scrollback cap, default 100000

    bool saveToFile(const QString &fileName, QString *errorMessage = nullptr) const;

public slots:
    void showSearchBar();
    void findNext();
    void findPrevious();

signals:
    void timestampsShownChanged(bool shown);

private:
    class Private;
    std::unique_ptr<Private> d;
};
