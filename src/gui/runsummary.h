#pragma once

#include "console/outputchannel.h"
#include "plan/runresult.h"

#include <QObject>
#include <QString>

class OperationController;
class StatusPage;

// What a run changed, measured: django_migrations rows and migration files counted by the status
// load before the run and by the reload after it. -1: not known (no load, or it failed).
struct RunCounts
{
    int rows = -1;
    int files = -1;
};

// Every run ends with one line: how it ended, how long it took and what it changed
// ("✔ Clear history done in 3.2 s · −28 rows of django_migrations"). It waits for the status
// reload the run caused, so the counts are the database's and the disk's, not a guess.
class RunSummary : public QObject
{
    Q_OBJECT
public:
    RunSummary(OperationController *controller, StatusPage *page, QObject *parent = nullptr);

    // The line for result, from the counts before and after (pure: tests call it directly).
    static QString text(const RunResult &result, const RunCounts &before, const RunCounts &after);
    // The status bar's short form: "done in 3.2 s · +5 rows · 12 files".
    static QString shortText(const RunResult &result, const RunCounts &before, const RunCounts &after);

signals:
    // A run's summary, once its status reload ended (or failed).
    void summaryReady(const QString &line, const QString &shortLine, MessageLevel level);

private:
    RunCounts currentCounts() const;
    void onStatusLoaded(bool ok);

    StatusPage *m_page;
    RunCounts m_before;
    RunResult m_result;
    bool m_pending = false; // a run ended; its summary waits for the reload
};
