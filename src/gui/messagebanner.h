#pragma once

#include "console/outputchannel.h"

#include <QFrame>
#include <QList>
#include <QPointer>

class QAction;
class QHBoxLayout;
class QLabel;
class QToolButton;

// A strip above the table that says what went wrong (or what to know) in place, with buttons
// for the next step ("Open Settings…", "Retry"), instead of a modal dialog per error.
class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    explicit MessageBanner(QWidget *parent = nullptr);

    // Replaces what the banner shows and makes it visible. The actions stay owned by the caller.
    void showMessage(MessageLevel level, const QString &text, const QList<QAction *> &actions = {});
    void dismiss(); // hides it, as the close button does

    MessageLevel level() const { return m_level; }
    QString text() const;
    QList<QAction *> actions() const; // the ones still alive (their owners may delete them)

signals:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColors();

    MessageLevel m_level = MessageLevel::Info;
    QLabel *m_icon;
    QLabel *m_text;
    QHBoxLayout *m_buttons;
    QToolButton *m_close;
    QList<QPointer<QAction>> m_actions;
};
