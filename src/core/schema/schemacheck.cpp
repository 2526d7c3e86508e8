#include "schema/schemacheck.h"

#include "db/databaseconnection.h"
#include "db/migrationrecordstore.h"
#include "django/migrationsource.h"
#include "platform/shellquote.h"
#include "scan/migrationfilescanner.h"
#include "schema/scratchdatabase.h"
#include "schema/scratchrun.h"
#include "targets/targets.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>

QString MigrationVerdict::stateText() const
{
    switch (state) {
    case State::Matches:
        return QStringLiteral("matches");
    case State::Differs:
        return QStringLiteral("differs");
    case State::PartlyThere:
        return QStringLiteral("missing tables");
    case State::Creates:
        return QStringLiteral("creates its tables");
    }
    return QString();
}

bool SchemaCheckResult::passed() const
{
    if (!ran())
        return false;
    return std::none_of(verdicts.cbegin(), verdicts.cend(), [this](const MigrationVerdict &v) {
        return v.state == MigrationVerdict::State::Differs || v.state == MigrationVerdict::State::PartlyThere
            || (recordOnly && v.state == MigrationVerdict::State::Creates);
    });
}

QStringList SchemaCheckResult::differenceLines() const
{
    QStringList lines;
    for (const MigrationVerdict &v : verdicts) {
        if (recordOnly && v.state == MigrationVerdict::State::Creates)
            lines << QStringLiteral("%1: none of its tables exist, yet it would be recorded as applied").arg(v.migration);
        if (v.state == MigrationVerdict::State::PartlyThere)
            lines << QStringLiteral("%1: some of its tables exist, others not: Django can neither fake nor create it").arg(v.migration);
        for (const SchemaDifference &d : v.differences)
            lines << d.text();
    }
    return lines;
}

QStringList SchemaCheckResult::report() const
{
    QStringList lines;
    if (!ran())
        return {QStringLiteral("The schema check could not run: ") + error};
    if (verdicts.isEmpty())
        lines << QStringLiteral("No migration to check: nothing would be faked.");
    for (const MigrationVerdict &v : verdicts) {
        lines << QStringLiteral("%1: %2 (%3)").arg(v.migration, v.stateText(), v.tables.join(QStringLiteral(", ")));
        for (const SchemaDifference &d : v.differences)
            lines << QStringLiteral("    ") + d.text();
        for (const QString &note : v.notes)
            lines << QStringLiteral("    note: ") + note;
    }
    if (!alignment.isEmpty()) {
        lines << QStringLiteral("SQL that brings the tables to what the migrations create (one transaction, after a dump):");
        for (const AlignmentStatement &s : alignment)
            lines << QStringLiteral("    ") + s.sql + QLatin1Char(';');
    }
    for (const QString &u : unresolved)
        lines << QStringLiteral("not resolved by SQL: ") + u;
    QStringList phases;
    for (const auto &[phase, ms] : timings)
        phases << QStringLiteral("%1 %2 ms").arg(phase).arg(ms);
    if (!phases.isEmpty())
        lines << QStringLiteral("timings: ") + phases.join(QStringLiteral(", "));
    return lines;
}

namespace {

struct Sources
{
    QList<MigrationSource> list; // in file order
    QSet<QString> apps;
};

Sources readSources(const QString &root, const QString &backendDir)
{
    Sources sources;
    const MigrationFileScan scan = MigrationFileScanner::scan(root, backendDir);
    sources.list = MigrationSourceReader::readScan(root, scan);
    for (const QString &app : scan.apps)
        sources.apps.insert(app);
    return sources;
}

bool plainName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_]+$"));
    return re.match(s).hasMatch();
}

const QString kDefaultsReport = QStringLiteral("MIGRATIONDESK-FIELD-DEFAULTS ");

