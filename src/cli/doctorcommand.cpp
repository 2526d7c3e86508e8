#include "cli/doctorcommand.h"

#include "schema/rehearsal.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "console/secretmasker.h"
#include "doctor/migrationdoctor.h"
#include "doctor/planexecution.h"
#include "plan/planrenderer.h"
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
    return CliOutput::document(QStringLiteral("doctor"),
                               QJsonObject{{QStringLiteral("project"), d.inputs.context.config.root},
                                           {QStringLiteral("healthy"), d.healthy()},
                                           {QStringLiteral("warnings"), QJsonArray::fromStringList(d.warnings)},
                                           {QStringLiteral("elapsedMs"), d.elapsedMs},
                                           {QStringLiteral("findings"), findings}});
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

QList<QCommandLineOption> doctorCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("json"), QStringLiteral("Print JSON (docs/json-schema.md).")},
               {QStringLiteral("fix"), QStringLiteral("Apply the recommended fixes (needs --yes; without it, "
                                                      "print the plan and exit 2).")},
               {QStringLiteral("yes"), QStringLiteral("Confirm --fix.")},
               {QStringLiteral("rehearse"), QStringLiteral("With --fix: run the fixes' manage.py and SQL steps on a scratch "
                                                           "copy of the database instead, and exit with the result.")},
               {QStringLiteral("no-schema"), QStringLiteral("Skip comparing the applied migrations' tables with a "
                                                            "scratch migrate (faster; table drift is then not looked for).")},
               {QStringLiteral("confirm-database"),
                QStringLiteral("On a production-looking project (allowed in its profile), the database name, typed."),
                QStringLiteral("NAME")},
           }
        + ProjectOptions::options();
}

int runDoctorCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("doctor"));
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("doctor"), arguments, &project))
        return *stop;
    QTextStream err(stderr);
    QTextStream out(stdout);
    const bool json = parser.isSet(QStringLiteral("json"));
    const SecretMasker masker(QStringList{project.config.db.password});

    DoctorOptions doctorOptions;
    doctorOptions.checkSchema = !parser.isSet(QStringLiteral("no-schema"));
    Diagnosis diagnosis = MigrationDoctor::diagnose(project.config, doctorOptions);
    for (const QString &w : diagnosis.warnings)
        TerminalRun::print(stderr, QStringLiteral("warning: %1\n").arg(masker.apply(w)));
    if (!diagnosis.ok()) {
        // Findings made before the error are partial: in JSON the error object carries them apart.
        QJsonArray partial;
        for (const Finding &f : diagnosis.findings)
            partial.append(f.toJson());
        const int code = CliOutput::fail(json, CliOutput::ErrorCode::Unavailable, masker.apply(diagnosis.error),
                                         QJsonObject{{QStringLiteral("partialFindings"), partial}});
        if (!json && !diagnosis.findings.isEmpty())
            printText(out, diagnosis);
        return code;
    }

    if (!parser.isSet(QStringLiteral("fix")) || diagnosis.findings.isEmpty()) {
        if (json)
            out << QJsonDocument(diagnosisToJson(diagnosis)).toJson(QJsonDocument::Indented);
        else
            printText(out, diagnosis);
        return exitCodeFor(diagnosis);
    }

    Plan plan = diagnosis.fixAllPlan();
    if (!plan.steps.isEmpty() && parser.isSet(QStringLiteral("rehearse"))) {
        // The real database and files are not touched: no --yes, no lock, no re-diagnosis.
        const RunResult rehearsal = TerminalRun::execute(Rehearsal::plan(project.config, plan), 0, stderr).result;
        if (json)
            CliOutput::printJson(CliOutput::document(QStringLiteral("rehearsal"),
                                                     {{QStringLiteral("success"), rehearsal.success},
                                                      {QStringLiteral("message"), masker.apply(rehearsal.message)}}));
        else
            out << (rehearsal.success ? "The rehearsal of the fixes passed; the real database was not touched.\n"
                                      : "The rehearsal of the fixes failed; the real database was not touched.\n");
        return rehearsal.success ? 0 : 1;
    }
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
            return CliOutput::fail(true, CliOutput::ErrorCode::ConfirmationRequired,
                                   QStringLiteral("Nothing was changed: add --yes to apply these fixes."),
                                   QJsonObject{{QStringLiteral("diagnosis"), o},
                                               {QStringLiteral("plan"), PlanRenderer::render(plan)}});
        }
        printText(out, diagnosis);
        out << "\nThe fix would run:\n" << PlanRenderer::render(plan) << '\n';
        out.flush();
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
        if (json)
            return CliOutput::fail(true, CliOutput::ErrorCode::Refused, masker.apply(refusal));
        err << "migrationdesk doctor: " << masker.apply(refusal) << '\n';
        return 2;
    }
    QString folderError;
    if (!PlanExecution::prepareOutputFolders(plan, &folderError)) {
        if (json)
            return CliOutput::fail(true, CliOutput::ErrorCode::Io, folderError);
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
    Diagnosis after = MigrationDoctor::diagnose(project.config, doctorOptions);
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
