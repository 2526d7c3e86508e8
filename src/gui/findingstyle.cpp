#include "findingstyle.h"

#include "migrationstatestyle.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <functional>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FindingStyle", text);
}

QPixmap symbol(int size, const std::function<void(QPainter &, const QRectF &)> &paint)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal m = size * 0.08;
    paint(p, QRectF(m, m, size - 2 * m, size - 2 * m));
    return pixmap;
}

QIcon severityIcon(Severity severity, const QColor &fill)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        icon.addPixmap(symbol(size, [&](QPainter &p, const QRectF &box) {
            const qreal stroke = qMax<qreal>(1.4, size / 8.0);
            QPen mark(Qt::white, stroke, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
            switch (severity) {
            case Severity::Error: { // red disc with a cross
                p.setPen(Qt::NoPen);
                p.setBrush(fill);
                p.drawEllipse(box);
                p.setPen(mark);
                const QRectF in = box.adjusted(box.width() * 0.32, box.height() * 0.32,
                                               -box.width() * 0.32, -box.height() * 0.32);
                p.drawLine(in.topLeft(), in.bottomRight());
                p.drawLine(in.topRight(), in.bottomLeft());
                break;
            }
            case Severity::Warning: // the same triangle as the Orphan state
                MigrationStateStyle::paintWarningTriangle(p, box, fill, mark, stroke);
                break;
            case Severity::Info: { // rounded square with 'i'
                p.setPen(Qt::NoPen);
                p.setBrush(fill);
                p.drawRoundedRect(box, box.width() * 0.22, box.height() * 0.22);
                p.setPen(mark);
                const qreal x = box.center().x();
                p.drawPoint(QPointF(x, box.top() + box.height() * 0.26));
                p.drawLine(QPointF(x, box.top() + box.height() * 0.45), QPointF(x, box.top() + box.height() * 0.78));
                break;
            }
            }
        }));
    }
    return icon;
}

} // namespace

namespace FindingStyle {

QColor color(Severity severity, const QPalette &palette)
{
    const bool dark = MigrationStateStyle::isDark(palette);
    switch (severity) {
    case Severity::Error:
        return dark ? QColor(0xf0, 0x6a, 0x5f) : QColor(0xc0, 0x39, 0x2b);
    case Severity::Warning:
        return dark ? QColor(0xf3, 0xb2, 0x3c) : QColor(0xc2, 0x7c, 0x0e);
    case Severity::Info:
        break;
    }
    return dark ? QColor(0x6c, 0xb4, 0xf0) : QColor(0x2e, 0x6d, 0xb4);
}

QIcon icon(Severity severity, const QPalette &palette)
{
    return severityIcon(severity, color(severity, palette));
}

QString label(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return tr("Error");
    case Severity::Warning:
        return tr("Warning");
    case Severity::Info:
        break;
    }
    return tr("Info");
}

QString kindLabel(FindingKind kind)
{
    return findingKindLabel(kind);
}

QColor healthyColor(const QPalette &palette)
{
    return MigrationStateStyle::color(MigrationState::Applied, palette);
}

QIcon healthyIcon(const QPalette &palette)
{
    return MigrationStateStyle::icon(MigrationState::Applied, palette);
}

} // namespace FindingStyle
