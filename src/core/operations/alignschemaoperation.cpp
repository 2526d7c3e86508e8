#include "operations/guideoptions.h"
#include "safety/safetysteps.h"
#include "schema/schemacheck.h"

// Brings the live tables to what the migrations create, so a fake that follows is exact: the
// schema check's statements (ADD COLUMN, ALTER COLUMN TYPE, ADD CONSTRAINT, CREATE INDEX; never a
// DROP of a column or a row) in one transaction after a verified dump, then the check again.

namespace {

SchemaCheckRequest requestFor(const OperationOptions &options)
{
    SchemaCheckRequest request;
    if (options.flag(GuideOption::Regenerated))
        request.files = SchemaCheckRequest::Files::Regenerated;
    return request;
}

Plan build(const ProjectConfig &config, const OperationOptions &options)
{
    Plan plan;
    plan.destructive = true;
    const BackupLocation backup = SafetySteps::newBackup(config, options, QStringLiteral("align-schema"));
    plan.backupDir = backup.dir;
    plan.steps << SafetySteps::databaseBackup(config, options, backup);
    SqlStep align;
    align.description = QStringLiteral("Align %1 table definitions with the migrations (one transaction)")
                            .arg(options.facts.schemaAlignment.size());
    align.db = config.db;
    for (const QString &sql : options.facts.schemaAlignment)
        align.statements << SqlStatement{sql, {}, false, {}};
    plan.steps << align;
    CallStep verify = SchemaCheck::guardStep(config, requestFor(options));
    verify.description = QStringLiteral("Check again: the tables now match what the migrations create");
    plan.steps << verify;
    return plan;
}

QStringList blockers(const ProjectConfig &, const OperationOptions &options)
{
    const GuideFacts &facts = options.facts;
    if (!facts.schemaChecked || !facts.schemaAlignment.isEmpty())
        return {};
    if (facts.schemaDifferences.isEmpty())
        return {QStringLiteral("The tables already match what the migrations create: nothing to align.")};
    return {QStringLiteral("No statement resolves these differences: %1").arg(
        (facts.schemaUnresolved.isEmpty() ? facts.schemaDifferences : facts.schemaUnresolved).join(QStringLiteral("; ")))};
}

Confirmation confirmation(const ProjectConfig &config, const OperationOptions &options)
{
    Confirmation c;
    c.question = QStringLiteral("Change the tables of database %1 with %2 statement(s)? Nothing is dropped.")
                     .arg(config.db.name)
                     .arg(options.facts.schemaAlignment.size());
    for (int i = 0; i < options.facts.schemaAlignment.size(); ++i)
        c.items << options.facts.schemaAlignment.at(i) + QStringLiteral("  -- ") + options.facts.schemaReasons.value(i);
    c.typedWord = config.db.name;
    c.undo = QStringLiteral("A verified pg_dump -Fc of the database is made first; Restore brings it back.");
    return c;
}

} // namespace

Operation alignSchemaOperation()
{
    Operation op;
    op.name = QStringLiteral("align-schema");
    op.title = QStringLiteral("Align tables with the migrations");
    op.group = OperationGroup::Repair;
    op.summary = QStringLiteral("SQL that makes the tables what the migrations create, proven on a scratch database "
                                "(so --fake-initial is exact); dump first, nothing dropped");
    op.destructive = true;
    op.facts = Fact::Schema;
    op.options = {GuideOptionSpec::switchOption(
        GuideOption::Regenerated,
        QStringLiteral("compare with migrations regenerated from the models (what reset-migrations records)."),
        QStringLiteral("Against &regenerated migrations (before a reset)"))};
    op.build = build;
    op.blockers = blockers;
    op.confirmation = confirmation;
    return op;
}
