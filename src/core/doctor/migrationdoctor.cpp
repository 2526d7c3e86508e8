#include "doctor/migrationdoctor.h"

#include "doctor/declaredgraphcheck.h"
#include "doctor/doctorrule.h"
#include "scan/migrationfileparser.h"
#include "status/statusreconciler.h"

#include "db/databaseconnection.h"
#include "db/migrationrecordstore.h"
#include "django/showmigrationsplanparser.h"
#include "targets/servicecheck.h"
#include "doctor/planexecution.h"
#include "git/gitbranches.h"
#include "git/gitmigrationstatus.h"
#include "git/gitprovenance.h"
#include "scan/migrationfilescanner.h"
#include "status/migrationstate.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QFileInfo>
#include <QSet>

#include <algorithm>


namespace {

// Where the files of rows without one are (git provenance), and for each that git still has the
// content of, what it declares: a fixed number of git processes plus one `git show` per such row.
void readPhantoms(DoctorInputs &in, const ProjectConfig &config, Diagnosis &d)
{
    const QSet<QString> projectApps(in.scan.apps.cbegin(), in.scan.apps.cend());
    QSet<QString> files;
    for (const MigrationFile &f : in.scan.files)
        files.insert(MigrationGraph::makeKey(f.app, f.name));
    QStringList orphans;
    for (const MigrationRecord &r : in.records) {
        const QString key = MigrationGraph::makeKey(r.app, r.name);
        if (projectApps.contains(r.app) && !files.contains(key) && !orphans.contains(key))
            orphans << key;
    }
    if (orphans.isEmpty())
        return;
    in.currentBranch = GitBranches::currentBranch(config.root);
    in.provenance = GitProvenanceReader::read(config.root, config.backendDir, {}, orphans);
    if (!in.provenance.error.isEmpty())
        d.warnings << in.provenance.error;
    const QString authUser = MigrationFileParser::authUserModel(config.backendDir);
    for (const QString &key : std::as_const(orphans)) {
        const MigrationProvenance p = in.provenance.byKey.value(key);
        if (p.path.isEmpty())
            continue;
        PhantomSource source;
        source.path = p.path;
        for (const QString &branch : p.onBranches) {
            if (branch != in.currentBranch) {
                source.rev = branch;
                source.label = branch;
                source.onBranch = true;
                break;
            }
        }
        if (source.rev.isEmpty() && !p.deletedIn.isNull()) {
            source.rev = p.deletedIn.hash + QLatin1Char('^');
            source.label = QStringLiteral("commit %1 (before \u201c%2\u201d)").arg(p.deletedIn.shortHash(), p.deletedIn.subject);
        }
        if (source.rev.isEmpty())
            continue;
        GitBranches::Answer answer;
        const QByteArray text = GitBranches::fileAt(config.root, source.rev, source.path, &answer);
        if (!answer.ok) {
            d.warnings << answer.error;
            continue;
        }
        source.declaration = MigrationFileParser::parse(text, authUser);
        in.phantoms.insert(key, source);
    }
    if (!in.phantoms.isEmpty())
        d.events << QStringLiteral("git: %1 row(s) without a file have it elsewhere (another branch or an older commit)")
                        .arg(in.phantoms.size());
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
    for (MigrationSource &s : MigrationSourceReader::readScan(projectRoot, scan))
        sources.insert(s.key(), std::move(s));
    return sources;
}

QList<Finding> MigrationDoctor::analyse(const DoctorInputs &in)
{
    DoctorAnalysis analysis(in);
    QList<Finding> findings;
    for (const DoctorRule &rule : DoctorRules::all()) {
        if (!rule.needsGraph || in.graphAvailable)
            findings << rule.analyse(analysis);
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
    in.context.backupsDir = options.backupsDir.isEmpty() ? DoctorPlans::defaultBackupsDir(config.root) : options.backupsDir;
    in.context.now = QDateTime::currentDateTimeUtc();

    // Django's graph takes longest: start it first and read everything else meanwhile.
    ProcessStep show = Targets::forProject(config)
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
    if (historyRead && options.checkSchema && !in.records.isEmpty()) {
        SchemaCheckRequest request;
        request.scope = SchemaCheckRequest::Scope::Applied;
        in.schema = SchemaCheck::run(config, request, {});
        in.schemaChecked = in.schema.ran();
        if (in.schemaChecked)
            d.events << QStringLiteral("Schema of %1 applied migrations compared with a scratch migrate").arg(in.schema.verdicts.size());
        else
            d.warnings << QStringLiteral("The schema was not compared: %1").arg(in.schema.error);
    } else if (historyRead && !options.checkSchema && !in.records.isEmpty()) {
        // Said, so that no finding is not read as "the tables match".
        d.events << QStringLiteral("Tables not compared with their migrations (Compare tables off, or --no-schema)");
    }
    in.git = GitMigrationReader::read(config.root, config.backendDir);
    if (!in.git.error.isEmpty())
        d.warnings << in.git.error;
    if (in.git.isRepository) {
        d.events << QStringLiteral("git: %1 untracked, %2 changed migration files; upstream %3")
                        .arg(in.git.untracked.size())
                        .arg(in.git.changed.size())
                        .arg(in.git.upstream.isEmpty() ? QStringLiteral("none") : in.git.upstream);
    }
    if (historyRead && in.git.isRepository)
        readPhantoms(in, config, d);

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
