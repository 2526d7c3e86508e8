#pragma once

#include "console/outputchannel.h"
#include "project/composecli.h"
#include "project/projectconfig.h"
#include "safety/runjournal.h"

#include <QList>
#include <QObject>
#include <QStringList>

class ProjectLockHolder;

// The project the window works on: opening a folder (detection asks the compose CLI, so it runs
// off the GUI thread; the latest open wins; the config carries its compose variant), the project lock (one MigrationDesk per project and database), runs an earlier
// session left unfinished, the saved settings and the Recent Projects list. It shows nothing: the
// window, the panels and the console listen to its signals.
//
// Applying a project emits, in this order: projectChanged(); then either cannotOpen(), or
// opened(), unfinishedRuns() when there are any, warningsChanged(), ready(). lockLost() may follow at any time.
class ProjectSession : public QObject
{
    Q_OBJECT
public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    // Detects the project in dir off the GUI thread, applies its saved settings, then applies it.
    void openFolder(const QString &dir);
    // An already resolved configuration (the demo, command-line overrides, tests): nothing is
    // saved for it. warnings are announced like detection warnings.
    void openConfig(const ProjectConfig &config, const QStringList &warnings = {});
    // Opens the current project again (its folder may have been fixed, its settings changed).
    void reopen();
    // Saves what the user changed in the settings dialog and applies it.
    void saveSettings(const ProjectOverrides &overrides);

    bool hasProject() const { return !m_config.root.isEmpty(); }
    ProjectConfig config() const { return m_config; }
    ProjectConfig detected() const { return m_detected; }
    // What the settings dialog starts from (nothing for a caller-made configuration).
    ProjectOverrides savedOverrides() const;

    // While a plan runs, another project is refused: its lock and secrets are still in use.
    // title: the running plan's title, empty when none runs.
    void setRunningPlan(const QString &title) { m_runningPlan = title; }

    static QStringList recentProjects();
    static void clearRecentProjects();
    // "“Automated migration reset” did not finish: Steps 1–3 done; …"
    static QString unfinishedRunText(const JournalEntry &entry);
    // Stops reminding of these runs of the project at root (their backups stay).
    static void forgetRuns(const QString &root, const QList<JournalEntry> &entries);

signals:
    // openFolder() started reading dir / finished (applied or refused).
    void detecting(const QString &dir);
    void detectionFinished(const QString &root);
    // A project is being applied; otherProject: rows, graphs and plans of the previous one must go.
    void projectChanged(const ProjectConfig &config, bool otherProject);
    // The folder cannot be used as a project (no manage.py...): nothing may run against it.
    // Errors, warnings and unfinished runs are also told as message()s, before these signals.
    void cannotOpen(const QStringList &errors);
    // The project is usable: plans and panels work on it from now on.
    void opened(const ProjectConfig &config);
    // Runs of an earlier session that did not finish (newest first).
    void unfinishedRuns(const QList<JournalEntry> &entries);
    // Detection warnings of the project just opened (empty: none).
    void warningsChanged(const QStringList &warnings);
    // Everything above is done: read the status.
    void ready(const ProjectConfig &config);
    // Another MigrationDesk holds the project (or the lock failed): this window may look, not act.
    void lockLost(const QString &message);
    void recentProjectsChanged();
    // What the session did or refused, for the console.
    void message(const QString &text, MessageLevel level);

private:
    void sweepScratchDatabases(const DbSettings &db);
    void apply(const ProjectConfig &config, const ProjectConfig &detected, const QStringList &errors,
               const QStringList &warnings);
    void onLockAnswer(int result, const QString &message);

    ProjectConfig m_detected; // as detected (for the settings dialog)
    ProjectConfig m_config;   // as used
    bool m_configFromCaller = false; // openConfig(): no saved settings to re-detect from
    quint64 m_openJob = 0;           // the latest openFolder(): older detections are dropped
    QString m_runningPlan;
    ProjectLockHolder *m_lock;
};
