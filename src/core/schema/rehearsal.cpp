#include "schema/rehearsal.h"

#include "db/databaseconnection.h"
#include "plan/planoptions.h"
#include "schema/scratchdatabase.h"
#include "schema/scratchrun.h"
#include "scan/migrationfilescanner.h"
#include "targets/targets.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace {

// The manage.py arguments of a target's step (after "manage.py"), empty when it is none.
QStringList manageArgs(const ProcessStep &step)
{
    const qsizetype at = step.args.indexOf(QStringLiteral("manage.py"));
    return at < 0 ? QStringList() : step.args.mid(at + 1);
}

// The step's own variables, without the connection: the scratch database replaces it.
QList<EnvVar> extraEnv(const ProcessStep &step, const DbEnvNames &names)
{
    QList<EnvVar> env;
    for (const EnvVar &var : step.env) {
        if (var.name != names.name && var.name != names.user && var.name != names.password && var.name != names.host
            && var.name != names.port)
            env << var;
    }
    return env;
}

QString runSql(const DbSettings &db, const SqlStep &step)
{
    DatabaseConnection connection(db, QStringLiteral("rehearsal"));
    if (!connection.open())
        return connection.error();
    QSqlDatabase database = connection.database();
    if (!database.transaction())
        return database.lastError().text();
    for (int i = 0; i < step.statements.size(); ++i) {
        const SqlStatement &st = step.statements.at(i);
        QSqlQuery query(database);
        if (!DatabaseConnection::exec(query, st.sql, st.values)) {
            const QString why = query.lastError().text();
            database.rollback();
            return QStringLiteral("statement %1 failed: %2").arg(i + 1).arg(why);
        }
    }
    return database.commit() ? QString() : database.lastError().text();
}

// The file step's deletions, made in the copy: paths are relative to baseDir (the project or the
// backend), the copy stands for the backend.
void removeInCopy(const FileStep &step, const ProjectConfig &config, const QString &copy)
{
    for (const QString &path : step.paths) {
        const QString absolute = QDir(step.baseDir).absoluteFilePath(path);
        const QString relative = QDir(config.backendDir).relativeFilePath(absolute);
        if (relative.startsWith(QLatin1String("..")))
            continue;
        const QString target = copy + QLatin1Char('/') + relative;
        if (QFileInfo(target).isDir())
            QDir(target).removeRecursively();
        else
            QFile::remove(target);
    }
}

QString seconds(qint64 ms)
{
    return QString::number(ms / 1000.0, 'f', 1) + QStringLiteral(" s");
}

