#include "operationcontroller.h"

#include "operations/guidefactsreader.h"
#include "plan/planrenderer.h"
#include "safety/guardedrunner.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace {
// Enough of a step's output for the migrate hints (they look at the last traceback).
constexpr qsizetype kStepOutputCap = 512 * 1024;
}

OperationController::OperationController(QObject *parent)
    : QObject(parent)
    , m_environment(QProcessEnvironment::systemEnvironment())
    , m_runner(new GuardedRunner(this))
{
    qRegisterMetaType<GuideFacts>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<Plan>();
    m_runner->setMaskedTextEnabled(true); // what the hints read, secrets already masked
    connect(m_runner, &PlanRunner::stepStarted, this, [this](int index, const QString &) { onStepStarted(index); });
    connect(m_runner, &PlanRunner::output, this, &OperationController::output); // the console masks
    connect(m_runner, &PlanRunner::maskedText, this, &OperationController::onMaskedText);
    connect(m_runner, &PlanRunner::stepFinished, this, &OperationController::stepFinished);
    connect(m_runner, &PlanRunner::finished, this, &OperationController::onFinished);
}

OperationController::~OperationController()
{
    // PlanRunner's destructor ends the process group; nothing may reach the console afterwards.
    disconnect(m_runner, nullptr, this, nullptr);
    cancelAllFacts(); // the app waits for its thread pool on the way out: not for a scratch migrate
}

void OperationController::cancelAllFacts()
{
    for (const auto &stop : std::as_const(m_factsStops))
        stop->store(true);
}

void OperationController::setProject(const ProjectConfig &config)
{
    if (config.root != m_config.root || config.target != m_config.target) {
        ++m_generation; // answers about the previous project are dropped
        cancelAllFacts(); // and the reads still making them stop
    }
    m_config = config;
}

OperationOptions OperationController::baseOptions() const
{
    return OperationOptions();
}

void OperationController::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
    m_runner->setEnvironment(environment);
}

quint64 OperationController::readFacts(const QString &operation, const OperationOptions &options, Facts extra)
{
    const Operation *op = OperationCatalog::find(operation);
    const Facts wanted = (op ? op->factsFor(options) : Facts()) | extra;
    const quint64 id = ++m_factsRequest;
    const quint64 generation = m_generation;
    const ProjectConfig config = m_config;
    const QProcessEnvironment environment = m_environment;
    QPointer<OperationController> self(this);
    const auto stop = std::make_shared<std::atomic_bool>(false);
    m_factsStops.insert(id, stop);
    (void)QtConcurrent::run([self, id, generation, wanted, config, options, environment, stop] {
        const GuideFacts facts =
            GuideFactsReader::read(wanted, config, options, environment, [stop] { return stop->load(); });
        QMetaObject::invokeMethod(
            qApp,
            [self, id, generation, facts, stop] {
                if (!self)
                    return;
                self->m_factsStops.remove(id);
                // Every requester (panel, wizard) matches its own id; another project's facts are dropped.
                if (self->m_generation == generation && !stop->load())
                    emit self->factsRead(id, facts);
            },
            Qt::QueuedConnection);
    });
    return id;
}

void OperationController::cancelFacts(quint64 id)
{
    if (const auto stop = m_factsStops.value(id))
        stop->store(true);
}

bool OperationController::run(const Plan &plan, int fromStep)
{
    if (m_runner->isRunning() || plan.steps.isEmpty() || !hasProject())
        return false;
    m_plan = plan;
    m_runningStep = -1;
    m_stepOutput.clear();
    QStringList secrets = plan.secrets;
    secrets << m_config.db.password;
    secrets.removeAll(QString());
    emit secretsInUse(secrets);
    emit message(fromStep > 0 ? tr("%1: resuming from step %2 of %3").arg(plan.title).arg(fromStep + 1).arg(plan.steps.size())
                              : tr("%1: %n step(s)", nullptr, int(plan.steps.size())).arg(plan.title),
                 MessageLevel::Info);
    if (!m_runner->start(plan, fromStep))
        return false;
    emit runningChanged(true);
    emit runStarted(plan, fromStep);
    return true;
}