// Python for `manage.py shell -c`: migrates the scratch database (to several targets in one
// process, which the migrate command cannot; or all of it as `migrate` does), then reports what
// a column added to a table with rows gets there: the value Django's migration gave when it added
// that column (AddField, one-off defaults included), else the field's default as Django would
// give it, as SQL literals by the backend's own quoting. A value made per call (a UUID, now)
// stays per row and at run time: one UUID for every row would break its uniqueness, a frozen
// time would date the rows to this check. Names are plain identifiers (checked), so the
// literals are safe.
QString migrateReportingDefaults(const QList<QPair<QString, QString>> &targets, bool all)
{
    QStringList items;
    for (const auto &[app, name] : targets)
        items << QStringLiteral("('%1', '%2')").arg(app, name);
    const QString migrate = all ? QStringLiteral("    call_command('migrate', interactive=False)\n"
                                                 "    state = MigrationLoader(connection).project_state()\n"
                                                 "    print('scratch database migrated')\n")
                                : QStringLiteral("    state = MigrationExecutor(connection).migrate([%1])\n"
                                                 "    print('scratch database migrated to %2 target(s)')\n")
                                      .arg(items.join(QStringLiteral(", ")))
                                      .arg(targets.size());
    return QStringLiteral(
               "import json\n"
               "from django.core.management import call_command\n"
               "from django.db import connection\n"
               "from django.db.migrations.executor import MigrationExecutor\n"
               "from django.db.migrations.loader import MigrationLoader\n"
               "Editor = connection.SchemaEditorClass\n"
               "original_add_field = Editor.add_field\n"
               "added = {}\n"
               // Django ≥ 4.2 inlines the parameters into the SQL it executes: what a column added
               // to a table gets is read where Django computes it, whatever the version.
               "def add_field(self, model, field):\n"
               "    if not field.null and field.column:\n"
               "        try:\n"
               "            added[model._meta.db_table + '.' + field.column] = self.effective_default(field)\n"
               "        except Exception:\n"
               "            pass\n"
               "    return original_add_field(self, model, field)\n"
               "Editor.add_field = add_field\n"
               "try:\n"
               "%1"
               "finally:\n"
               "    Editor.add_field = original_add_field\n"
               "editor = connection.schema_editor(collect_sql=True)\n"
               "doubles = editor.quote_value('%') != \"'%'\"\n" // older quote_value doubles % for SQL templates
               "per_row = {'DateTimeField': 'now()', 'DateField': 'CURRENT_DATE', 'TimeField': 'CURRENT_TIME',\n"
               "           'UUIDField': 'gen_random_uuid()'}\n"
               "defaults = {}\n"
               "for model in state.apps.get_models():\n"
               "    for field in model._meta.local_fields:\n"
               "        if field.null or not field.column:\n"
               "            continue\n"
               "        key = model._meta.db_table + '.' + field.column\n"
               // A default made per call (timezone.now, uuid4) or auto_now: per row and at run time,
               // not the moment of this check frozen into the SQL.
               "        kind = field.get_internal_type()\n"
               "        made = (field.has_default() and callable(field.default)) or getattr(field, 'auto_now', False) \\\n"
               "            or getattr(field, 'auto_now_add', False)\n"
               "        if made and kind in per_row:\n"
               "            defaults[key] = per_row[kind]\n"
               "            continue\n"
               "        try:\n"
               "            value = added[key] if key in added else editor.effective_default(field)\n"
               "            if value is not None:\n"
               "                literal = editor.quote_value(value)\n"
               "                defaults[key] = literal.replace('%%', '%') if doubles and isinstance(value, str) else literal\n"
               "        except Exception:\n"
               "            pass\n"
               "print('%2' + json.dumps(defaults))\n")
        .arg(migrate, kDefaultsReport);
}

// The report of migrateReportingDefaults(): "table.column" → SQL literal.
QHash<QString, QString> parseDefaults(const QStringList &reports)
{
    QHash<QString, QString> defaults;
    for (const QString &report : reports) {
        const QJsonObject object = QJsonDocument::fromJson(report.toUtf8()).object();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.value().isString())
                defaults.insert(it.key(), it.value().toString());
        }
    }
    return defaults;
}

