#pragma once

#include "engine/runobserver.h"
#include "plan/plan.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

#include <atomic>

// Runs the steps that are not processes (SQL, files, waiting for the database) on the runner's
// worker thread, so the GUI thread never waits on the database or the disk. SQL steps (and the
// pre-flight and call steps, through openShared()) share one QPSQL connection per database for
// the whole run: connecting with scram-sha-256 costs more than most of the statements. The
// runner closes them when the run ends (closeConnections()); wait steps always connect afresh.
class StepWorker : public QObject
{
    Q_OBJECT

public:
    explicit StepWorker(const std::atomic_bool *cancelled);

    // Called on the worker thread (queued). Each ends with exactly one done().
    void runSql(int index, const SqlStep &step);
    void runWait(int index, const WaitStep &step);
    void runFiles(int index, const FileStep &step);
    void runCall(int index, const CallStep &step);
    // A pre-flight check of a plan (RunPreflight::check); ends with preflightDone().
    void runPreflight(const RunPreflight &preflight, const Plan &plan, const QProcessEnvironment &environment,
                      int fromStep);

    // Closes the run's shared connections (on the worker thread: queued, or at thread end).
    void closeConnections();

    // psql-like text table of a result (header, rule, rows, "(N rows)").
    static QString formatTable(const QStringList &columns, const QList<QStringList> &rows);

    // A connection to settings for the calling thread, by name: on a StepWorker's thread the run's
    // shared one (checked alive, reopened when the server dropped it), elsewhere a one-off.
    // Empty name and *error on failure. Drop every QSqlDatabase/QSqlQuery handle, then call
    // releaseShared(name, broken): one-offs and broken connections are removed, shared ones kept.
    static QString openShared(const DbSettings &settings, int connectTimeoutSec, QString *error);
    static void releaseShared(const QString &name, bool broken = false);

signals:
    void text(int index, const QByteArray &utf8, int channel); // channel: 0 stdout, 1 stderr
    void done(int index, int exitCode, const QString &error);
    void preflightDone(const QStringList &problems);

private:
    QString nextConnectionName();
    bool copyWithChecksums(int index, const FileStep &step, QString *error);
    void say(int index, const QString &line, int channel = 0);

    const std::atomic_bool *m_cancelled;
    int m_connections = 0;
    QHash<QString, QString> m_shared; // settings key → open connection name (this thread's)
};
