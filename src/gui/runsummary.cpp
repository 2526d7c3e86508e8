#include "runsummary.h"

#include "operationcontroller.h"
#include "statuspage.h"

#include <QLocale>

namespace {

QString seconds(const RunResult &result)
{
    const qint64 ms = result.started.isValid() && result.finished.isValid() ? result.started.msecsTo(result.finished) : -1;
    if (ms < 0)
        return QString();
    return ms < 10000 ? QStringLiteral("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1))
                      : QStringLiteral("%1 s").arg(QLocale().toString((ms + 500) / 1000));
}

QString signedCount(int delta)
{
    return delta > 0 ? QStringLiteral("+%1").arg(delta) : QStringLiteral("\u2212%1").arg(-delta);
}

// "+5 rows", "−12 files": only what changed, only what was measured.
QStringList changes(const RunCounts &before, const RunCounts &after, bool longForm)
{
    QStringList parts;
    if (before.rows >= 0 && after.rows >= 0 && before.rows != after.rows)
        parts << (longForm ? RunSummary::tr("%1 rows of django_migrations (%2 now)")
                                 .arg(signedCount(after.rows - before.rows))
                                 .arg(after.rows)
                           : RunSummary::tr("%1 rows").arg(signedCount(after.rows - before.rows)));
    if (before.files >= 0 && after.files >= 0 && before.files != after.files)
        parts << (longForm ? RunSummary::tr("%1 migration files (%2 now)")
                                 .arg(signedCount(after.files - before.files))
                                 .arg(after.files)
                           : RunSummary::tr("%1 files").arg(signedCount(after.files - before.files)));
    if (parts.isEmpty() && before.rows >= 0 && after.rows >= 0 && before.files >= 0 && after.files >= 0)
        parts << (longForm ? RunSummary::tr("django_migrations and the migration files unchanged")
                           : RunSummary::tr("no rows or files changed"));
    return parts;
}

QString outcome(const RunResult &result)
{
    const QString time = seconds(result);
    if (result.success)
        return time.isEmpty() ? RunSummary::tr("done") : RunSummary::tr("done in %1").arg(time);
    QString step;
    if (result.failedStep >= 0)
        step = RunSummary::tr(" at step %1").arg(result.failedStep + 1);
    if (result.cancelled)
        return time.isEmpty() ? RunSummary::tr("stopped%1").arg(step) : RunSummary::tr("stopped%1 after %2").arg(step, time);
    if (!result.problems.isEmpty())
        return RunSummary::tr("refused before it started");
    return time.isEmpty() ? RunSummary::tr("failed%1").arg(step) : RunSummary::tr("failed%1 after %2").arg(step, time);
}

} // namespace

RunSummary::RunSummary(OperationController *controller, StatusPage *page, QObject *parent)
    : QObject(parent)
    , m_page(page)
{
    connect(controller, &OperationController::runStarted, this, [this] {
        m_pending = false;
        m_before = currentCounts();
    });
    connect(controller, &OperationController::runFinished, this, [this](const RunResult &result) {
        m_result = result;
        m_pending = true; // the reload the run causes brings the counts after it
    });
    connect(page, &StatusPage::statusLoaded, this, &RunSummary::onStatusLoaded);
}

RunCounts RunSummary::currentCounts() const
{
    if (!m_page->hasSnapshot())
        return RunCounts();
    const StatusSnapshot &snapshot = m_page->snapshot();
    return RunCounts{snapshot.historyTableMissing ? 0 : snapshot.recordCount, snapshot.fileCount};
}

void RunSummary::onStatusLoaded(bool ok)
{
    if (!m_pending || m_page->reloadQueued())
        return; // the load that ended may have read the state before the run: wait for the next
    m_pending = false;
    const RunCounts after = ok ? currentCounts() : RunCounts();
    const MessageLevel level = m_result.success ? MessageLevel::Info
                               : m_result.cancelled ? MessageLevel::Warning
                                                    : MessageLevel::Error;
    emit summaryReady(text(m_result, m_before, after), shortText(m_result, m_before, after), level);
}

QString RunSummary::text(const RunResult &result, const RunCounts &before, const RunCounts &after)
{
    const QString mark = result.success ? QStringLiteral("✔") : result.cancelled ? QStringLiteral("■") : QStringLiteral("✘");
    QStringList parts{QStringLiteral("%1 %2 %3").arg(mark, result.title, outcome(result))};
    parts << changes(before, after, true);
    return parts.join(QStringLiteral(" · "));
}

QString RunSummary::shortText(const RunResult &result, const RunCounts &before, const RunCounts &after)
{
    QStringList parts{QStringLiteral("%1 %2").arg(result.title, outcome(result))};
    parts << changes(before, after, false);
    return parts.join(QStringLiteral(" · "));
}
