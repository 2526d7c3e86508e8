#include "messagebanner.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace {

// Background and border for a level, tinted towards the window colour so that text in the
// palette's own text colour stays readable on light and dark themes.
QColor tint(MessageLevel level, const QPalette &palette, qreal amount)
{
    QColor accent;
    switch (level) {
    case MessageLevel::Info:
        accent = QColor(0x1e, 0x88, 0xe5);
        break;
    case MessageLevel::Warning:
        accent = QColor(0xf9, 0xa8, 0x25);
        break;
    case MessageLevel::Error:
        accent = QColor(0xe5, 0x39, 0x35);
        break;
    }
    const QColor base = palette.color(QPalette::Window);
    return QColor::fromRgbF(base.redF() + (accent.redF() - base.redF()) * amount,
                            base.greenF() + (accent.greenF() - base.greenF()) * amount,
                            base.blueF() + (accent.blueF() - base.blueF()) * amount);
}

} // namespace

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_buttons(new QHBoxLayout)
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText); // messages carry paths and driver text, never markup
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);

    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss this message"));
    m_close->setAccessibleName(tr("Dismiss"));
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    layout->setSpacing(8);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    m_buttons->setSpacing(4);
    layout->addLayout(m_buttons);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    hide();
}

void MessageBanner::showMessage(MessageLevel level, const QString &text, const QList<QAction *> &actions)
{
    m_level = level;
    m_text->setText(text);

    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_actions.clear();
    for (QAction *action : actions)
        m_actions << action;
    for (QAction *action : actions) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_buttons->addWidget(button, 0, Qt::AlignVCenter);
    }

    QStyle::StandardPixmap pixmap = QStyle::SP_MessageBoxInformation;
    if (level == MessageLevel::Warning)
        pixmap = QStyle::SP_MessageBoxWarning;
    else if (level == MessageLevel::Error)
        pixmap = QStyle::SP_MessageBoxCritical;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(pixmap).pixmap(size, size));
    setAccessibleName(level == MessageLevel::Error ? tr("Error") : level == MessageLevel::Warning ? tr("Warning") : tr("Information"));
    setAccessibleDescription(text);

    applyColors();
    show();
}

void MessageBanner::dismiss()
{
    if (isHidden())
        return;
    hide();
    emit dismissed();
}

QString MessageBanner::text() const
{
    return m_text->text();
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColors();
}

void MessageBanner::applyColors()
{
    // Tint the parent's colours: our own palette is already tinted. Setting the palette sends
    // another PaletteChange, so stop when nothing would change.
    const QPalette base = parentWidget() ? parentWidget()->palette() : QPalette();
    const QColor background = tint(m_level, base, 0.22);
    QPalette pal = palette();
    if (pal.color(QPalette::Window) == background)
        return;
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
    setPalette(pal);
}

QList<QAction *> MessageBanner::actions() const
{
    QList<QAction *> alive;
    for (const QPointer<QAction> &action : m_actions) {
        if (action)
            alive << action;
    }
    return alive;
}
