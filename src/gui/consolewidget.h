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
//
// Output is queued and rendered in chunks from a timer whose chunk size follows how long the
// previous chunk took (as Qt Creator's output window does), so a flood of output never
// freezes the window. Process output is queued raw and formatted when it is about to be
// drawn; what scrolls out of the capped scrollback before that is only scanned for line ends
// and colours, never decoded, masked or drawn. The view follows new output only while the
// user is at the bottom.
class ConsoleWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ConsoleWidget(QWidget *parent = nullptr);
    ~ConsoleWidget() override;

    void setSecrets(const QStringList &secrets); // masked as •••• before anything is shown or saved
    void appendHeader(const QString &commandLine); // "── 12:03:04  $ docker compose … ──"
    void appendMessage(const QString &text, MessageLevel level = MessageLevel::Info);
    void appendProcessOutput(const QByteArray &bytes, OutputChannel channel); // any split
    void flushProcessOutput(); // the process ended: emit held-back bytes, escape, last line
    void clear();
    // Follows the output again and shows the end, however far up the user had scrolled (a run
    // starts: its output must be in sight).
    void revealEnd();
    bool followsOutput() const;

    // What is shown (queued output not yet rendered is not included), one '\n' per line (a
    // long line shown in several blocks is one line again), with "[hh:mm:ss] " prefixes while
    // timestamps are shown.
    QString plainText() const;

    bool timestampsShown() const;
    void setTimestampsShown(bool shown);

    int maximumLineCount() const;
    void setMaximumLineCount(int lines); // scrollback cap in blocks, default 100000

    // A line longer than this many characters is shown in several blocks, each after the
    // first marked "↪ " (default 8192), at most 8 of them: the rest of the line is not shown
    // (the last block ends "… (line continues…)") but kept. plainText(), Save and Copy give
    // the whole line.
    int maximumBlockLength() const;
    void setMaximumBlockLength(int characters);
    int maximumBlocksPerLine() const;
    void setMaximumBlocksPerLine(int blocks); // default 8

    bool hasPendingOutput() const;  // output queued but not rendered yet
    void renderPendingOutput();     // renders everything queued now (before saving, in tests)
    bool saveToFile(const QString &fileName, QString *errorMessage = nullptr);

public slots:
    void showSearchBar();
    void hideSearchBar();
    void findNext();
    void findPrevious();
    void copyToClipboard(); // the selection, or everything when nothing is selected
    void saveWithDialog();

signals:
    void timestampsShownChanged(bool shown);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    class Private;
    std::unique_ptr<Private> d;
};
