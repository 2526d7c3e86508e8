// `migrationdesk status` as a script runs it, at 10k, 100k and 1M django_migrations rows (1,000
// files on disk), --json and text, beside `psql -Atc` running the same SELECT in the same run.
// Prints wall time (median of 3), the ratio to psql, and each process's peak RSS (getrusage
// through wait4), so growth in time and memory shows per row count.
//
// Usage: bench_statusjson [MAX_ROWS]   (default 1000000)
//   BENCH_BINARY=path   time that migrationdesk instead of this build's
//   BENCH_COMPARE=path  also time that one, interleaved run by run (a before/after on one machine
//                       state: its --json median is printed on a line of its own)
//   BENCH_RUNS=n        runs per figure (default 3)
#include "db/migrationrecordstore.h"
#include "testbed.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int kApps = 10;
constexpr int kFilesPerApp = 100;
constexpr int kRuns = 3;

struct ChildRun
{
    double ms = 0;
    long peakRssKb = 0;
    qint64 outputBytes = 0;
    int exitCode = -1;
};

// fork + exec + wait4: QProcess reaps its children itself, and wait4 is the only way to get
// one child's own peak RSS. stdout is read (and counted) as a consumer would.
ChildRun runChild(const QString &program, const QStringList &args, const QStringList &extraEnv)
{
    std::vector<QByteArray> storage{program.toLocal8Bit()};
    for (const QString &a : args)
        storage.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<QByteArray> envStorage;
    for (const QString &e : extraEnv)
        envStorage.push_back(e.toLocal8Bit());

    ChildRun run;
    int pipeFds[2];
    if (pipe(pipeFds) != 0)
        return run;
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipeFds[1], 1);
        const int devNull = open("/dev/null", O_WRONLY); // the CLI's warnings about the bare project
        dup2(devNull, 2);
        close(pipeFds[0]);
        close(pipeFds[1]);
        for (QByteArray &e : envStorage)
            putenv(e.data());
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(pipeFds[1]);
    static char buffer[1 << 16];
    for (ssize_t n; (n = read(pipeFds[0], buffer, sizeof buffer)) != 0;) {
        if (n > 0)
            run.outputBytes += n;
        else if (errno != EINTR)
            break;
    }
    close(pipeFds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    run.ms = timer.nsecsElapsed() / 1e6;
    run.peakRssKb = usage.ru_maxrss;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

ChildRun medianRun(QList<ChildRun> runs)
{
    std::sort(runs.begin(), runs.end(), [](const ChildRun &a, const ChildRun &b) { return a.ms < b.ms; });
    return runs.at(runs.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int maxRows = argc > 1 ? std::atoi(argv[1]) : 1000000;
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_statusjson: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    const QString dbName = TestBed::createDatabase(QStringLiteral("bench_statusjson"));
    DbSettings db = TestBed::server();
    db.name = dbName;
    QString error;
    if (!TestBed::execSql(db, QStringLiteral(
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, "
            "name varchar(255) NOT NULL, applied timestamptz NOT NULL)"), &error)) {
        std::fprintf(stderr, "setup failed: %s\n", qPrintable(error));
        return 1;
    }
    // A project the CLI detects: manage.py in backend/, 10 apps with 100 migration files each.
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("project"));
    const QString backend = root + QStringLiteral("/backend");
    QDir().mkpath(backend);
    QFile(backend + QStringLiteral("/manage.py")).open(QIODevice::WriteOnly);
    for (int a = 0; a < kApps; ++a) {
        const QString migrations = QStringLiteral("%1/app%2/migrations").arg(backend).arg(a);
        QDir().mkpath(migrations);
        QFile(migrations + QStringLiteral("/__init__.py")).open(QIODevice::WriteOnly);
        for (int i = 0; i < kFilesPerApp; ++i) {
            QFile f(QStringLiteral("%1/%2_migration.py").arg(migrations).arg(i, 4, 10, QLatin1Char('0')));
            f.open(QIODevice::WriteOnly);
            f.write("from django.db import migrations\n");
        }
    }
    // BENCH_BINARY: another build of migrationdesk (a before/after in the same cluster).
    const QString binary = qEnvironmentVariable("BENCH_BINARY", QStringLiteral(MIGRATIONDESK_BINARY));
    const QString compare = qEnvironmentVariable("BENCH_COMPARE");
    const int runs = qEnvironmentVariableIsSet("BENCH_RUNS") ? std::max(1, qEnvironmentVariableIntValue("BENCH_RUNS")) : kRuns;
    const QStringList common{QStringLiteral("status"), QStringLiteral("--project"), root,
                             QStringLiteral("--target"), QStringLiteral("local"),
                             QStringLiteral("--db-host"), db.host, QStringLiteral("--db-port"), QString::number(db.port),
                             QStringLiteral("--db-name"), db.name, QStringLiteral("--db-user"), db.user};
    const QStringList env{QStringLiteral("MIGRATIONDESK_DB_PASSWORD=") + db.password,
                          QStringLiteral("PGPASSWORD=") + db.password,
                          QStringLiteral("XDG_CONFIG_HOME=") + tmp.filePath(QStringLiteral("config"))};
    const QString psql = QString::fromLatin1(TestBed::kPgBin) + QStringLiteral("/psql");
    const QStringList psqlArgs{QStringLiteral("-h"), db.host, QStringLiteral("-p"), QString::number(db.port),
                               QStringLiteral("-U"), db.user, QStringLiteral("-d"), db.name,
                               QStringLiteral("-Atc"), MigrationRecordStore::readAllSql()};

    std::printf("migrationdesk status vs psql -Atc of the same SELECT, %d files (median of %d; RSS = peak)\n",
                kApps * kFilesPerApp, runs);
    std::printf("%9s %10s %10s %10s %9s %9s %11s %11s %10s %10s\n", "rows", "json ms", "text ms", "psql ms",
                "json/psql", "text/psql", "json RSS MB", "text RSS MB", "psql RSS", "json MB");
    bool ok = true;
    int inserted = 0;
    for (const int rows : {10000, 100000, 1000000}) {
        if (rows > maxRows)
            break;
        // rows over 20 apps, half with files: Applied, Orphan and External rows, as bench_status
        if (!TestBed::execSql(db, QStringLiteral(
                "INSERT INTO django_migrations (app, name, applied) "
                "SELECT 'app' || (g % 20), lpad((g / 20)::text, 5, '0') || '_migration', "
                "now() - (g || ' seconds')::interval FROM generate_series(%1, %2) g; ANALYZE django_migrations")
                .arg(inserted + 1).arg(rows), &error)) {
            std::fprintf(stderr, "insert failed: %s\n", qPrintable(error));
            return 1;
        }
        inserted = rows;
        QList<ChildRun> json, text, ref, otherJson, otherText;
        for (int r = 0; r < runs; ++r) {
            json << runChild(binary, common + QStringList{QStringLiteral("--json")}, env);
            if (!compare.isEmpty())
                otherJson << runChild(compare, common + QStringList{QStringLiteral("--json")}, env);
            text << runChild(binary, common, env);
            if (!compare.isEmpty())
                otherText << runChild(compare, common, env);
            ref << runChild(psql, psqlArgs, env);
        }
        const ChildRun j = medianRun(json), t = medianRun(text), p = medianRun(ref);
        ok = ok && j.exitCode == 1 && t.exitCode == 1 && p.exitCode == 0 && j.outputBytes > rows * 100;
        std::printf("%9d %10.0f %10.0f %10.0f %8.2fx %8.2fx %11.0f %11.0f %10.0f %10.1f\n", rows, j.ms, t.ms, p.ms,
                    j.ms / p.ms, t.ms / p.ms, j.peakRssKb / 1024.0, t.peakRssKb / 1024.0, p.peakRssKb / 1024.0,
                    j.outputBytes / 1048576.0);
        if (!compare.isEmpty()) {
            const ChildRun oj = medianRun(otherJson), ot = medianRun(otherText);
            std::printf("%9s %10.0f %10.0f %10s %8.2fx %8.2fx   (BENCH_COMPARE, interleaved)\n", "", oj.ms, ot.ms, "",
                        oj.ms / p.ms, ot.ms / p.ms);
        }
    }
    std::printf("goal: json/psql <= 1.5x%s\n", ok ? "" : "   A RUN FAILED (exit code or output)");
    TestBed::dropDatabase(dbName);
    return ok ? 0 : 1;
}
