#include "cli/checkschemacommand.h"

#include "cli/clioutput.h"
#include "cli/commandregistry.h"
#include "cli/projectoptions.h"
#include "cli/terminalrun.h"
#include "schema/schemacheck.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>

namespace {

QString kindName(SchemaDifference::Kind kind)
{
    using Kind = SchemaDifference::Kind;
    switch (kind) {
    case Kind::MissingTable: return QStringLiteral("missing-table");
    case Kind::MissingColumn: return QStringLiteral("missing-column");
    case Kind::ColumnType: return QStringLiteral("column-type");
    case Kind::Nullability: return QStringLiteral("nullability");
    case Kind::ColumnDefault: return QStringLiteral("column-default");
    case Kind::MissingConstraint: return QStringLiteral("missing-constraint");
    case Kind::MissingIndex: return QStringLiteral("missing-index");
    case Kind::ExtraColumn: return QStringLiteral("extra-column");
    }
    return QString();
}

QJsonObject toJson(const SchemaCheckResult &result)
{
    QJsonArray verdicts;
    for (const MigrationVerdict &v : result.verdicts) {
        QJsonArray differences;
        for (const SchemaDifference &d : v.differences) {
            differences.append(QJsonObject{{QStringLiteral("kind"), kindName(d.kind)},
                                           {QStringLiteral("table"), d.table},
                                           {QStringLiteral("column"), d.column},
                                           {QStringLiteral("database"), d.live},
                                           {QStringLiteral("migration"), d.expected},
                                           {QStringLiteral("text"), d.text()}});
        }
        verdicts.append(QJsonObject{{QStringLiteral("migration"), v.migration},
                                    {QStringLiteral("state"), v.stateText()},
                                    {QStringLiteral("tables"), QJsonArray::fromStringList(v.tables)},
                                    {QStringLiteral("differences"), differences},
                                    {QStringLiteral("notes"), QJsonArray::fromStringList(v.notes)}});
    }
    QJsonArray alignment;
    for (const AlignmentStatement &s : result.alignment)
        alignment.append(QJsonObject{{QStringLiteral("sql"), s.sql}, {QStringLiteral("reason"), s.reason}});
    QJsonObject timings;
    for (const auto &[phase, ms] : result.timings)
        timings.insert(phase, double(ms));
    return CliOutput::document(QStringLiteral("schema-check"),
                               {{QStringLiteral("passed"), result.passed()},
                                {QStringLiteral("scratchDatabase"), result.scratchName},
                                {QStringLiteral("verdicts"), verdicts},
                                {QStringLiteral("alignment"), alignment},
                                {QStringLiteral("unresolved"), QJsonArray::fromStringList(result.unresolved)},
                                {QStringLiteral("timingsMs"), timings}});
}

} // namespace

QList<QCommandLineOption> checkSchemaCommandOptions()
{
    return QList<QCommandLineOption>{
               {QStringLiteral("regenerated"),
                QStringLiteral("Compare with migrations regenerated from the models in a copy of the backend "
                               "(what reset-migrations would record).")},
               {QStringLiteral("applied"),
                QStringLiteral("Check the applied migrations instead of those --fake-initial would fake (schema drift).")},
               {QStringLiteral("migration"), QStringLiteral("Check this migration (app.name); repeatable."),
                QStringLiteral("KEY")},
               {QStringLiteral("json"), QStringLiteral("Print the verdict as JSON.")}}
        + ProjectOptions::options();
}

int runCheckSchemaCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    CommandRegistry::setUp(parser, QStringLiteral("check-schema"));
    ProjectLoadResult project;
    if (const std::optional<int> stop = ProjectOptions::prepare(parser, QStringLiteral("check-schema"), arguments, &project))
        return *stop;
    const bool json = parser.isSet(QStringLiteral("json"));
    SchemaCheckRequest request;
    if (parser.isSet(QStringLiteral("regenerated")))
        request.files = SchemaCheckRequest::Files::Regenerated;
    if (parser.isSet(QStringLiteral("applied")))
        request.scope = SchemaCheckRequest::Scope::Applied;
    if (parser.isSet(QStringLiteral("migration"))) {
        request.scope = SchemaCheckRequest::Scope::Listed;
        request.migrations = parser.values(QStringLiteral("migration"));
    }
    if (request.files == SchemaCheckRequest::Files::Regenerated && request.scope == SchemaCheckRequest::Scope::Applied)
        return CliOutput::fail(json, CliOutput::ErrorCode::Usage,
                               QStringLiteral("--applied compares the migrations on disk: it does not go with --regenerated"));

    CallContext context;
    if (!json)
        context.say = [](const QString &line) { TerminalRun::print(stderr, line + QLatin1Char('\n')); };
    const SchemaCheckResult result = SchemaCheck::run(project.config, request, context);
    if (!result.ran())
        return CliOutput::fail(json, CliOutput::ErrorCode::Unavailable, QStringLiteral("the schema check could not run: ") + result.error);
    if (json) {
        CliOutput::printJson(toJson(result));
    } else {
        TerminalRun::print(stdout, result.report().join(QLatin1Char('\n')) + QLatin1Char('\n'));
        if (!result.passed())
            TerminalRun::print(stdout, QStringLiteral("Align the tables (previewed, dump first): %1\n")
                                           .arg(SchemaCheck::alignCommand(project.config, request)));
    }
    return result.passed() ? 0 : 1;
}
