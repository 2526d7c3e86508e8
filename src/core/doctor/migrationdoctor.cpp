#include "doctor/migrationdoctor.h"

#include "doctor/declaredgraphcheck.h"
#include "scan/migrationfileparser.h"
#include "status/statusreconciler.h"

#include "db/databaseconnection.h"
#include "db/migrationrecordstore.h"
#include "django/showmigrationsplanparser.h"
#include "ops/servicecheck.h"
#include "doctor/planexecution.h"
#include "git/gitmigrationstatus.h"
#include "scan/migrationfilescanner.h"
#include "status/migrationstate.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace {

enum class Presence { Unknown, Present, Partial, Absent };

QString applyTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'")) : QStringLiteral("?");
}

// Whether the schema a migration creates is already in the database, with the facts.
Presence schemaPresence(const DoctorInputs &in, const QString &key, QStringList *evidence)
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

QString keyOfPath(const QString &relativePath)
{
    const QStringList parts = relativePath.split(QLatin1Char('/'));
    if (parts.size() < 3)
        return relativePath;
    QString name = parts.constLast();
    name.chop(3); // ".py"
    return MigrationGraph::makeKey(parts.at(parts.size() - 3), name);
}

void splitOrKeep(const QString &key, QString *app, QString *name)
{
    if (!MigrationGraph::splitKey(key, app, name)) {
        *app = key;
        name->clear();
    }
}

} // namespace

const Finding *Diagnosis::find(FindingKind kind) const
{
    for (const Finding &f : findings) {
        if (f.kind == kind)
            return &f;
    }
    return nullptr;
}

QHash<QString, MigrationSource> MigrationDoctor::readSources(const QString &projectRoot, const MigrationFileScan &scan)
{
    QHash<QString, MigrationSource> sources;
    QHash<QString, QString> tableOfModel; // files are sorted by app then name: earlier db_table first
    const QDir root(projectRoot);
    for (const MigrationFile &f : scan.files) {
        MigrationSource s = MigrationSourceReader::read(f.app, f.name, root.absoluteFilePath(f.relativePath), &tableOfModel);
        sources.insert(s.key(), s);
    }
    return sources;
}