bool OperationController::isRunning() const
{
    return m_runner->isRunning();
}

qint64 OperationController::processId() const
{
    return m_runner->processId();
}

void OperationController::setGracePeriod(int ms)
{
    m_runner->setGracePeriod(ms);
}

void OperationController::setLogPath(const QString &path)
{
    m_runner->setLogPath(path);
}

void OperationController::setJournalPath(const QString &path)
{
    m_runner->setJournalPath(path);
}

void OperationController::cancel()
{
    if (!m_runner->isRunning())
        return;
    emit message(tr("Stopping %1…").arg(m_plan.title), MessageLevel::Warning);
    m_runner->cancel();
}

bool OperationController::runningStepChangesProject() const
{
    return isRunning() && stepChangesProject(m_plan, m_runningStep);
}

bool OperationController::stepChangesProject(const Plan &plan, int index)
{
    if (!plan.destructive || index < 0 || index >= plan.steps.size())
        return false;
    struct Visitor
    {
        // A dump or listing into a file only reads; any other program of a destructive plan may
        // write (migrate, makemigrations, git, docker volume rm).
        bool operator()(const ProcessStep &step) const { return step.stdoutFile.isEmpty(); }
        bool operator()(const SqlStep &step) const
        {
            for (const SqlStatement &statement : step.statements) {
                const QString sql = statement.sql.trimmed();
                if (!sql.startsWith(QLatin1String("SELECT"), Qt::CaseInsensitive)
                    && !sql.startsWith(QLatin1String("WITH"), Qt::CaseInsensitive))
                    return true;
            }
            return false;
        }
        bool operator()(const FileStep &step) const { return step.remove; } // a copy only reads the project
        bool operator()(const WaitStep &) const { return false; }
        bool operator()(const CallStep &) const { return false; } // checks and manifests
    };
    return std::visit(Visitor{}, plan.steps.at(index));
}

void OperationController::onStepStarted(int index)
{
    m_runningStep = index;
    m_stepOutput.clear();
    if (index >= 0 && index < m_plan.steps.size()) {
        const PlanStep &step = m_plan.steps.at(index);
        emit outputEnded();
        emit message(tr("Step %1 of %2: %3").arg(index + 1).arg(m_plan.steps.size()).arg(stepDescription(step)),
                     MessageLevel::Info);
        emit commandStarted(PlanRenderer::renderStep(step, m_plan.secrets));
    }
    emit stepStarted(index, index >= 0 && index < m_plan.steps.size() ? stepDescription(m_plan.steps.at(index)) : QString());
}

void OperationController::onMaskedText(const QString &text, OutputChannel)
{
    m_stepOutput += text;
    if (m_stepOutput.size() > kStepOutputCap)
        m_stepOutput.remove(0, m_stepOutput.size() - kStepOutputCap);
}

void OperationController::onFinished(const RunResult &result)
{
    m_lastResult = result;
    reportResult(result);
    emit runningChanged(false);
    emit runFinished(result);
}

void OperationController::reportResult(const RunResult &result)
{
    emit outputEnded();
    for (const QString &problem : result.problems)
        emit message(problem, MessageLevel::Error);
    if (result.success) {
        emit message(tr("✔ %1").arg(result.message), MessageLevel::Info);
    } else if (result.cancelled) {
        emit message(tr("■ %1 was cancelled. %2").arg(result.title, result.message), MessageLevel::Warning);
    } else {
        QString text = tr("✘ %1 failed. %2").arg(result.title, result.message);
        if (!result.errorTail.isEmpty())
            text += QLatin1Char('\n') + result.errorTail;
        emit message(text, MessageLevel::Error);
    }
}
