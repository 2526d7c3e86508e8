#include "doctor/doctorrule.h"
#include "operations/guidefacts.h"
#include "operations/operationcatalog.h"

// Applied migrations whose tables are not what they create: a fake recorded a schema the
// database never had, or the tables were changed by hand. Found by the schema check (a scratch
// database migrated as far as this one); the fix is the same alignment align-schema runs.

namespace {

QList<Finding> analyse(DoctorAnalysis &a)
{
    const DoctorInputs &in = a.in;
    if (!in.schemaChecked || in.schema.passed())
        return {};
    Finding f;
    f.kind = FindingKind::SchemaDrift;
    f.severity = Severity::Error;
    for (const MigrationVerdict &v : in.schema.verdicts) {
        if (v.state == MigrationVerdict::State::Differs || v.state == MigrationVerdict::State::PartlyThere)
            f.migrations << v.migration;
    }
    f.evidence = in.schema.differenceLines();
    f.title = QStringLiteral("%1 applied migration(s) whose tables differ from what they create").arg(f.migrations.size());
    f.explanation = QStringLiteral(
        "django_migrations says these migrations ran, but a scratch database migrated by the project's own "
        "manage.py has other columns, types or constraints. Typically --fake-initial recorded a migration whose "
        "tables only matched by name. Django will not notice until a query fails.");

    GuideFacts facts;
    facts.schemaChecked = true;
    facts.schemaDifferences = f.evidence;
    for (const AlignmentStatement &s : in.schema.alignment) {
        facts.schemaAlignment << s.sql;
        facts.schemaReasons << s.reason;
    }
    facts.schemaUnresolved = in.schema.unresolved;
    if (!facts.schemaAlignment.isEmpty()) {
        OperationOptions options;
        options.facts = facts;
        DoctorFix align;
        align.id = QStringLiteral("align-schema");
        align.title = QStringLiteral("Align the tables with the migrations (%1 statements)").arg(facts.schemaAlignment.size());
        align.explanation = QStringLiteral(
            "Adds the missing columns, constraints and indexes and changes the types, generated from the scratch "
            "database's definitions, in one transaction after a verified dump; then checks again. Nothing is dropped.");
        align.recommended = in.schema.unresolved.isEmpty();
        align.plan = OperationCatalog::build(QStringLiteral("align-schema"), in.context.config, options);
        f.fixes << align;
    }
    for (const QString &key : std::as_const(f.migrations))
        a.covered.insert(key);
    return {f};
}

} // namespace

DoctorRule schemaDriftRule()
{
    return {FindingKind::SchemaDrift, QStringLiteral("SchemaDrift"), QStringLiteral("Schema differs from migrations"), false, 7, analyse};
}
