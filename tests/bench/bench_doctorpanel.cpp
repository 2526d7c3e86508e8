// The doctor panel's evidence at 1k, 10k and 100k lines (an OrphanRows finding: one migration
// and one evidence line per row): the GUI-thread stall from selecting the finding until the
// panel has painted, beside the reference of the same text as the HTML list the panel used to
// give its QTextBrowser (measured in the same run; skipped at 100k, where it takes minutes).
//
// Usage: bench_doctorpanel    (QT_QPA_PLATFORM=offscreen is set when unset)
#include "doctor/finding.h"
#include "gui/evidencemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QListView>
#include <QSplitter>
#include <QTextBrowser>

#include <cstdio>

namespace {

Finding orphans(int rows)
{
    Finding f;
    f.kind = FindingKind::OrphanRows;
    f.title = QStringLiteral("%1 orphan rows").arg(rows);
    f.explanation = QStringLiteral("Rows in django_migrations whose files are gone.");
    for (int i = 0; i < rows; ++i) {
        f.migrations << QStringLiteral("crm.%1_gone").arg(i, 6, 10, QLatin1Char('0'));
        f.evidence << QStringLiteral("django_migrations id=%1: crm %2_gone, no file in crm/migrations")
                          .arg(i + 1)
                          .arg(i, 6, 10, QLatin1Char('0'));
    }
    return f;
}

// The panel's former details: title, explanation and both lists as one HTML document.
QString formerHtml(const Finding &f)
{
    auto list = [](const QStringList &items) {
        QString html = QStringLiteral("<ul style='margin-top:2px'>");
        for (const QString &item : items)
            html += QStringLiteral("<li><code>%1</code></li>").arg(item.toHtmlEscaped());
        return html + QStringLiteral("</ul>");
    };
    return QStringLiteral("<p><b>%1</b></p><p>%2</p>").arg(f.title.toHtmlEscaped(), f.explanation.toHtmlEscaped())
         + QStringLiteral("<p><b>Migrations involved</b></p>") + list(f.migrations)
         + QStringLiteral("<p><b>Evidence</b></p>") + list(f.evidence);
}

// From the call until the widget has painted: the GUI thread does nothing else meanwhile.
template<typename F>
double stallMs(QWidget *w, F &&show)
{
    QElapsedTimer t;
    t.start();
    show();
    w->repaint();
    QApplication::processEvents();
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QSplitter window(Qt::Vertical);
    auto *details = new QTextBrowser(&window);
    auto *list = new QListView(&window);
    list->setUniformItemSizes(true);
    auto *model = new EvidenceModel(&window);
    list->setModel(model);
    auto *former = new QTextBrowser(&window); // the reference
    window.resize(760, 860);
    window.show();
    QApplication::processEvents();

    std::printf("doctor panel, evidence of one finding: GUI-thread stall until painted (goal <= 50 ms)\n");
    std::printf("%8s %14s %22s %8s\n", "lines", "list view ms", "former setHtml ms", "ratio");
    for (const int rows : {1000, 10000, 100000}) {
        const Finding f = orphans(rows);
        const double ours = stallMs(&window, [&] {
            details->setHtml(QStringLiteral("<p><b>%1</b></p><p>%2</p>")
                                 .arg(f.title.toHtmlEscaped(), f.explanation.toHtmlEscaped()));
            model->setFinding(&f);
        });
        if (rows > 10000) {
            std::printf("%8d %14.1f %22s %8s\n", 2 * rows, ours, "(skipped: minutes)", "-");
            continue;
        }
        const QString html = formerHtml(f);
        const double reference = stallMs(&window, [&] { former->setHtml(html); });
        former->clear();
        std::printf("%8d %14.1f %22.1f %7.4fx\n", 2 * rows, ours, reference, ours / reference);
    }
    return 0;
}