// The keys of django_migrations' rows, read as the status does (MigrationRecordStore); no table:
// nothing is applied.
QSet<QString> appliedRows(const DbSettings &db, QString *error)
{
    QSet<QString> rows;
    DatabaseConnection connection(db, QStringLiteral("schema-live"));
    if (!connection.open()) {
        *error = connection.error();
        return rows;
    }
    const MigrationRecordStore store(connection.database());
    QList<MigrationRecord> records;
    if (!store.historyTableExists(error) || !store.readAll(&records, error))
        return rows;
    for (const MigrationRecord &r : std::as_const(records))
        rows.insert(r.app + QLatin1Char('.') + r.name);
    return rows;
}

bool readShape(const DbSettings &db, const QString &purpose, const QStringList &tables, SchemaShape *shape, QString *error)
{
    DatabaseConnection connection(db, purpose);
    if (!connection.open()) {
        *error = connection.error();
        return false;
    }
    return SchemaShape::read(connection.database(), tables, shape, error);
}

class Clock
{
public:
    explicit Clock(SchemaCheckResult &result) : m_result(result) { m_timer.start(); }
    void lap(const QString &phase)
    {
        m_result.timings.append({phase, m_timer.restart()});
    }

private:
    SchemaCheckResult &m_result;
    QElapsedTimer m_timer;
};

// The migrations that get a verdict (those of the request's scope that create tables), and
// the tables they create.
QList<const MigrationSource *> checkedMigrations(const Sources &sources, const SchemaCheckRequest &request,
                                                 const QSet<QString> &applied, QStringList *tables)
{
    using Scope = SchemaCheckRequest::Scope;
    QList<const MigrationSource *> checked;
    for (const MigrationSource &s : sources.list) {
        if (s.createdTables.isEmpty())
            continue;
        const bool recorded = request.files == SchemaCheckRequest::Files::Current && applied.contains(s.key());
        bool wanted = false;
        switch (request.scope) {
        case Scope::FakeInitial: wanted = s.initial && !recorded; break;
        case Scope::Applied: wanted = recorded; break;
        case Scope::Listed: wanted = request.migrations.contains(s.key()); break;
        case Scope::AppUpTo:
            wanted = !recorded && s.app == request.app && (request.upTo.isEmpty() || s.name <= request.upTo);
            break;
        }
        if (!wanted)
            continue;
        checked << &s;
        *tables << s.createdTables;
    }
    return checked;
}

// How far the scratch database is migrated, app by app: as far as the live one is (applied) plus
// what is checked. A later, unapplied AddField must not count as a missing column.
QList<QPair<QString, QString>> migrateTargets(const Sources &sources, const QSet<QString> &applied,
                                              const QList<const MigrationSource *> &checked)
{
    QHash<QString, QString> furthest;
    QSet<QString> reach = applied;
    for (const MigrationSource *s : checked)
        reach.insert(s->key());
    for (const MigrationSource &s : sources.list) {
        if (reach.contains(s.key()) && plainName(s.app) && plainName(s.name) && s.name > furthest.value(s.app))
            furthest.insert(s.app, s.name);
    }
    QList<QPair<QString, QString>> targets;
    for (auto it = furthest.cbegin(); it != furthest.cend(); ++it)
        targets.append({it.key(), it.value()});
    std::sort(targets.begin(), targets.end());
    return targets;
}

// One migration's tables, live against what Django made of them on the scratch database.
MigrationVerdict verdictOf(const MigrationSource &s, const SchemaShape &live, const SchemaShape &expected)
{
    MigrationVerdict v;
    v.migration = s.key();
    v.tables = s.createdTables;
    QStringList existing;
    for (const QString &t : s.createdTables) {
        if (live.hasTable(t))
            existing << t;
    }
    if (existing.isEmpty()) {
        v.state = MigrationVerdict::State::Creates;
    } else if (existing.size() < s.createdTables.size()) {
        v.state = MigrationVerdict::State::PartlyThere;
        for (const QString &t : s.createdTables) {
            if (!live.hasTable(t))
                v.differences << SchemaDifference{SchemaDifference::Kind::MissingTable, t, {}, {}, {}};
        }
    } else {
        for (const SchemaDifference &d : SchemaComparison::compare(live, expected, s.createdTables)) {
            if (d.blocking())
                v.differences << d;
            else
                v.notes << d.text();
        }
        v.state = v.differences.isEmpty() ? MigrationVerdict::State::Matches : MigrationVerdict::State::Differs;
    }
    return v;
}

} // namespace

