// The automated migration reset through the engine (facts → plan → PlanRunner, pre-flight,
// backups, journal and log included) beside the same commands from a plain bash script, each on
// its own freshly migrated copy of the Hanna fixture, interleaved in the same run. Prints the
// medians and their ratio (goal: engine ≤ 1.05 × script).
#include "guide/guidefactsreader.h"
#include "ops/operationcatalog.h"
#include "ops/planrenderer.h"
#include "ops/planrunner.h"
#include "testbed.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

constexpr int kRuns = 5;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

// The guide's commands as a Hanna developer would script them, with the same safety: a verified
// custom-format dump, a JSON snapshot of the rows, a copy of the files. Run with /bin/bash (the
// reference only; the app never runs a shell).
const char *kScript = R"BASH(#!/bin/bash
set -euo pipefail
root=$1; backup=$2; psql=(psql -X -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME")
export PGPASSWORD=$DB_PASSWORD
mkdir -p "$backup"
pg_dump -Fc -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" > "$backup/database.dump"
pg_restore --list "$backup/database.dump" > "$backup/database.toc"
grep -q "django_migrations" "$backup/database.toc"
pg_restore -f /dev/null "$backup/database.dump"
"${psql[@]}" -Atc "SELECT json_agg(m) FROM django_migrations m" > "$backup/django_migrations.json"
cd "$root"
files=$(find whatsappcrm_backend -path '*/migrations/*.py' -not -name __init__.py)
cp -a --parents $files "$backup/"
"${psql[@]}" -c "DELETE FROM django_migrations WHERE app IN ('conversations','customer_data','flows','meta_integration')"
find whatsappcrm_backend -path '*/migrations/*.py' -not -name __init__.py -delete
find whatsappcrm_backend -path '*/migrations/__pycache__' -prune -exec rm -rf {} +
cd whatsappcrm_backend
/usr/bin/python3 -u manage.py makemigrations
/usr/bin/python3 -u manage.py migrate --fake-initial --noinput
)BASH";

bool runEngine(const ProjectConfig &config, double *ms, QString *error)
{
    QElapsedTimer clock;
    clock.start();
    OperationOptions options;
    options.facts = GuideFactsReader::read(QStringLiteral("reset-migrations"), config, options);
    const QStringList blockers = OperationCatalog::blockers(QStringLiteral("reset-migrations"), config, options);
    if (!blockers.isEmpty()) {
        *error = blockers.join(QLatin1Char(' '));
        return false;
    }
    const Plan plan = OperationCatalog::build(QStringLiteral("reset-migrations"), config, options);
    PlanRunner runner;
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

bool runScript(const QString &script, const TestBed::MigratedProject &p, const QString &backup, double *ms,
               QString *error)
{
    QElapsedTimer clock;
    clock.start();
    QString output;
    const int code = TestBed::run(QStringLiteral("/bin/bash"), {script, p.dir, backup}, p.dir,
                                  TestBed::manageEnvironment(p.db), &output, 300000);
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
    const QString script = tmp.path() + QStringLiteral("/reset.sh");
    QFile file(script);
    if (!file.open(QIODevice::WriteOnly) || file.write(kScript) < 0)
        return 1;
    file.close();

    QList<double> engine, shell;
    QStringList databases;
    for (int i = 0; i < kRuns; ++i) {
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
                                      : runScript(script, p, p.dir + QStringLiteral(".backup"), &ms, &error);
            if (!ok) {
                std::fprintf(stderr, "%s run %d failed: %s\n", useEngine ? "engine" : "script", i, qPrintable(error));
                return 1;
            }
            (useEngine ? engine : shell) << ms;
        }
    }
    for (const QString &db : std::as_const(databases))
        TestBed::dropDatabase(db);
    const double e = median(engine);
    const double s = median(shell);
    std::printf("automated reset (Local, Hanna fixture), median of %d: engine %.0f ms, bash script %.0f ms, "
                "ratio %.3fx (goal <= 1.05x)\n",
                kRuns, e, s, e / s);
    return 0;
}
