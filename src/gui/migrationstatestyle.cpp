#include "migrationstatestyle.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

QString stateLabel(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied:
        return QCoreApplication::translate("MigrationState", "Applied");
    case MigrationState::Pending:
        return QCoreApplication::translate("MigrationState", "Pending");
    case MigrationState::Orphan:
        return QCoreApplication::translate("MigrationState", "Orphan");
    case MigrationState::External:
        return QCoreApplication::translate("MigrationState", "External");
    case MigrationState::Inconsistent:
        return QCoreApplication::translate("MigrationState", "Inconsistent");
    case MigrationState::StateCount:
        break;
    }
    return QString();
}

} // namespace

void MigrationStateStyle::paintWarningTriangle(QPainter &p, const QRectF &box, const QColor &fill,
                                               const QPen &markPen, qreal stroke)
{
    QPainterPath tri;
    tri.moveTo(box.center().x(), box.top());
    tri.lineTo(box.right(), box.bottom());
    tri.lineTo(box.left(), box.bottom());
    tri.closeSubpath();
    p.setPen(QPen(fill, stroke * 0.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(fill);
    p.drawPath(tri);
    p.setPen(markPen);
    const qreal x = box.center().x();
    p.drawLine(QPointF(x, box.top() + box.height() * 0.38), QPointF(x, box.top() + box.height() * 0.66));
    p.drawPoint(QPointF(x, box.top() + box.height() * 0.84));
}

namespace {

// Draws one state's symbol into a square of side `size` (logical pixels).
void paintSymbol(QPainter &p, MigrationState state, qreal size, const QColor &fill,
                 const QColor &mark)
{
    p.setRenderHint(QPainter::Antialiasing);
    const qreal m = size * 0.08; // margin
    const QRectF box(m, m, size - 2 * m, size - 2 * m);
    const qreal stroke = qMax<qreal>(1.2, size / 9.0);
    QPen markPen(mark, stroke, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);

    switch (state) {
    case MigrationState::Applied: { // filled disc with a check mark
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawEllipse(box);
        p.setPen(markPen);
        p.setBrush(Qt::NoBrush);
        QPainterPath check;
        check.moveTo(box.left() + box.width() * 0.27, box.top() + box.height() * 0.52);
        check.lineTo(box.left() + box.width() * 0.44, box.top() + box.height() * 0.69);
        check.lineTo(box.left() + box.width() * 0.74, box.top() + box.height() * 0.34);
        p.drawPath(check);
        break;
    }
    case MigrationState::Pending: { // ring with clock hands: waiting to be applied
        QPen ring(fill, stroke);
        p.setPen(ring);
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(box.adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2));
        QPen hands(fill, stroke, Qt::SolidLine, Qt::RoundCap);
        p.setPen(hands);
        const QPointF c = box.center();
        p.drawLine(c, QPointF(c.x(), box.top() + box.height() * 0.25));
        p.drawLine(c, QPointF(box.left() + box.width() * 0.70, c.y()));
        break;
    }
    case MigrationState::Orphan:
        MigrationStateStyle::paintWarningTriangle(p, box, fill, markPen, stroke);
        break;
    case MigrationState::External: { // outlined box with an arrow leaving it: lives elsewhere
        QPen outline(fill, stroke, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(outline);
        p.setBrush(Qt::NoBrush);
        const QRectF inner = box.adjusted(stroke / 2, box.height() * 0.25, -box.width() * 0.25,
                                          -stroke / 2);
        p.drawRoundedRect(inner, size * 0.08, size * 0.08);
        const QPointF from(box.left() + box.width() * 0.42, box.top() + box.height() * 0.58);
        const QPointF to(box.right() - stroke / 2, box.top() + stroke / 2);
        p.drawLine(from, to);
        p.drawLine(to, QPointF(to.x() - box.width() * 0.32, to.y()));
        p.drawLine(to, QPointF(to.x(), to.y() + box.height() * 0.32));
        break;
    }
    case MigrationState::Inconsistent: { // filled diamond with '!'
        QPainterPath diamond;
        const QPointF c = box.center();
        diamond.moveTo(c.x(), box.top());
        diamond.lineTo(box.right(), c.y());
        diamond.lineTo(c.x(), box.bottom());
        diamond.lineTo(box.left(), c.y());
        diamond.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPath(diamond);
        p.setPen(markPen);
        p.drawLine(QPointF(c.x(), box.top() + box.height() * 0.26),
                   QPointF(c.x(), box.top() + box.height() * 0.56));
        p.drawPoint(QPointF(c.x(), box.top() + box.height() * 0.74));
        break;
    }
    case MigrationState::StateCount:
        break;
    }
}

QPixmap symbolPixmap(MigrationState state, int size, qreal dpr, const QColor &fill,
                     const QColor &mark)
{
    QPixmap pixmap(qRound(size * dpr), qRound(size * dpr));
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paintSymbol(painter, state, size, fill, mark);
    return pixmap;
}

} // namespace

namespace MigrationStateStyle {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor color(MigrationState state, const QPalette &palette)
{
    // Two hand-picked sets: deep tones on light backgrounds, soft tones on dark ones.
    const bool dark = isDark(palette);
    switch (state) {
    case MigrationState::Applied:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    case MigrationState::Pending:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x5e, 0x00);
    case MigrationState::Orphan:
        return dark ? QColor(0xef, 0x6c, 0x6c) : QColor(0xc6, 0x28, 0x28);
    case MigrationState::External:
        return dark ? QColor(0x90, 0xa4, 0xae) : QColor(0x54, 0x6e, 0x7a);
    case MigrationState::Inconsistent:
        return dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x7b, 0x1f, 0xa2);
    case MigrationState::StateCount:
        break;
    }
    return palette.color(QPalette::Text);
}

QIcon icon(MigrationState state, const QPalette &palette)
{
    // Icons are drawn once per (state, theme); the model asks for them on every paint.
    static QHash<int, QIcon> cache;
    const bool dark = isDark(palette);
    const int key = int(state) * 2 + (dark ? 1 : 0);
    auto it = cache.constFind(key);
    if (it != cache.constEnd())
        return *it;

    const QColor fill = color(state, palette);
    const QColor mark = palette.color(QPalette::Base);
    QIcon result;
    for (const int size : {16, 22, 32}) {
        for (const qreal dpr : {1.0, 2.0})
            result.addPixmap(symbolPixmap(state, size, dpr, fill, mark));
    }
    cache.insert(key, result);
    return result;
}

QString description(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied:
        return QCoreApplication::translate("MigrationState",
                                           "Applied: recorded in django_migrations and present on disk.");
    case MigrationState::Pending:
        return QCoreApplication::translate("MigrationState",
                                           "Pending: the file exists but the database has no row for it; migrate will apply it.");
    case MigrationState::Orphan:
        return QCoreApplication::translate("MigrationState",
                                           "Orphan: django_migrations has a row but the file is gone. showmigrations hides these.");
    case MigrationState::External:
        return QCoreApplication::translate("MigrationState",
                                           "External: an app whose migrations live outside the project (Django or a package).");
    case MigrationState::Inconsistent:
        return QCoreApplication::translate("MigrationState",
                                           "Inconsistent: applied before one of its dependencies.");
    case MigrationState::StateCount:
        break;
    }
    return QString();
}

QString label(MigrationState state)
{
    return stateLabel(state);
}

namespace {
bool alwaysShown(MigrationState state)
{
    return state == MigrationState::Applied || state == MigrationState::Pending;
}
} // namespace

QString countsHtml(const std::array<int, int(MigrationState::StateCount)> &counts,
                   const QPalette &palette)
{
    QStringList parts;
    for (int i = 0; i < int(MigrationState::StateCount); ++i) {
        const auto state = MigrationState(i);
        if (counts[i] == 0 && !alwaysShown(state))
            continue;
        parts << QStringLiteral("<span style=\"color:%1\"><b>%2</b> %3</span>")
                     .arg(color(state, palette).name(), stateLabel(state).toHtmlEscaped(),
                          QString::number(counts[i]));
    }
    return parts.join(QStringLiteral(" &middot; "));
}

QString countsText(const std::array<int, int(MigrationState::StateCount)> &counts)
{
    QStringList parts;
    for (int i = 0; i < int(MigrationState::StateCount); ++i) {
        const auto state = MigrationState(i);
        if (counts[i] == 0 && !alwaysShown(state))
            continue;
        parts << stateLabel(state) + QLatin1Char(' ') + QString::number(counts[i]);
    }
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace MigrationStateStyle
