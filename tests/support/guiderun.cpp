#include "guiderun.h"

#include "testbed.h"

#include "operations/guidefactsreader.h"
#include "operations/guideoptions.h"
#include "safety/guardedrunner.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

namespace GuideRun {

const QString kSuperPassword = QStringLiteral("Sup3r-S\u00e9ntinel-pw");
const QStringList kApps{QStringLiteral("conversations"), QStringLiteral("customer_data"), QStringLiteral("flows"),
                        QStringLiteral("meta_integration")};

// What the GUI and the CLI do: read the facts, refuse on blockers, build, run.
Outcome runOperation(const QString &name, const ProjectConfig &config, OperationOptions options,
                     const QProcessEnvironment &env, int fromStep)
{
    Outcome outcome;
    options.facts = GuideFactsReader::read(name, config, options, env);
    outcome.blockers = OperationCatalog::blockers(name, config, options);
    if (!outcome.blockers.isEmpty() && fromStep == 0)
        return outcome;
    outcome.plan = OperationCatalog::build(name, config, options);
    GuardedRunner runner;
    runner.setEnvironment(env);
    runner.setMaskedTextEnabled(true);
    QObject::connect(&runner, &PlanRunner::maskedText,
                     [&](const QString &text, OutputChannel) { outcome.text += text; });
    QObject::connect(&runner, &PlanRunner::stepStarted,
                     [&](int, const QString &header) { outcome.text += QStringLiteral("==> ") + header + QLatin1Char('\n'); });
    QSignalSpy finished(&runner, &PlanRunner::finished);
    if (!runner.start(outcome.plan, fromStep)) {
        outcome.result.message = QStringLiteral("the runner did not start the plan");
        return outcome;
    }
    if (!finished.wait(300000)) {
        outcome.result.message = QStringLiteral("no result within 300 s");
        return outcome;
    }
    outcome.result = finished.constFirst().constFirst().value<RunResult>();
    return outcome;
}

QString describe(const Outcome &o)
{
    return QStringLiteral("blockers: %1\nmessage: %2\nproblems: %3\noutput:\n%4")
        .arg(o.blockers.join(QStringLiteral("; ")), o.result.message, o.result.problems.join(QStringLiteral("; ")),
             o.text.right(4000));
}

QStringList migrationFiles(const QString &projectDir)
{
    QStringList files;
    for (const QString &app : kApps) {
        const QDir dir(TestBed::backendDir(projectDir) + QLatin1Char('/') + app + QStringLiteral("/migrations"));
        for (const QString &entry : dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot, QDir::Name))
            files << app + QStringLiteral("/migrations/") + entry;
    }
    return files;
}

QStringList appRows(const DbSettings &db)
{
    return TestBed::queryStrings(db, QStringLiteral("SELECT app || '.' || name FROM django_migrations WHERE app IN "
                                                    "('conversations','customer_data','flows','meta_integration') "
                                                    "ORDER BY 1"));
}

QString git(const QStringList &args, const QString &dir)
{
    QString out;
    TestBed::run(QStringLiteral("git"), args, dir, QProcessEnvironment::systemEnvironment(), &out);
    return out.trimmed();
}

OperationOptions superuserOptions()
{
    OperationOptions options;
    options.values.insert(GuideOption::Username, QStringLiteral("admin"));
    options.values.insert(GuideOption::Email, QStringLiteral("admin@hanna.example"));
    options.superuserPassword = kSuperPassword;
    return options;
}

// The effects every completed reset of the migrations leaves behind.
void verifyRegenerated(const QString &dir, const DbSettings &db)
{
    const QStringList files = migrationFiles(dir);
    for (const QString &app : kApps) {
        QVERIFY2(files.contains(app + QStringLiteral("/migrations/0001_initial.py")), qPrintable(files.join(u' ')));
        QVERIFY(!files.contains(app + QStringLiteral("/migrations/0002_auto_20261124_0227.py")));
    }
    const QStringList rows = appRows(db);
    for (const QString &app : kApps)
        QVERIFY2(rows.contains(app + QStringLiteral(".0001_initial")), qPrintable(rows.join(u' ')));
    QVERIFY(!rows.contains(QStringLiteral("flows.0003_flowcontext")));
    // The tables stayed (faked, not recreated): the marker row survives.
    QCOMPARE(TestBed::queryStrings(db, QStringLiteral("SELECT name FROM flows_flow")), QStringList{QStringLiteral("marker")});
}


} // namespace GuideRun
