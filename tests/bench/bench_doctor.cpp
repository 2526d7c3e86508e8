// Diagnosis of a 1,000-migration project beside `manage.py showmigrations --plan -v 2` alone,
// measured in the same run, as a ratio. The project is generated: 4 apps of 250 chained
// migrations (a CreateModel, then no-op RunPython steps), with a cross-app dependency every 50.
#include "doctor/migrationdoctor.h"
#include "status/statusloader.h"
#include "testbed.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

constexpr int kApps = 4;
constexpr int kPerApp = 250;
constexpr int kRuns = 5;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

bool write(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) >= 0;
}

QString migrationName(int i)
{
    return i == 1 ? QStringLiteral("0001_initial") : QStringLiteral("%1_step").arg(i, 4, 10, QLatin1Char('0'));
}

// A Django project shaped like the fixture (root/whatsappcrm_backend/manage.py) so the test
// bed's localConfig() fits it.
bool generate(const QString &root)
{
    const QString backend = TestBed::backendDir(root);
    bool ok = write(backend + QStringLiteral("/manage.py"),
                    QStringLiteral("import os, sys\n"
                                   "if __name__ == '__main__':\n"
                                   "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'benchproj.settings')\n"
                                   "    from django.core.management import execute_from_command_line\n"
                                   "    execute_from_command_line(sys.argv)\n"));
    QString apps;
    for (int a = 0; a < kApps; ++a)
        apps += QStringLiteral("'bench_app%1', ").arg(a);
    ok = ok && write(backend + QStringLiteral("/benchproj/__init__.py"), QString());
    ok = ok && write(backend + QStringLiteral("/benchproj/settings.py"),
                     QStringLiteral("import os\nSECRET_KEY = 'bench'\nUSE_TZ = True\n"
                                    "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n"
                                    "INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth', %1]\n"
                                    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',\n"
                                    "    'NAME': os.environ['DB_NAME'], 'USER': os.environ['DB_USER'],\n"
                                    "    'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': os.environ['DB_HOST'],\n"
                                    "    'PORT': os.environ['DB_PORT']}}\n")
                         .arg(apps));
    for (int a = 0; a < kApps && ok; ++a) {
        const QString app = QStringLiteral("bench_app%1").arg(a);
        const QString dir = backend + QLatin1Char('/') + app;
        ok = write(dir + QStringLiteral("/__init__.py"), QString()) && write(dir + QStringLiteral("/models.py"), QString())
             && write(dir + QStringLiteral("/migrations/__init__.py"), QString());
        for (int i = 1; i <= kPerApp && ok; ++i) {
            QString deps;
            if (i > 1)
                deps += QStringLiteral("('%1', '%2'), ").arg(app, migrationName(i - 1));
            if (a > 0 && i % 50 == 0)
                deps += QStringLiteral("('bench_app%1', '%2'), ").arg(a - 1).arg(migrationName(i));
            const QString ops = i == 1 ? QStringLiteral("migrations.CreateModel(name='Item', fields=[('id', "
                                                        "models.BigAutoField(primary_key=True, serialize=False))])")
                                       : QStringLiteral("migrations.RunPython(migrations.RunPython.noop, "
                                                        "migrations.RunPython.noop)");
            ok = write(dir + QStringLiteral("/migrations/%1.py").arg(migrationName(i)),
                       QStringLiteral("from django.db import migrations, models\n\n\n"
                                      "class Migration(migrations.Migration):\n%1"
                                      "    dependencies = [%2]\n"
                                      "    operations = [%3]\n")
                           .arg(i == 1 ? QStringLiteral("    initial = True\n") : QString(), deps, ops));
        }
    }
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!TestBed::available()) {
        std::fprintf(stderr, "bench_doctor: no test cluster (run through `cmake --build … --target bench`)\n");
        return 1;
    }
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("bench"));
    if (!generate(root)) {
        std::fprintf(stderr, "bench_doctor: could not generate the project\n");
        return 1;
    }
    DbSettings db = TestBed::server();
    db.name = TestBed::createDatabase(QStringLiteral("bench_doctor"));
    QString output;
    QElapsedTimer timer;
    timer.start();
    if (!TestBed::runManage(root, db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output, 900000)) {
        std::fprintf(stderr, "bench_doctor: migrate failed:\n%s\n", qPrintable(output.right(2000)));
        return 1;
    }
    std::printf("setup: %d project migrations (+ auth, contenttypes) generated and applied in %.1f s\n", kApps * kPerApp,
                timer.elapsed() / 1000.0);

    const ProjectConfig config = TestBed::localConfig(root, db);
    DoctorOptions options;
    options.backupsDir = tmp.filePath(QStringLiteral("backups"));
    QList<double> doctorMs, showMs, plainShowMs, statusMs;
    int findings = -1, nodes = 0;
    for (int run = 0; run < kRuns; ++run) {
        timer.restart();
        if (!TestBed::runManage(root, db, {QStringLiteral("showmigrations"), QStringLiteral("--plan"),
                                           QStringLiteral("-v"), QStringLiteral("2")}, &output)) {
            std::fprintf(stderr, "bench_doctor: showmigrations failed\n");
            return 1;
        }
        showMs << timer.nsecsElapsed() / 1e6;
        // The design's status target: the status table's load beside plain showmigrations.
        timer.restart();
        if (!TestBed::runManage(root, db, {QStringLiteral("showmigrations")}, &output)) {
            std::fprintf(stderr, "bench_doctor: showmigrations failed\n");
            return 1;
        }
        plainShowMs << timer.nsecsElapsed() / 1e6;
        timer.restart();
        const StatusResult status = StatusLoader::load(config);
        statusMs << timer.nsecsElapsed() / 1e6;
        if (!status.ok() || status.snapshot.rows.size() < kApps * kPerApp) {
            std::fprintf(stderr, "bench_doctor: status load failed: %s\n", qPrintable(status.error));
            return 1;
        }
        timer.restart();
        const Diagnosis d = MigrationDoctor::diagnose(config, options);
        doctorMs << timer.nsecsElapsed() / 1e6;
        if (!d.ok()) {
            std::fprintf(stderr, "bench_doctor: diagnosis failed: %s\n", qPrintable(d.error));
            return 1;
        }
        findings = int(d.findings.size());
        nodes = d.inputs.graph.size();
    }
    const double doctor = median(doctorMs), show = median(showMs);
    std::printf("doctor diagnosis of %d migrations (%d findings): %.0f ms (median of %d)\n", nodes, findings, doctor, kRuns);
    std::printf("showmigrations --plan -v 2 alone:                 %.0f ms (median of %d)\n", show, kRuns);
    std::printf("ratio doctor / showmigrations: %.2f\n", doctor / show);
    const double statusLoad = median(statusMs), plainShow = median(plainShowMs);
    std::printf("status load (DB + files) of the same project:     %.1f ms (median of %d)\n", statusLoad, kRuns);
    std::printf("manage.py showmigrations alone:                   %.0f ms\n", plainShow);
    std::printf("ratio status / showmigrations: %.3f   (goal <= 0.25)\n", statusLoad / plainShow);
    TestBed::dropDatabase(db.name);
    return findings == 0 ? 0 : 1;
}
