#pragma once

#include "ops/plan.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

#include <atomic>

// Runs the steps that are not processes (SQL, files, waiting for the database) on the runner's
// worker thread, so the GUI thread never waits on the database or the disk. Each SQL or wait step
// opens its own named QPSQL connection on this thread and removes it when done.
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
    // Pre-flight of a plan (safety/preflight.h); ends with preflightDone().
    void runPreflight(const Plan &plan, const QProcessEnvironment &environment, int fromStep);

    // psql-like text table of a result (header, rule, rows, "(N rows)").
    static QString formatTable(const QStringList &columns, const QList<QStringList> &rows);

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
};
