// The automated migration reset through the engine (facts → plan → PlanRunner, pre-flight,
// backups, journal and log included) beside the same plan's commands from a plain bash script,
// each on its own freshly migrated copy of the Hanna fixture, interleaved in the same run. Prints
// the medians and their ratio (goal: engine ≤ 1.05 × script). BENCH_RESET_RUNS sets the number of
// runs (default 7), BENCH_RESET_STEPS prints the engine's time per step, BENCH_RESET_SCRIPT the
// generated script. The schema check that starts the real plan is left out on both sides (the
// script has no equivalent); check-schema's own time is in the README.
#include "operations/guidefactsreader.h"
#include "operations/operationcatalog.h"
#include "plan/planrenderer.h"
#include "safety/guardedrunner.h"
#include "platform/shellquote.h"
#include "schema/schemacheck.h"
#include "testbed.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

int runCount()
{
    const int n = qEnvironmentVariableIntValue("BENCH_RESET_RUNS");
    return n > 0 ? n : 7;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

// Fair reference: the plan's OWN commands as a plain bash script. Process steps are written
// out with their exact program, arguments, environment, folder and redirections; the steps the
// engine runs in-process get their usual shell equivalent (psql for SQL, cp + sha256sum for the
// file backup, sha256sum for the manifest, psql + awk for the dump's table check). A step the
// generator does not know fails the benchmark instead of being skipped. Run with /bin/bash (the
// reference only; the app never runs a shell).
QString q(const QString &word) { return ShellQuote::quote(word); }

QString sqlLiteral(const QVariant &v)
{
    QString text = v.toString();
    text.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

QString boundSql(const SqlStatement &st)
{
    QString sql;
    int next = 0;
    for (const QChar c : st.sql) {
        if (c == QLatin1Char('?') && next < st.values.size())
            sql += sqlLiteral(st.values.at(next++));
        else
            sql += c;
    }
    return sql;
}

QString envPrefix(const QList<EnvVar> &env, const ProjectConfig &config, QString *error)
{
    QString out;
    for (const EnvVar &var : env) {
        if (var.secret && var.value != config.db.password)
            *error = QStringLiteral("unsupported secret in %1").arg(var.name);
        // The secret comes from the script's environment, never from the script's text.
        out += var.name + QLatin1Char('=') + (var.secret ? QStringLiteral("\"$DB_PASSWORD\"") : q(var.value))
            + QLatin1Char(' ');
    }
    return out;
}

QString scriptFor(const Plan &plan, const ProjectConfig &config, QString *error)
{
    const DbSettings &db = config.db;
    QStringList lines{
        QStringLiteral("#!/bin/bash"),
        QStringLiteral("set -euo pipefail"),
        QStringLiteral("export PGPASSWORD=\"$DB_PASSWORD\""),
        QStringLiteral("psql=(psql -X -q -v ON_ERROR_STOP=1 -h %1 -p %2 -U %3 -d %4)")
            .arg(q(db.host), QString::number(db.port), q(db.user), q(db.name)),
    };
    for (const PlanStep &step : plan.steps) {
        lines << QStringLiteral("# ") + stepDescription(step);
        if (const auto *p = std::get_if<ProcessStep>(&step)) {
            QString line = QStringLiteral("(cd %1 && %2%3)").arg(q(p->workingDir), envPrefix(p->env, config, error),
                                                                 ShellQuote::join(QStringList{p->program} + p->args));
            if (!p->stdinFile.isEmpty())
                line += QStringLiteral(" < ") + q(p->stdinFile);
            if (!p->stdoutFile.isEmpty())
                line += QStringLiteral(" > ") + q(p->stdoutFile);
            lines << line;
            for (const OutputCheck &check : p->outputChecks) {
                if (p->stdoutFile.isEmpty())
                    *error = QStringLiteral("output check without a stdout file");
                lines << QStringLiteral("grep -Pq -- %1 %2").arg(q(check.pattern), q(p->stdoutFile));
            }
        } else if (const auto *s = std::get_if<SqlStep>(&step)) {
            if (s->statements.size() != 1) {
                *error = QStringLiteral("multi-statement SQL step: %1").arg(s->description);
                continue;
            }
            const SqlStatement &st = s->statements.constFirst();
            if (!st.saveRowsTo.isEmpty())
                lines << QStringLiteral("\"${psql[@]}\" -Atc %1 > %2")
                             .arg(q(QStringLiteral("SELECT json_agg(t) FROM (%1) t").arg(boundSql(st))), q(st.saveRowsTo));
            else
                lines << QStringLiteral("\"${psql[@]}\" -c %1").arg(q(boundSql(st)));
        } else if (const auto *f = std::get_if<FileStep>(&step)) {
            const QString paths = ShellQuote::join(f->paths);
            if (!f->backupDir.isEmpty()) {
                if (f->checksumsFile.isEmpty() || f->verifyChecksums)
                    *error = QStringLiteral("unsupported file step: %1").arg(f->description);
                lines << QStringLiteral("mkdir -p -- %1").arg(q(f->backupDir));
                lines << QStringLiteral("(cd %1 && cp -a --parents -- %2 %3/ && find %2 -type f -print0 | xargs -0 "
                                        "sha256sum > %4 && cd %3 && sha256sum --quiet -c %4)")
                             .arg(q(f->baseDir), paths, q(f->backupDir), q(f->checksumsFile));
            }
            if (f->remove)
                lines << QStringLiteral("(cd %1 && rm -rf -- %2)").arg(q(f->baseDir), paths);
        } else if (const auto *c = std::get_if<CallStep>(&step)) {
            static const QString mkdir = QStringLiteral("mkdir -p ");
            static const QString compare = QStringLiteral("compare ");
            static const QString with = QStringLiteral(" with the tables of ");
            static const QString manifest = QStringLiteral("/manifest.json");
            static const QString lineEnds = QStringLiteral(" for \\n turned into \\r\\n");
            if (c->detail.startsWith(mkdir)) {
                lines << QStringLiteral("mkdir -p -- %1").arg(q(c->detail.mid(mkdir.size())));
            } else if (c->detail.startsWith(compare) && c->detail.contains(with)) {
                const QString toc = c->detail.mid(compare.size(), c->detail.indexOf(with) - compare.size());
                lines << QStringLiteral("\"${psql[@]}\" -Atc \"SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text "
                                        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind "
                                        "IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND "
                                        "n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'\" > %1.tables")
                             .arg(q(toc));
                lines << QStringLiteral("awk 'NR == FNR { if ($4 == \"TABLE\") { if ($5 == \"DATA\") d[$6 \".\" $7] = 1; "
                                        "else t[$5 \".\" $6] = 1 } next } !($1 in t) || ($2 != \"p\" && !($1 in d)) "
                                        "{ bad = 1; print \"missing \" $1 } END { exit bad }' %1 %1.tables")
                             .arg(q(toc));
            } else if (c->detail.startsWith(QStringLiteral("check ")) && c->detail.endsWith(lineEnds)) {
                // A mangled dump has no bare \n: every line would end in \r.
                const QString dump = c->detail.mid(6, c->detail.size() - 6 - lineEnds.size());
                lines << QStringLiteral("test \"$(tr -cd '\\n' < %1 | wc -c)\" -gt \"$(LC_ALL=C grep -ac $'\\r$' %1)\"")
                             .arg(q(dump));
            } else if (c->detail.startsWith(QStringLiteral("write ")) && c->detail.endsWith(manifest)) {
                const QString dir = c->detail.mid(6, c->detail.size() - 6 - manifest.size());
                lines << QStringLiteral("(cd %1 && find . -type f ! -name manifest.json -print0 | sort -z | xargs -0 "
                                        "sha256sum > manifest.json)")
                             .arg(q(dir));
            } else {
                *error = QStringLiteral("no script equivalent for: %1").arg(c->detail);
            }
        } else {
            *error = QStringLiteral("no script equivalent for: %1").arg(stepDescription(step));
        }
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

Plan resetPlan(const ProjectConfig &config, QString *error)
{
    OperationOptions options;
    options.facts = GuideFactsReader::read(QStringLiteral("reset-migrations"), config, options);
    const QStringList blockers = OperationCatalog::blockers(QStringLiteral("reset-migrations"), config, options);
    if (!blockers.isEmpty()) {
        *error = blockers.join(QLatin1Char(' '));
        return Plan();
    }
    Plan plan = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
    // The guide's script has no schema check (a scratch migrate, about 2 s): both sides go
    // without it, so the ratio compares the same work.
    plan.steps.removeIf([](const PlanStep &step) { return SchemaCheck::isGuardStep(step); });
    return plan;
}

bool runEngine(const ProjectConfig &config, double *ms, QString *error)
{
    QElapsedTimer clock;
    clock.start();
    const Plan plan = resetPlan(config, error); // facts and plan are part of the engine's time
    if (plan.steps.isEmpty())
        return false;
    GuardedRunner runner;
    runner.setMaskedTextEnabled(true);
    RunResult result;
    QEventLoop loop;
    QObject::connect(&runner, &PlanRunner::finished, &loop, [&](const RunResult &r) {
        result = r;
        loop.quit();
    });
    if (!runner.start(plan)) {
        *error = QStringLiteral("not started");
        return false;
    }
    loop.exec();
    *ms = double(clock.nsecsElapsed()) / 1e6;
    if (!result.success)
        *error = result.message + QLatin1Char('\n') + result.errorTail;
    if (qEnvironmentVariableIsSet("BENCH_RESET_STEPS")) { // where the engine's time goes
        std::fprintf(stderr, "  facts+build+preflight: %lld ms\n",
                     (long long)(*ms - double(result.started.msecsTo(result.finished))));
        for (const StepRecord &step : result.steps)
            std::fprintf(stderr, "  %5lld ms  %s\n", (long long)step.started.msecsTo(step.finished),
                         qPrintable(step.command.left(110)));
    }
    return result.success;
}

bool runScript(const TestBed::MigratedProject &p, const QString &scriptDir, double *ms, QString *error)
{
    // Generated before the clock starts, from the plan the engine would run on this copy.
    const Plan plan = resetPlan(p.config, error);
    if (plan.steps.isEmpty())
        return false;
    const QString text = scriptFor(plan, p.config, error);
    if (!error->isEmpty())
        return false;
    const QString script = scriptDir + QStringLiteral("/reset-%1.sh").arg(p.dbName);
    QFile file(script);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return false;
    file.close();
    if (qEnvironmentVariableIsSet("BENCH_RESET_SCRIPT"))
        std::fprintf(stderr, "%s", qPrintable(text));
    QElapsedTimer clock;
    clock.start();
    QString output;
    const int code = TestBed::run(QStringLiteral("/bin/bash"), {script}, p.dir, TestBed::manageEnvironment(p.db),
                                  &output, 300000);
    *ms = double(clock.nsecsElapsed()) / 1e6;
    if (code != 0)
        *error = output.right(2000);
    return code == 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_reset: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    QTemporaryDir tmp;
    qputenv("MIGRATIONDESK_STATE_DIR", (tmp.path() + QStringLiteral("/state")).toUtf8());
    QList<double> engine, shell;
    QStringList databases;
    const int runs = runCount();
    for (int i = 0; i < runs; ++i) {
        // Interleaved so drift on the shared machine hits both sides alike.
        for (int side = 0; side < 2; ++side) {
            const bool useEngine = (i + side) % 2 == 0;
            const TestBed::MigratedProject p = TestBed::migratedProject(
                tmp.path(), QStringLiteral("run %1 %2").arg(i).arg(useEngine ? QStringLiteral("engine") : QStringLiteral("script")));
            if (!p.ok()) {
                std::fprintf(stderr, "setup failed: %s\n", qPrintable(p.error));
                return 1;
            }
            databases << p.dbName;
            double ms = 0;
            QString error;
            const bool ok = useEngine ? runEngine(p.config, &ms, &error)
                                      : runScript(p, tmp.path(), &ms, &error);
            if (!ok) {
                std::fprintf(stderr, "%s run %d failed: %s\n", useEngine ? "engine" : "script", i, qPrintable(error));
                return 1;
            }
            (useEngine ? engine : shell) << ms;
            std::fprintf(stderr, "run %d %-6s %6.0f ms\n", i, useEngine ? "engine" : "script", ms);
        }
    }
    for (const QString &db : std::as_const(databases))
        TestBed::dropDatabase(db);
    const double e = median(engine);
    const double s = median(shell);
    std::printf("automated reset (Local, Hanna fixture), median of %d interleaved runs: engine %.0f ms, "
                "the plan's commands as a bash script %.0f ms, ratio %.3fx (goal <= 1.05x)\n",
                runs, e, s, e / s);
    return 0;
}