QList<Finding> MigrationDoctor::analyse(const DoctorInputs &in)
{
    const DoctorPlanContext &ctx = in.context;
    QList<Finding> findings;

    QHash<QString, const MigrationRecord *> recordOf;
    for (const MigrationRecord &r : in.records) {
        const QString key = MigrationGraph::makeKey(r.app, r.name);
        if (!recordOf.contains(key))
            recordOf.insert(key, &r);
    }
    QHash<QString, const MigrationFile *> fileOf;
    for (const MigrationFile &f : in.scan.files)
        fileOf.insert(MigrationGraph::makeKey(f.app, f.name), &f);

    // Migrations whose unapplied state a more specific finding already explains.
    QSet<QString> covered;

    // --- Orphan rows: as the status table calls them (stateOfRowWithoutFile) -------------------
    {
        const QSet<QString> projectApps(in.scan.apps.cbegin(), in.scan.apps.cend());
        QList<const MigrationRecord *> orphans;
        QSet<QString> seen;
        for (const MigrationRecord &r : in.records) {
            const QString key = MigrationGraph::makeKey(r.app, r.name);
            if (fileOf.contains(key) || seen.contains(key))
                continue;
            const DjangoKnows knows = !in.graphAvailable ? DjangoKnows::Unknown
                : in.graph.knows(key)                    ? DjangoKnows::Yes
                                                         : DjangoKnows::No;
            if (stateOfRowWithoutFile(projectApps.contains(r.app), knows) == MigrationState::Orphan) {
                orphans << &r;
                seen.insert(key);
            }
        }
        std::sort(orphans.begin(), orphans.end(), [](const MigrationRecord *a, const MigrationRecord *b) {
            return a->app != b->app ? a->app < b->app : a->name < b->name;
        });
        if (!orphans.isEmpty()) {
            Finding f;
            f.kind = FindingKind::OrphanRows;
            f.severity = Severity::Warning;
            f.title = QStringLiteral("%1 row(s) in django_migrations for migrations that do not exist").arg(orphans.size());
            f.explanation = QStringLiteral(
                "These rows name migrations Django cannot find: no file on disk and not in Django's graph. They come "
                "from renamed or deleted files or another branch. Django silently ignores them, so the status you see "
                "hides them, and a later migration with the same name would be skipped as already applied. Removing "
                "the rows changes nothing else; rows of apps outside the project (External) are left alone.");
            QList<SqlStatement> deletes;
            for (const MigrationRecord *r : std::as_const(orphans)) {
                const QString key = MigrationGraph::makeKey(r->app, r->name);
                f.migrations << key;
                f.evidence << QStringLiteral("row id %1: %2 applied %3, no file and unknown to Django")
                                  .arg(r->id).arg(key, applyTime(r->applied));
                deletes << DoctorPlans::deleteRecordById(r->id);
            }
            DoctorFix fix;
            fix.id = QStringLiteral("delete-orphans");
            fix.title = QStringLiteral("Remove the %1 orphan row(s)").arg(orphans.size());
            fix.explanation = QStringLiteral("Deletes exactly the listed rows (by id) after a snapshot of "
                                             "django_migrations; unlike migrate --prune, nothing else.");
            fix.recommended = true;
            fix.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-delete-orphans"), fix.title);
            fix.plan.destructive = true;
            DoctorPlans::addSnapshot(fix.plan, ctx);
            fix.plan.steps << DoctorPlans::sqlStep(ctx, QStringLiteral("Delete the orphan rows"), deletes);
            f.fixes << fix;
            findings << f;
        }
    }

    if (in.graphAvailable) {
        // --- Inconsistent history: every applied migration with an unapplied dependency ------
        const QList<QPair<QString, QString>> pairs = in.graph.inconsistentPairs();
        // A dependency recorded as applied must precede every dependent: one second before the earliest.
        QHash<QString, QDateTime> earliestDependent;
        for (const auto &pair : pairs) {
            const MigrationRecord *r = recordOf.value(pair.first);
            if (!r || !r->applied.isValid())
                continue;
            QDateTime &t = earliestDependent[pair.second];
            if (!t.isValid() || r->applied < t)
                t = r->applied;
        }
        for (const auto &pair : pairs) {
            const QString &dependent = pair.first;
            const QString &dependency = pair.second;
            const MigrationRecord *row = recordOf.value(dependent);
            Finding f;
            f.kind = FindingKind::InconsistentHistory;
            f.severity = Severity::Error;
            f.migrations << dependent << dependency;
            f.title = QStringLiteral("%1 is applied before its dependency %2").arg(dependent, dependency);
            f.explanation = QStringLiteral(
                "django_migrations says %1 is applied, but %2, which it depends on, is not. Django refuses to "
                "migrate or make migrations (InconsistentMigrationHistory) until the history is consistent. "
                "This happens when rows are deleted by hand, when a database is shared between branches, or when "
                "a dependency is added to a migration that was already applied.")
                                .arg(dependent, dependency);
            f.evidence << (row ? QStringLiteral("row id %1: %2 applied %3").arg(row->id).arg(dependent, applyTime(row->applied))
                               : QStringLiteral("%1 is applied (squashed or replaced)").arg(dependent))
                       << QStringLiteral("no row for %1").arg(dependency);
            const Presence presence = schemaPresence(in, dependency, &f.evidence);

            QString depApp, depName, app, name;
            splitOrKeep(dependency, &depApp, &depName);
            splitOrKeep(dependent, &app, &name);
            const QDateTime base = earliestDependent.value(dependency);
            const QDateTime when = base.isValid() ? base.addSecs(-1)
                                                  : (ctx.now.isValid() ? ctx.now : QDateTime::currentDateTimeUtc());

            DoctorFix record;
            record.id = QStringLiteral("record-dependency");
            record.title = QStringLiteral("Record %1 as applied").arg(dependency);
            record.explanation = QStringLiteral(
                "Adds the missing row for %1, one second before its first dependent (%2), as if it had been "
                "applied in order. Right when its tables and columns are already in the database.")
                                     .arg(dependency, applyTime(when.addSecs(1)));
            record.recommended = presence == Presence::Present;
            record.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-record-dependency"), record.title);
            record.plan.destructive = true;
            DoctorPlans::addSnapshot(record.plan, ctx);
            record.plan.steps << DoctorPlans::sqlStep(ctx, record.title,
                                                      {DoctorPlans::recordApplied(depApp, depName, when)});

            DoctorFix remove;
            remove.id = QStringLiteral("remove-dependent");
            remove.title = QStringLiteral("Remove the record of %1").arg(dependent);
            remove.explanation = QStringLiteral(
                "Deletes the row of %1 so that `migrate` applies %2 and then %1 again. Right when %2's schema is "
                "not in the database; %1's own tables must not exist either, or migrate will stop on them.")
                                     .arg(dependent, dependency);
            remove.recommended = presence == Presence::Absent;
            remove.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-remove-dependent"), remove.title);
            remove.plan.destructive = true;
            DoctorPlans::addSnapshot(remove.plan, ctx);
            remove.plan.steps << DoctorPlans::sqlStep(ctx, remove.title, {DoctorPlans::deleteRecord(app, name)});
            if (presence == Presence::Unknown || presence == Presence::Partial) {
                f.evidence << QStringLiteral("Neither fix is chosen automatically: check %1's tables, then pick one.")
                                  .arg(dependency);
            }
            f.fixes << record << remove;
            findings << f;
            covered.insert(dependency);
        }

        // --- Tables already exist for an unapplied initial migration --------------------------
        for (const MigrationNode &node : in.graph.nodes()) {
            const QString key = node.key();
            if (node.applied || covered.contains(key))
                continue;
            const auto src = in.sources.constFind(key);
            if (src == in.sources.cend() || !src->initial || src->createdTables.isEmpty())
                continue;
            QStringList evidence;
            if (schemaPresence(in, key, &evidence) != Presence::Present)
                continue;
            // Later migrations of the app whose schema is also there belong to the same repair.
            QStringList chain{key};
            for (;;) {
                QString next;
                for (const QString &child : in.graph.children(chain.constLast())) {
                    const MigrationNode *c = in.graph.node(child);
                    if (!c || c->app != node.app || c->applied || covered.contains(child))
                        continue;
                    QStringList childEvidence;
                    if (schemaPresence(in, child, &childEvidence) == Presence::Present) {
                        next = child;
                        evidence << childEvidence;
                        break;
                    }
                }
                if (next.isEmpty())
                    break;
                chain << next;
            }
            QStringList unappliedOutside;
            for (const QString &k : std::as_const(chain)) {
                for (const QString &dep : in.graph.node(k)->dependencies) {
                    const MigrationNode *d = in.graph.node(dep);
                    if (d && !d->applied && !chain.contains(dep) && !unappliedOutside.contains(dep))
                        unappliedOutside << dep;
                }
            }
            Finding f;
            f.kind = FindingKind::TablesAlreadyExist;
            f.severity = Severity::Error;
            f.migrations = chain;
            f.title = QStringLiteral("Tables of %1 already exist but it is not recorded as applied").arg(key);
            f.explanation = QStringLiteral(
                "%1 creates tables that are already in the database, yet django_migrations has no row for it "
                "(the rows were deleted, or the tables were created another way). A plain `migrate` stops with "
                "\"relation already exists\". The migration only needs to be recorded as applied.")
                                .arg(key);
            f.evidence = evidence;
            if (!unappliedOutside.isEmpty())
                f.evidence << QStringLiteral("unapplied dependencies: %1").arg(unappliedOutside.join(QStringLiteral(", ")));

            DoctorFix fake;
            fake.id = QStringLiteral("fake-initial");
            fake.title = QStringLiteral("Migrate %1 with --fake-initial").arg(node.app);
            fake.explanation = QStringLiteral(
                "Django checks that the initial migration's tables exist and records it without running it. "
                "Later migrations are run for real, so this is right only when nothing after the initial "
                "migration is already in the database.");
            fake.recommended = chain.size() == 1;
            fake.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-fake-initial"), fake.title);
            fake.plan.destructive = true;
            DoctorPlans::addSnapshot(fake.plan, ctx);
            fake.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("migrate"), node.app, node.name,
                                                         QStringLiteral("--fake-initial"), QStringLiteral("--noinput")},
                                                   QStringLiteral("Record %1 as applied because its tables exist").arg(key));

            DoctorFix record;
            record.id = QStringLiteral("record-existing");
            record.title = QStringLiteral("Record %1 as applied").arg(chain.join(QStringLiteral(", ")));
            record.explanation = QStringLiteral(
                "Adds the rows for migrations whose tables and columns are all in the database already. Needed "
                "when later migrations' columns exist too, where --fake-initial would stop on them.");
            record.recommended = chain.size() > 1 && unappliedOutside.isEmpty();
            QList<SqlStatement> inserts;
            const QDateTime now = ctx.now.isValid() ? ctx.now : QDateTime::currentDateTimeUtc();
            for (int i = 0; i < chain.size(); ++i) {
                QString app, name;
                splitOrKeep(chain.at(i), &app, &name);
                inserts << DoctorPlans::recordApplied(app, name, now.addMSecs(i)); // keeps their order
            }
            record.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-record-existing"), record.title);
            record.plan.destructive = true;
            DoctorPlans::addSnapshot(record.plan, ctx);
            record.plan.steps << DoctorPlans::sqlStep(ctx, record.title, inserts);
            f.fixes << (record.recommended ? QList<DoctorFix>{record, fake} : QList<DoctorFix>{fake, record});
            findings << f;
            for (const QString &k : std::as_const(chain))
                covered.insert(k);
        }

        // --- Conflicting leaves ----------------------------------------------------------------
        const QHash<QString, QStringList> conflicts = in.graph.conflicts();
        QStringList conflictApps = conflicts.keys();
        conflictApps.sort();
        for (const QString &app : std::as_const(conflictApps)) {
            Finding f;
            f.kind = FindingKind::ConflictingLeaves;
            f.severity = Severity::Error;
            f.migrations = conflicts.value(app);
            f.title = QStringLiteral("%1 has %2 leaf migrations").arg(app).arg(f.migrations.size());
            f.explanation = QStringLiteral(
                "Two branches each added a migration to %1, so its history forks: %2. Django refuses to migrate "
                "(\"Conflicting migrations detected\") until a merge migration joins them.")
                                .arg(app, f.migrations.join(QStringLiteral(" and ")));
            for (const QString &leaf : std::as_const(f.migrations)) {
                const MigrationNode *n = in.graph.node(leaf);
                f.evidence << QStringLiteral("%1 (%2) depends on %3")
                                  .arg(leaf, n && n->applied ? QStringLiteral("applied") : QStringLiteral("not applied"),
                                       n ? n->dependencies.join(QStringLiteral(", ")) : QString());
            }
            DoctorFix merge;
            merge.id = QStringLiteral("merge");
            merge.title = QStringLiteral("Create a merge migration (makemigrations --merge)");
            merge.explanation = QStringLiteral("Django writes a migration that depends on every leaf; it changes no "
                                               "table. Commit it with the branches it joins.");
            merge.recommended = true;
            merge.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-merge"), merge.title);
            merge.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("makemigrations"), QStringLiteral("--merge"),
                                                          QStringLiteral("--noinput")},
                                                    merge.title);
            f.fixes << merge;
            findings << f;
        }

        // --- Pending -----------------------------------------------------------------------------
        QStringList pending;
        for (const MigrationNode &node : in.graph.nodes()) {
            if (!node.applied && !covered.contains(node.key()))
                pending << node.key();
        }
        if (!pending.isEmpty()) {
            Finding f;
            f.kind = FindingKind::Pending;
            f.severity = Severity::Info;
            f.migrations = pending;
            f.title = QStringLiteral("%1 migration(s) not applied yet").arg(pending.size());
            f.explanation = QStringLiteral("These migrations exist but are not applied. `migrate` applies them in "
                                           "this order. That changes the schema, so the doctor does not do it for you.");
            for (const QString &k : std::as_const(pending)) {
                const MigrationFile *file = fileOf.value(k);
                f.evidence << (file ? QStringLiteral("%1 (%2)").arg(k, file->relativePath) : k);
            }
            DoctorFix migrate;
            migrate.id = QStringLiteral("migrate");
            migrate.title = QStringLiteral("Apply them (migrate)");
            migrate.explanation = QStringLiteral("Runs manage.py migrate.");
            migrate.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-migrate"), migrate.title);
            DoctorPlans::addSnapshot(migrate.plan, ctx);
            migrate.plan.steps << DoctorPlans::manage(ctx, {QStringLiteral("migrate"), QStringLiteral("--noinput")},
                                                      migrate.title);
            f.fixes << migrate;
            findings << f;
        }
    }

    // --- Untracked files that block git pull -------------------------------------------------
    const QStringList blocking = in.git.untrackedInUpstream();
    if (!blocking.isEmpty()) {
        Finding f;
        f.kind = FindingKind::UntrackedBlocksPull;
        f.severity = Severity::Error;
        f.title = QStringLiteral("%1 untracked migration file(s) would block git pull").arg(blocking.size());
        f.explanation = QStringLiteral(
            "These files are not tracked here but exist in %1. `git pull` stops with \"untracked working tree "
            "files would be overwritten by merge\". Moving them to a backup folder lets the pull bring the "
            "upstream versions; compare them afterwards if yours differed.")
                            .arg(in.git.upstream);
        for (const QString &file : blocking) {
            f.migrations << keyOfPath(file);
            f.evidence << QStringLiteral("untracked: %1, also in %2").arg(file, in.git.upstream);
        }
        DoctorFix move;
        move.id = QStringLiteral("move-untracked");
        move.title = QStringLiteral("Move them to a backup folder");
        move.explanation = QStringLiteral("Copies each file into a timestamped folder under the project's backups, "
                                          "keeping its relative path, then deletes it from the working tree.");
        move.recommended = true;
        move.plan = DoctorPlans::makePlan(ctx, QStringLiteral("doctor-move-untracked"), move.title);
        move.plan.destructive = true;
        move.plan.steps << DoctorPlans::moveToBackup(ctx, blocking);
        f.fixes << move;
        findings << f;
    }

    // --- Applied migrations modified since --------------------------------------------------
    if (in.git.isRepository) {
        Finding f;
        f.kind = FindingKind::ModifiedAppliedMigration;
        f.severity = Severity::Warning;
        for (const MigrationRecord &r : in.records) {
            const QString key = MigrationGraph::makeKey(r.app, r.name);
            const MigrationFile *file = fileOf.value(key);
            if (!file || f.migrations.contains(key) || !in.git.modifiedSince(file->relativePath, r.applied))
                continue;
            f.migrations << key;
            f.evidence << (in.git.changed.contains(file->relativePath)
                               ? QStringLiteral("%1 has uncommitted changes; applied %2").arg(file->relativePath, applyTime(r.applied))
                               : QStringLiteral("%1 was changed by a commit of %2, after it was applied %3")
                                     .arg(file->relativePath, applyTime(in.git.commitTimes.value(file->relativePath).constFirst()),
                                          applyTime(r.applied)));
        }
        if (!f.migrations.isEmpty()) {
            f.title = QStringLiteral("%1 applied migration(s) changed since they were applied").arg(f.migrations.size());
            f.explanation = QStringLiteral(
                "Django never re-runs an applied migration, so edits to these files did not reach this database "
                "and the schema may differ from what the files describe. Revert the edit and add a new migration "
                "instead, or re-apply deliberately.");
            findings << f;
        }
    }
    return findings;
}

