#include "projectsession.h"

#include "schema/scratchdatabase.h"

#include "projectlabels.h"

#include "project/projectloader.h"
#include "project/projectsettingsstore.h"
#include "safety/projectlockholder.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

ProjectSession::ProjectSession(QObject *parent)
    : QObject(parent)
    , m_lock(new ProjectLockHolder(this))
{
    connect(m_lock, &ProjectLockHolder::acquired, this,
            [this](ProjectLock::Result result, const QString &message) { onLockAnswer(int(result), message); });
}

ProjectSession::~ProjectSession() = default;

void ProjectSession::openFolder(const QString &dir)
{
    // Detection asks the compose CLI (`config`): never on the GUI thread. The latest open wins.
    const quint64 job = ++m_openJob;
    emit detecting(dir);
    struct Opened
    {
        ProjectLoadResult detected;
        ProjectConfig config;
    };
    auto *watcher = new QFutureWatcher<Opened>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job, dir] {
        watcher->deleteLater();
        if (job != m_openJob)
            return;
        const Opened opened = watcher->result();
        ProjectConfig config = opened.config;
        if (config.root.isEmpty())
            config.root = QFileInfo(dir).absoluteFilePath();
        // A saved backend folder fixes "no manage.py found" in the detected one.
        QStringList errors = opened.detected.errors;
        if (QFileInfo::exists(config.managePy()))
            errors.removeIf([](const QString &e) { return e.contains(QLatin1String("No manage.py")); });
        m_configFromCaller = false;
        apply(config, opened.detected.config, errors, opened.detected.warnings);
        emit detectionFinished(config.root);
    });
    watcher->setFuture(QtConcurrent::run([dir] {
        const ProjectOverrides saved = ProjectSettingsStore::load(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
        Opened opened;
        opened.detected = ProjectDetector::detect(dir, saved.composeFile);
        opened.config = opened.detected.config;
        saved.applyTo(opened.config);
        return opened;
    }));
}

void ProjectSession::openConfig(const ProjectConfig &config, const QStringList &warnings)
{
    ++m_openJob; // a detection still running for an earlier openFolder() must not replace this
    m_configFromCaller = true;
    apply(config, config, {}, warnings);
}

void ProjectSession::reopen()
{
    if (hasProject())
        openFolder(m_config.root);
}

ProjectOverrides ProjectSession::savedOverrides() const
{
    // For a caller-made config there is nothing saved yet: what is shown is what is used.
    return m_configFromCaller || !hasProject() ? ProjectOverrides() : ProjectSettingsStore::load(m_config.root);
}

void ProjectSession::saveSettings(const ProjectOverrides &overrides)
{
    if (!hasProject())
        return;
    ProjectSettingsStore::save(m_config.root, overrides);
    emit message(tr("Project settings saved"), MessageLevel::Info);
    if (m_configFromCaller) {
        ProjectConfig config = m_detected;
        overrides.applyTo(config);
        apply(config, m_detected, {}, {});
    } else {
        openFolder(m_config.root);
    }
}

void ProjectSession::apply(const ProjectConfig &config, const ProjectConfig &detected, const QStringList &errors,
                           const QStringList &warnings)
{
    if (!m_runningPlan.isEmpty()) {
        // The running plan holds this project's lock and secrets: switching now would release
        // the one and unmask the other.
        emit message(tr("%1 is running: stop it or let it finish before opening another project.").arg(m_runningPlan), MessageLevel::Warning);
        return;
    }
    const bool otherProject = QDir::cleanPath(config.root) != QDir::cleanPath(m_config.root);
    m_detected = detected;
    m_config = config;
    emit projectChanged(config, otherProject);
    if (!errors.isEmpty()) {
        m_lock->release();
        for (const QString &error : errors)
            emit message(error, MessageLevel::Error);
        emit cannotOpen(errors);
        return;
    }
    emit opened(config);
    // Operations stay usable while the lock is asked for; a refusal disables them.
    m_lock->acquire(config);
    // After a crash or kill mid-run, say what was done and what was not before anything else runs.
    if (const QList<JournalEntry> entries = Journal::unfinished(config); !entries.isEmpty()) {
        for (const JournalEntry &entry : entries)
            emit message(unfinishedRunText(entry), MessageLevel::Warning);
        emit unfinishedRuns(entries);
    }
    for (const QString &warning : warnings)
        emit message(warning, MessageLevel::Warning);
    emit warningsChanged(warnings);
    sweepScratchDatabases(config.db);
    if (!m_configFromCaller) {
        ProjectSettingsStore::addRecentProject(config.root);
        emit recentProjectsChanged();
    }
    emit message(tr("Backend %1, database %2, target %3")
                                         .arg(QDir::toNativeSeparators(config.backendDir),
                                              QStringLiteral("%1@%2:%3/%4")
                                                  .arg(config.db.user, config.db.host)
                                                  .arg(config.db.port)
                                                  .arg(config.db.name),
                                              ProjectLabels::targetLabel(config)), MessageLevel::Info);
    emit ready(config);
}

// A check or rehearsal killed mid-run (kill -9, power) left its scratch database: drop it now,
// off the GUI thread (a connection can take seconds to fail), and say so.
void ProjectSession::sweepScratchDatabases(const DbSettings &db)
{
    auto *watcher = new QFutureWatcher<QStringList>(this);
    connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher] {
        for (const QString &name : watcher->result())
            emit message(tr("Dropped %1, a scratch database a stopped check or rehearsal left behind").arg(name), MessageLevel::Info);
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([db] { return ScratchDatabase::sweep(db); }));
}

void ProjectSession::onLockAnswer(int result, const QString &text)
{
    switch (ProjectLock::Result(result)) {
    case ProjectLock::Result::Acquired:
        return;
    case ProjectLock::Result::AcquiredFileOnly:
        emit message(text, MessageLevel::Warning);
        return;
    case ProjectLock::Result::Refused:
    case ProjectLock::Result::Failed:
        break;
    }
    // Two windows changing one database at once is how histories get inconsistent.
    emit message(text, MessageLevel::Error);
    emit lockLost(text);
}

QString ProjectSession::unfinishedRunText(const JournalEntry &entry)
{
    return tr("“%1” did not finish: %2").arg(entry.title, entry.summary());
}

QStringList ProjectSession::recentProjects()
{
    return ProjectSettingsStore::recentProjects();
}

void ProjectSession::clearRecentProjects()
{
    for (const QString &dir : ProjectSettingsStore::recentProjects())
        ProjectSettingsStore::removeRecentProject(dir);
}

void ProjectSession::forgetRuns(const QString &root, const QList<JournalEntry> &entries)
{
    for (const JournalEntry &entry : entries)
        Journal::discard(root, entry.planId);
}