QString rehearse(const ProjectConfig &config, const Plan &real, const CallContext &context)
{
    auto say = [&](const QString &line) {
        if (context.say)
            context.say(line);
    };
    QString sweepError;
    for (const QString &name : ScratchDatabase::sweep(config.db, &sweepError))
        say(QStringLiteral("Dropped %1, a scratch database a stopped run left behind").arg(name));

    QTemporaryDir temp(QDir::tempPath() + QStringLiteral("/migrationdesk-rehearsal-XXXXXX"));
    if (!temp.isValid())
        return QStringLiteral("cannot create a temporary folder: ") + temp.errorString();
    const QString copy = temp.path() + QStringLiteral("/backend");
    QString error;
    if (!ScratchRun::copyTree(config.backendDir, copy, &error))
        return error;

    ScratchDatabase scratch;
    if (!scratch.create(config.db, QStringLiteral("rehearse"), &error))
        return error;
    const std::unique_ptr<Target> target = Targets::forProject(config);
    QElapsedTimer clock;
    clock.start();

    // The live database as it is now, into the scratch one.
    const QString dump = temp.path() + QStringLiteral("/live.dump");
    ProcessStep dumpStep = target->postgresTool(QStringLiteral("pg_dump"), {QStringLiteral("-Fc"), QStringLiteral("-U"), config.db.user,
                                                                        QStringLiteral("-d"), config.db.name});
    dumpStep.stdoutFile = dump;
    QString tail;
    if (ScratchRun::runStep(dumpStep, context, &tail) != 0)
        return QStringLiteral("pg_dump of %1 failed: %2").arg(config.db.name, tail);
    ProcessStep restore = target->postgresTool(QStringLiteral("pg_restore"),
                                               {QStringLiteral("--no-owner"), QStringLiteral("--exit-on-error"), QStringLiteral("-U"),
                                                config.db.user, QStringLiteral("-d"), scratch.name()});
    restore.stdinFile = dump;
    if (ScratchRun::runStep(restore, context, &tail) != 0)
        return QStringLiteral("pg_restore into %1 failed: %2").arg(scratch.name(), tail);
    say(QStringLiteral("Copied %1 into the scratch database %2 in %3").arg(config.db.name, scratch.name(), seconds(clock.restart())));

    int rehearsed = 0;
    for (int i = 0; i < real.steps.size(); ++i) {
        if (context.cancelled && context.cancelled())
            return QStringLiteral("stopped before step %1; the real database was not touched").arg(i + 1);
        const PlanStep &step = real.steps.at(i);
        const QString what = QStringLiteral("step %1 of %2 (%3)").arg(i + 1).arg(real.steps.size()).arg(stepDescription(step));
        QString failure;
        if (const auto *p = std::get_if<ProcessStep>(&step)) {
            const QStringList args = manageArgs(*p);
            if (args.isEmpty()) {
                say(QStringLiteral("skipped %1: not Django").arg(what));
                continue;
            }
            say(QStringLiteral("rehearsing %1: manage.py %2").arg(what, args.join(QLatin1Char(' '))));
            ProcessStep on = target->manageOn(scratch.name(), copy, args, extraEnv(*p, config.dbEnv));
            on.timeoutMs = p->timeoutMs;
            if (ScratchRun::runStep(on, context, &tail) != 0)
                failure = tail;
        } else if (const auto *sql = std::get_if<SqlStep>(&step)) {
            if (sql->db.name != config.db.name) {
                say(QStringLiteral("skipped %1: another database").arg(what));
                continue;
            }
            say(QStringLiteral("rehearsing %1").arg(what));
            failure = runSql(scratch.settings(), *sql);
        } else if (const auto *file = std::get_if<FileStep>(&step)) {
            if (!file->remove) {
                say(QStringLiteral("skipped %1: a copy for the backup").arg(what));
                continue;
            }
            removeInCopy(*file, config, copy);
            say(QStringLiteral("rehearsed %1 on the copy of the backend").arg(what));
            continue;
        } else {
            say(QStringLiteral("skipped %1").arg(what));
            continue;
        }
        const qint64 ms = clock.restart();
        if (!failure.isEmpty())
            return QStringLiteral("The rehearsal failed at %1 after %2; the real database was not touched:\n%3")
                .arg(what, seconds(ms), failure);
        say(QStringLiteral("  ok in %1").arg(seconds(ms)));
        ++rehearsed;
    }
    QString dropError;
    if (!scratch.drop(&dropError))
        say(QStringLiteral("Could not drop %1 (the next run drops it): %2").arg(scratch.name(), dropError));
    say(QStringLiteral("Rehearsal passed: %1 step(s) ran on a copy of %2; the real run may follow.").arg(rehearsed).arg(config.db.name));
    return QString();
}

} // namespace

bool Rehearsal::applies(const Plan &plan)
{
    for (const PlanStep &step : plan.steps) {
        if (std::holds_alternative<SqlStep>(step))
            return true;
        if (const auto *p = std::get_if<ProcessStep>(&step); p && !manageArgs(*p).isEmpty())
            return true;
    }
    return false;
}

Plan Rehearsal::plan(const ProjectConfig &config, const Plan &real)
{
    Plan rehearsal;
    rehearsal.id = QStringLiteral("rehearse-") + real.id;
    rehearsal.title = QStringLiteral("Rehearse: ") + real.title;
    rehearsal.projectRoot = real.projectRoot;
    rehearsal.secrets = real.secrets;
    rehearsal.inputs = real.inputs;
    CallStep step;
    step.description = QStringLiteral("Rehearse \"%1\" on a scratch copy of %2").arg(real.title, config.db.name);
    step.detail = QStringLiteral("pg_dump %1 | pg_restore into %2, then the plan's manage.py and SQL steps there on a "
                                 "copy of the backend, timed; DROP DATABASE. Your database and files stay as they are.")
                      .arg(config.db.name, ScratchDatabase::namePattern(config.db.name, QStringLiteral("rehearse")));
    step.db = config.db;
    step.needsDatabase = true;
    const ProjectConfig cfg = config;
    const Plan copy = real;
    step.run = [cfg, copy](const CallContext &context) { return rehearse(cfg, copy, context); };
    rehearsal.steps << step;
    return rehearsal;
}