Diagnosis MigrationDoctor::diagnose(const ProjectConfig &config, const DoctorOptions &options)
{
    Diagnosis d;
    QElapsedTimer timer;
    timer.start();
    DoctorInputs &in = d.inputs;
    in.context.config = config;
    in.context.composeVariant = options.composeVariant;
    in.context.backupsDir = options.backupsDir.isEmpty() ? DoctorPlans::defaultBackupsDir(config.root) : options.backupsDir;
    in.context.now = QDateTime::currentDateTimeUtc();

    // Django's graph takes longest: start it first and read everything else meanwhile.
    ProcessStep show = Target::forProject(config, options.composeVariant)
                           ->manage({QStringLiteral("showmigrations"), QStringLiteral("--plan"), QStringLiteral("-v"),
                                     QStringLiteral("2"), QStringLiteral("--no-color")});
    // Django's answer counts only from this project's own backend container.
    const QStringList serviceProblems = ServiceCheck::serviceProblems(show, QProcessEnvironment::systemEnvironment());
    if (!serviceProblems.isEmpty()) {
        d.error = serviceProblems.join(QLatin1Char('\n'));
        d.elapsedMs = timer.elapsed();
        return d;
    }
    CapturedStep django(show);
    django.start();

    in.scan = MigrationFileScanner::scan(config.root, config.backendDir);
    in.sources = readSources(config.root, in.scan);
    d.events << QStringLiteral("Read %1 migration files in %2 apps").arg(in.scan.files.size()).arg(in.scan.apps.size());
    d.warnings << in.scan.problems;

    {
        DatabaseConnection connection(config.db, QStringLiteral("doctor"));
        if (!connection.open()) {
            d.error = connection.error();
            django.wait(options.djangoTimeoutMs);
            d.elapsedMs = timer.elapsed();
            return d;
        }
        MigrationRecordStore store(connection.database());
        QString error;
        const bool exists = store.historyTableExists(&error);
        if (!error.isEmpty()) {
            d.error = QStringLiteral("Cannot read the migration history: %1").arg(error);
        } else if (!exists) {
            in.historyTableMissing = true;
        } else if (!store.readAll(&in.records, &error)) {
            d.error = QStringLiteral("Cannot read django_migrations: %1").arg(error);
        }
        in.catalog = SchemaCatalog::read(connection.database(), &error);
        if (!in.catalog.available)
            d.warnings << QStringLiteral("The database catalogue could not be read (%1): tables are not checked.").arg(error);
        d.events << QStringLiteral("Read %1 rows from django_migrations and %2 tables from the catalogue")
                        .arg(in.records.size())
                        .arg(in.catalog.tables.size());
    }

    const bool historyRead = d.error.isEmpty();
    in.git = GitMigrationReader::read(config.root, config.backendDir);
    if (!in.git.error.isEmpty())
        d.warnings << in.git.error;
    if (in.git.isRepository) {
        d.events << QStringLiteral("git: %1 untracked, %2 changed migration files; upstream %3")
                        .arg(in.git.untracked.size())
                        .arg(in.git.changed.size())
                        .arg(in.git.upstream.isEmpty() ? QStringLiteral("none") : in.git.upstream);
    }

    if (django.wait(options.djangoTimeoutMs)) {
        const ShowMigrationsPlan plan = ShowMigrationsPlanParser::parse(QString::fromUtf8(django.standardOutput()));
        in.graph = plan.graph;
        in.graphAvailable = true;
        QHash<QString, QStringList> replacements;
        for (const MigrationSource &s : std::as_const(in.sources)) {
            if (!s.replaces.isEmpty())
                replacements.insert(s.key(), s.replaces);
        }
        in.graph.setReplacements(replacements);
        d.events << QStringLiteral("Django's graph: %1 migrations").arg(in.graph.size());
        // What the status load showed came from the files' own literals: say where Django differs.
        if (historyRead) {
            MigrationFileScan parsed = in.scan;
            MigrationFileParser::readAll(&parsed, config.root, MigrationFileParser::authUserModel(config.backendDir));
            const QStringList disagreements =
                DeclaredGraphCheck::compare(StatusReconciler::reconcile(in.records, parsed, in.historyTableMissing), in.graph);
            if (disagreements.isEmpty())
                d.events << QStringLiteral("Django's graph agrees with the dependencies the %1 files declare").arg(parsed.files.size());
            for (const QString &line : disagreements)
                d.warnings << QStringLiteral("Django and the files disagree: %1").arg(line);
        }
        if (!plan.unparsedLines.isEmpty())
            d.warnings << QStringLiteral("showmigrations printed %1 line(s) that are not plan lines, e.g. \"%2\"")
                              .arg(plan.unparsedLines.size())
                              .arg(plan.unparsedLines.constFirst());
    } else if (d.error.isEmpty()) {
        d.error = QStringLiteral("manage.py showmigrations --plan failed, so Django's graph is unknown: %1")
                      .arg(django.errorText());
    }
    // Without the graph, rows and files and git still tell something; without rows, nothing.
    if (historyRead)
        d.findings = analyse(in);
    d.elapsedMs = timer.elapsed();
    return d;
}
