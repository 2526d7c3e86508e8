#include "provenancetext.h"

#include <QCoreApplication>
#include <QLocale>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ProvenanceText", text);
}

QString commit(const GitCommitRef &c)
{
    return QStringLiteral("%1 %2 “%3”")
        .arg(c.shortHash(), QLocale().toString(c.date.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm")), c.subject);
}

} // namespace

QString ProvenanceText::oneLine(const MigrationProvenance &p, bool hasFile)
{
    QStringList parts;
    if (!hasFile && !p.onBranches.isEmpty())
        parts << tr("file on %1").arg(p.onBranches.join(QStringLiteral(", ")));
    if (!hasFile && !p.deletedIn.isNull())
        parts << tr("deleted in %1").arg(commit(p.deletedIn));
    if (!p.addedIn.isNull())
        parts << tr("added in %1").arg(commit(p.addedIn));
    if (parts.isEmpty() && !hasFile)
        return tr("never committed here");
    return parts.join(QStringLiteral(" · "));
}

QString ProvenanceText::html(const MigrationProvenance &p, bool hasFile)
{
    QString tip;
    if (!p.addedIn.isNull())
        tip += QStringLiteral("<br>") + tr("Added in %1").arg(commit(p.addedIn).toHtmlEscaped());
    if (!hasFile) {
        if (!p.onBranches.isEmpty())
            tip += QStringLiteral("<br>") + tr("<b>Its file is on %1</b>").arg(p.onBranches.join(QStringLiteral(", ")).toHtmlEscaped());
        if (!p.deletedIn.isNull())
            tip += QStringLiteral("<br>") + tr("Deleted in %1").arg(commit(p.deletedIn).toHtmlEscaped());
        if (p.isEmpty())
            tip += QStringLiteral("<br>") + tr("git never had its file in this repository");
        else if (!p.path.isEmpty())
            tip += QStringLiteral("<br>") + tr("(was %1)").arg(p.path.toHtmlEscaped());
    }
    return tip;
}
