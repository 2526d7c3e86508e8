#include "cli/doctorcommand.h"

#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "console/secretmasker.h"
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "ops/planrenderer.h"
#include "safety/projectlock.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

namespace {

QJsonObject diagnosisToJson(const Diagnosis &d)
{
    QJsonArray findings;
    for (const Finding &f : d.findings)
        findings.append(f.toJson());
    return QJsonObject{{QStringLiteral("project"), d.inputs.context.config.root},
                       {QStringLiteral("healthy"), d.healthy()},
                       {QStringLiteral("error"), d.error.isEmpty() ? QJsonValue() : QJsonValue(d.error)},
                       {QStringLiteral("warnings"), QJsonArray::fromStringList(d.warnings)},
                       {QStringLiteral("elapsedMs"), d.elapsedMs},
                       {QStringLiteral("findings"), findings}};
}

void printText(QTextStream &out, const Diagnosis &d)
{
    if (d.findings.isEmpty() && d.ok()) {
        out << "No problems found (" << d.inputs.graph.size() << " migrations, " << d.inputs.records.size()
            << " rows).\n";
        return;
    }
    int n = 0;
    for (const Finding &f : d.findings) {
        out << '\n' << ++n << ". [" << severityName(f.severity) << "] " << findingKindName(f.kind) << ": " << f.title << '\n';
        out << "   " << f.explanation << '\n';
        for (const QString &e : f.evidence)
            out << "   - " << e << '\n';
        for (const DoctorFix &fix : f.fixes)
            out << "   fix" << (fix.recommended ? " (recommended)" : "") << ": " << fix.title << '\n';
    }
}

int exitCodeFor(const Diagnosis &d)
{
    if (!d.ok())
        return 2;
    return d.findings.isEmpty() ? 0 : 1;
}

} // namespace

int runDoctorCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Find what is wrong with a project's migrations and repair it."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("fix"), QStringLiteral("Apply the recommended fixes (needs --yes; without it, "
                                                            "print the plan and exit 2).")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("Confirm --fix.")});
    parser.addOption({QStringLiteral("confirm-database"),
                      QStringLiteral("On a production-looking project (allowed in its profile), the database name, typed."),
                      QStringLiteral("NAME")});
    ProjectOptions::addTo(parser);
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("doctor"), arguments, &project))
        return *stop;
    QTextStream err(stderr);
    QTextStream out(stdout);
    const bool json = parser.isSet(QStringLiteral("json"));
    const SecretMasker masker(QStringList{project.config.db.password});

    DoctorOptions options;
    if (project.config.target == TargetKind::Compose)
        options.composeVariant = ComposeCli::detect();
    Diagnosis diagnosis = MigrationDoctor::diagnose(project.config, options);
    for (const QString &w : diagnosis.warnings)
        err << "warning: " << masker.apply(w) << '\n';
    if (!diagnosis.ok())
        err << "error: " << masker.apply(diagnosis.error) << '\n';

    if (!parser.isSet(QStringLiteral("fix")) || !diagnosis.ok() || diagnosis.findings.isEmpty()) {
        if (json)
            out << QJsonDocument(diagnosisToJson(diagnosis)).toJson(QJsonDocument::Indented);
        else
            printText(out, diagnosis);
        return exitCodeFor(diagnosis);
    }

    const Plan plan = diagnosis.fixAllPlan();
    if (plan.steps.isEmpty()) {
        if (json)
            out << QJsonDocument(diagnosisToJson(diagnosis)).toJson(QJsonDocument::Indented);
        else
            printText(out, diagnosis);
        err << "No finding has a fix that is safe to apply automatically; choose one in the Doctor panel.\n";
        return 1;
    }
    if (!parser.isSet(QStringLiteral("yes"))) {
        if (json) {
            QJsonObject o = diagnosisToJson(diagnosis);
            o.insert(QStringLiteral("fixPlan"), PlanRenderer::render(plan));
            out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        } else {
            printText(out, diagnosis);
            out << "\nThe fix would run:\n" << PlanRenderer::render(plan) << '\n';
        }
        err << "Nothing was changed: add --yes to apply these fixes.\n";
        return 2;
    }

    out.flush();
    err.flush();
    // The fixes change django_migrations and files: not on production without the typed name,
    // not while another MigrationDesk works on the project.
    ProjectLock lock;
    QString refusal;
    if (!TerminalRun::guardAndLock(project.config, plan, parser.value(QStringLiteral("confirm-database")), &lock,
                                   &refusal)) {
        err << "migrationdesk doctor: " << masker.apply(refusal) << '\n';
        return 2;
    }
    QString folderError;
    if (!PlanExecution::prepareOutputFolders(plan, &folderError)) {
        err << "migrationdesk doctor: " << folderError << '\n';
        return 2;
    }
    // Process output goes to stderr so --json keeps stdout parseable; Ctrl+C cancels cleanly.
    const RunResult run = TerminalRun::execute(plan, 0, stderr).result;
    int verifyIndex = -1;
    for (int i = 0; i < plan.steps.size(); ++i) {
        if (DoctorPlans::isVerifyStep(plan.steps.at(i)))
            verifyIndex = i;
    }
    Diagnosis after = MigrationDoctor::diagnose(project.config, options);
    if (json) {
        QJsonObject o = diagnosisToJson(after);
        o.insert(QStringLiteral("fixed"), QJsonObject{{QStringLiteral("success"), run.success},
                                                      {QStringLiteral("message"), run.message},
                                                      {QStringLiteral("failedStep"), run.failedStep}});
        out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        out << (run.success ? "Fixes applied and verified by Django.\n" : "")
            << "After the fixes:";
        printText(out, after);
    }
    if (!run.success) {
        err << "error: " << run.message << '\n';
        if (!run.errorTail.isEmpty())
            err << run.errorTail << '\n';
        // Only Django's verification failed: the history still has problems, reported above.
        return run.failedStep == verifyIndex && after.ok() ? 1 : 2;
    }
    return exitCodeFor(after);
}