SchemaCheckResult SchemaCheck::run(const ProjectConfig &config, const SchemaCheckRequest &request, const CallContext &context)
{
    using Files = SchemaCheckRequest::Files;
    SchemaCheckResult result;
    result.recordOnly = request.recordOnly;
    auto say = [&](const QString &line) {
        if (context.say)
            context.say(line);
    };
    auto stopped = [&] { return context.cancelled && context.cancelled(); };
    Clock clock(result);

    QString sweepError;
    for (const QString &name : ScratchDatabase::sweep(config.db, &sweepError))
        say(QStringLiteral("Dropped %1, a scratch database a stopped run left behind").arg(name));

    const QSet<QString> applied = appliedRows(config.db, &result.error);
    if (!result.ran())
        return result;

    // The files the check migrates: the project's, or a copy whose migrations are made again.
    QTemporaryDir temp(QDir::tempPath() + QStringLiteral("/migrationdesk-check-XXXXXX"));
    QString root = config.root;
    QString backend = config.backendDir;
    QString backendCopy;
    if (request.files == Files::Regenerated) {
        if (!temp.isValid()) {
            result.error = QStringLiteral("cannot create a temporary folder: ") + temp.errorString();
            return result;
        }
        root = temp.path();
        backendCopy = temp.path() + QStringLiteral("/backend");
        if (!ScratchRun::copyTree(config.backendDir, backendCopy, &result.error))
            return result;
        const MigrationFileScan scan = MigrationFileScanner::scan(root, backendCopy);
        for (const MigrationFile &file : scan.files)
            QFile::remove(root + QLatin1Char('/') + file.relativePath);
        backend = backendCopy;
        clock.lap(QStringLiteral("copy"));
    }

    ScratchDatabase scratch;
    if (!scratch.create(config.db, QStringLiteral("check"), &result.error))
        return result;
    result.scratchName = scratch.name();
    say(QStringLiteral("Scratch database %1 created").arg(scratch.name()));
    clock.lap(QStringLiteral("create"));

    const std::unique_ptr<Target> target = Targets::forProject(config);
    QStringList reports;
    auto manage = [&](const QStringList &args, const QString &what) {
        say(QStringLiteral("%1 (on %2)").arg(what, scratch.name()));
        QString tail;
        ProcessStep step = target->manageOn(scratch.name(), backendCopy, args);
        const int code = ScratchRun::runStep(step, context, &tail, kDefaultsReport, &reports);
        if (code != 0) {
            result.error = stopped() ? QStringLiteral("stopped during: %1").arg(what)
                                     : QStringLiteral("%1 failed on the scratch database:\n%2").arg(what, tail);
            return false;
        }
        return true;
    };

    if (request.files == Files::Regenerated) {
        if (!manage({QStringLiteral("makemigrations"), QStringLiteral("--noinput")},
                    QStringLiteral("manage.py makemigrations in a copy of the backend")))
            return result;
        clock.lap(QStringLiteral("makemigrations"));
    }

    const Sources sources = readSources(root, backend);
    QStringList tables;
    const QList<const MigrationSource *> checked = checkedMigrations(sources, request, applied, &tables);

    SchemaShape live;
    if (!readShape(config.db, QStringLiteral("schema-live"), tables, &live, &result.error))
        return result;

    if (request.files == Files::Regenerated) {
        if (!manage({QStringLiteral("shell"), QStringLiteral("-c"), migrateReportingDefaults({}, true)},
                    QStringLiteral("manage.py migrate")))
            return result;
    } else {
        const QList<QPair<QString, QString>> targets = migrateTargets(sources, applied, checked);
        if (!targets.isEmpty()
            && !manage({QStringLiteral("shell"), QStringLiteral("-c"), migrateReportingDefaults(targets, false)},
                       QStringLiteral("Django migrates the scratch database as far as the project's")))
            return result;
    }
    clock.lap(QStringLiteral("migrate"));

    SchemaShape expected;
    if (!readShape(scratch.settings(), QStringLiteral("schema-scratch"), tables, &expected, &result.error))
        return result;

    QList<SchemaDifference> all;
    for (const MigrationSource *s : std::as_const(checked)) {
        result.verdicts << verdictOf(*s, live, expected);
        if (result.verdicts.constLast().state == MigrationVerdict::State::Differs)
            all << result.verdicts.constLast().differences;
    }
    result.alignment = SchemaComparison::alignment(all, expected, &result.unresolved, parseDefaults(reports));
    clock.lap(QStringLiteral("compare"));

    QString dropError;
    if (!scratch.drop(&dropError))
        say(QStringLiteral("Could not drop %1 (the next check drops it): %2").arg(result.scratchName, dropError));
    else
        say(QStringLiteral("Scratch database %1 dropped").arg(result.scratchName));
    clock.lap(QStringLiteral("drop"));
    return result;
}

