#include "safety/guardedrunner.h"

#include "console/secretmasker.h"
#include "safety/preflight.h"
#include "safety/runjournal.h"
#include "targets/servicecheck.h"

#include <QCoreApplication>

// Journals a run: written whole when its first step starts, then a line per step start and end.
class RunJournalObserver : public RunObserver
{
public:
    QString path; // as GuardedRunner::setJournalPath

    QString runStarted(const Plan &plan, int fromStep, const QDateTime &started) override
    {
        m_entry = JournalEntry();
        m_written = false;
        QString journalPath = path;
        if (journalPath.isEmpty() && !plan.projectRoot.isEmpty() && (plan.destructive || plan.steps.size() > 1))
            journalPath = Journal::pathFor(plan.projectRoot, plan.id);
        if (journalPath.isEmpty() || journalPath == QLatin1String("-"))
            return QString();
        m_entry.path = journalPath;
        m_entry.planId = plan.id.isEmpty() ? QStringLiteral("plan") : plan.id;
        m_entry.title = plan.title;
        m_entry.projectRoot = plan.projectRoot;
        const SecretMasker masker(plan.secrets);
        for (const PlanStep &step : plan.steps)
            m_entry.steps << masker.apply(stepDescription(step));
        m_entry.firstStep = fromStep;
        m_entry.backupDir = plan.backupDir;
        m_entry.inputs = plan.inputs;
        // A resumed run keeps what the run before it finished.
        const JournalEntry previous = Journal::read(journalPath);
        if (fromStep > 0 && previous.planId == m_entry.planId && previous.steps == m_entry.steps) {
            m_entry.done = previous.done;
            m_entry.firstStep = previous.firstStep;
        }
        for (int i = 0; i < fromStep; ++i) {
            if (!m_entry.done.contains(i))
                m_entry.done << i; // the caller says these are done
        }
        m_entry.pid = QCoreApplication::applicationPid();
        m_entry.started = started;
        return QString();
    }

    QString stepStarted(int index) override
    {
        m_entry.current = index;
        return write(QStringLiteral("running"));
    }

    QString stepSucceeded(int index) override
    {
        if (!m_entry.path.isEmpty() && !m_entry.done.contains(index))
            m_entry.done << index;
        return write(QStringLiteral("running"));
    }

    QString runEnded(const RunResult &result) override
    {
        if (result.success)
            return write(QStringLiteral("succeeded"));
        m_entry.message = result.message;
        return write(result.cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed"));
    }

private:
    QString write(const QString &state)
    {
        if (m_entry.path.isEmpty())
            return QString();
        m_entry.state = state;
        m_entry.updated = QDateTime::currentDateTime();
        QString error;
        const bool ok = m_written ? Journal::update(m_entry, &error) : Journal::write(m_entry, &error);
        m_written = m_written || ok;
        return ok ? QString() : error;
    }

    JournalEntry m_entry;
    bool m_written = false; // this run's journal was written whole; later changes append
};

namespace {

RunPreflight safetyPreflight()
{
    RunPreflight preflight;
    preflight.needed = [](const Plan &plan, int fromStep) {
        return plan.destructive || ServiceCheck::needed(plan, fromStep);
    };
    preflight.check = [](const Plan &plan, const QProcessEnvironment &environment, int fromStep) {
        return plan.destructive ? Preflight::check(plan, environment, fromStep)
                                : Preflight::checkServices(plan, environment, fromStep);
    };
    return preflight;
}

} // namespace

GuardedRunner::GuardedRunner(QObject *parent)
    : PlanRunner(parent)
    , m_journal(std::make_shared<RunJournalObserver>())
{
    addObserver(m_journal);
    setPreflight(safetyPreflight());
}

GuardedRunner::~GuardedRunner() = default;

void GuardedRunner::setJournalPath(const QString &path)
{
    m_journal->path = path;
}

void GuardedRunner::setPreflightEnabled(bool enabled)
{
    setPreflight(enabled ? safetyPreflight() : RunPreflight());
}
