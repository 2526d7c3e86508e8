#include "doctor/doctorrule.h"

#include <algorithm>

// Every rule, in analysis order. Adding one is its file and one word here.
#define MIGRATIONDESK_DOCTOR_RULES(X)                                                              \
    X(predatesReset) X(phantomMigrations) X(orphanRows) X(inconsistentHistory) X(tablesAlreadyExist) X(conflictingLeaves) X(pending)    \
    X(untrackedBlocksPull) X(modifiedAppliedMigration) X(schemaDrift)

#define MIGRATIONDESK_DECLARE_RULE(name) DoctorRule name##Rule();
MIGRATIONDESK_DOCTOR_RULES(MIGRATIONDESK_DECLARE_RULE)

const QList<DoctorRule> &DoctorRules::all()
{
#define MIGRATIONDESK_LIST_RULE(name) name##Rule(),
    static const QList<DoctorRule> rules{MIGRATIONDESK_DOCTOR_RULES(MIGRATIONDESK_LIST_RULE)};
#undef MIGRATIONDESK_LIST_RULE
    return rules;
}

const DoctorRule *DoctorRules::find(FindingKind kind)
{
    for (const DoctorRule &rule : all()) {
        if (rule.kind == kind)
            return &rule;
    }
    return nullptr;
}

DoctorAnalysis::DoctorAnalysis(const DoctorInputs &inputs)
    : in(inputs)
{
    for (const MigrationRecord &r : in.records) {
        const QString key = MigrationGraph::makeKey(r.app, r.name);
        if (!recordOf.contains(key))
            recordOf.insert(key, &r);
    }
    for (const MigrationFile &f : in.scan.files)
        fileOf.insert(MigrationGraph::makeKey(f.app, f.name), &f);
}

QString DoctorEvidence::applyTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'")) : QStringLiteral("?");
}

// Whether the schema a migration creates is already in the database, with the facts.
DoctorEvidence::Presence DoctorEvidence::schemaPresence(const DoctorInputs &in, const QString &key, QStringList *evidence)
{
    const auto it = in.sources.constFind(key);
    if (!in.catalog.available) {
        evidence->append(QStringLiteral("%1: the database catalogue could not be read").arg(key));
        return Presence::Unknown;
    }
    if (it == in.sources.cend() || !it->hasSchemaEffects()) {
        evidence->append(it == in.sources.cend()
                             ? QStringLiteral("%1: its file is not in the project, so its tables cannot be checked").arg(key)
                             : QStringLiteral("%1 creates no table or column the doctor can check").arg(key));
        return Presence::Unknown;
    }
    QStringList present, missing;
    for (const QString &table : it->createdTables)
        (in.catalog.hasTable(table) ? present : missing) << QStringLiteral("table %1").arg(table);
    for (const auto &column : it->addedColumns) {
        (in.catalog.hasColumn(column.first, column.second) ? present : missing)
            << QStringLiteral("column %1.%2").arg(column.first, column.second);
    }
    if (!present.isEmpty())
        evidence->append(QStringLiteral("%1: in the database: %2").arg(key, present.join(QStringLiteral(", "))));
    if (!missing.isEmpty())
        evidence->append(QStringLiteral("%1: not in the database: %2").arg(key, missing.join(QStringLiteral(", "))));
    if (missing.isEmpty())
        return Presence::Present;
    return present.isEmpty() ? Presence::Absent : Presence::Partial;
}

QString DoctorEvidence::keyOfPath(const QString &relativePath)
{
    const QStringList parts = relativePath.split(QLatin1Char('/'));
    if (parts.size() < 3)
        return relativePath;
    QString name = parts.constLast();
    name.chop(3); // ".py"
    return MigrationGraph::makeKey(parts.at(parts.size() - 3), name);
}

void DoctorEvidence::splitOrKeep(const QString &key, QString *app, QString *name)
{
    if (!MigrationGraph::splitKey(key, app, name)) {
        *app = key;
        name->clear();
    }
}