QString SchemaCheck::alignCommand(const ProjectConfig &config, const SchemaCheckRequest &request)
{
    QStringList words{QStringLiteral("migrationdesk"), QStringLiteral("run"), QStringLiteral("align-schema"),
                      QStringLiteral("--project"), config.root};
    if (request.files == SchemaCheckRequest::Files::Regenerated)
        words << QStringLiteral("--regenerated");
    return ShellQuote::join(words);
}

namespace {
const QString kGuardRegenerated = QStringLiteral("Check that the tables match what the regenerated migrations create (scratch database)");
const QString kGuardCurrent = QStringLiteral("Check that the tables to be faked match what their migrations create (scratch database)");
}

bool SchemaCheck::isGuardStep(const PlanStep &step, bool *regenerated)
{
    const auto *call = std::get_if<CallStep>(&step);
    if (!call || (call->description != kGuardRegenerated && call->description != kGuardCurrent))
        return false;
    if (regenerated)
        *regenerated = call->description == kGuardRegenerated;
    return true;
}

CallStep SchemaCheck::guardStep(const ProjectConfig &config, const SchemaCheckRequest &request)
{
    CallStep step;
    const bool regenerated = request.files == SchemaCheckRequest::Files::Regenerated;
    step.description = regenerated ? kGuardRegenerated : kGuardCurrent;
    step.detail = QStringLiteral("CREATE DATABASE %1, %2manage.py migrate there, compare tables, columns (type, null, "
                                 "default), keys, constraints and indexes with %3, DROP DATABASE. Nothing of yours changes.")
                      .arg(ScratchDatabase::namePattern(config.db.name, QStringLiteral("check")),
                           regenerated ? QStringLiteral("makemigrations in a copy of the backend, ") : QString(),
                           config.db.name);
    step.db = config.db;
    step.needsDatabase = true;
    const ProjectConfig cfg = config;
    const SchemaCheckRequest req = request;
    step.run = [cfg, req](const CallContext &context) -> QString {
        const SchemaCheckResult result = SchemaCheck::run(cfg, req, context);
        for (const QString &line : result.report()) {
            if (context.say)
                context.say(line);
        }
        if (!result.ran())
            return QStringLiteral("The schema check could not run, so nothing is faked: ") + result.error;
        if (result.passed())
            return QString();
        return QStringLiteral("The tables differ from what the migrations create, so a fake would record a schema the "
                              "database does not have:\n  - %1\nNothing was changed. Preview the SQL that aligns them: %2")
            .arg(result.differenceLines().join(QStringLiteral("\n  - ")), alignCommand(cfg, req));
    };
    return step;
}
