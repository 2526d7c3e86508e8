#pragma once

#include "db/migrationrecord.h"
#include "django/migrationgraph.h"
#include "django/migrationsource.h"
#include "doctor/doctorplans.h"
#include "doctor/finding.h"
#include "doctor/schemacatalog.h"
#include "schema/schemacheck.h"
#include "git/gitmigrationstatus.h"
#include "git/gitprovenance.h"
#include "scan/migrationfile.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// A row without a file whose file git still has: on another branch, or in the commit before the
// one that deleted it. The doctor can put it back for Django's own backwards migration.
struct PhantomSource
{
    QString rev;     // what `git show REV:./path` reads: a branch, or "<hash>^"
    QString label;   // for people: "feature/x", or "commit 1a2b3c4d5e (before “Remove it”)"
    bool onBranch = false; // rev is a branch tip (else the commit before a deletion)
    QString path;    // project-relative path the file had (and gets back)
    MigrationDeclaration declaration; // what the file declares (its dependencies: where to migrate back to)
};

// Everything the diagnosis reconciles, gathered by MigrationDoctor::diagnose (or by a test).
struct DoctorInputs
{
    DoctorPlanContext context;
    QList<MigrationRecord> records; // django_migrations
    bool historyTableMissing = false;
    MigrationFileScan scan;         // files on disk
    bool graphAvailable = false;
    MigrationGraph graph;           // Django's, from showmigrations --plan -v 2
    QHash<QString, MigrationSource> sources; // "app.name" → what its file does
    GitMigrationStatus git;
    SchemaCatalog catalog;
    QString currentBranch;              // empty: detached HEAD or no repository
    GitProvenance provenance;           // of the rows without a file (their orphans' history)
    QHash<QString, PhantomSource> phantoms; // "app.name" → where its file can be read back
    // The applied migrations' tables against a scratch migrate (DoctorOptions::checkSchema).
    bool schemaChecked = false;
    SchemaCheckResult schema;
};

struct DoctorOptions
{
    QString backupsDir;     // empty: DoctorPlans::defaultBackupsDir(root)
    int djangoTimeoutMs = 180000;
    // Migrate a scratch database and compare the applied migrations' tables (seconds; needs
    // the CREATEDB privilege, else a warning).
    bool checkSchema = true;
};

struct Diagnosis
{
    QList<Finding> findings;   // in dependency order of their fixes
    DoctorInputs inputs;       // what they were derived from (the graph feeds the status table)
    QString error;             // why no (complete) diagnosis could be made; never a password
    QStringList warnings;      // partial problems: git failed, catalogue unreadable, ...
    QStringList events;        // what was done, for the console
    qint64 elapsedMs = 0;

    bool ok() const { return error.isEmpty(); }
    bool healthy() const { return ok() && findings.isEmpty(); }
    const Finding *find(FindingKind kind) const;
    // The "Fix all" plan of these findings.
    Plan fixAllPlan() const { return DoctorPlans::fixAll(findings, inputs.context); }
};

// Finds what is wrong with a project's migration state and builds the smallest fix for each
// problem. diagnose() reads the four sources (rows, files, Django's graph, git) plus the
// database catalogue; analyse() is the pure part, tested directly.
class MigrationDoctor
{
public:
    // Blocking (about as long as `manage.py showmigrations`): call it from a worker thread.
    static Diagnosis diagnose(const ProjectConfig &config, const DoctorOptions &options = {});
    static QList<Finding> analyse(const DoctorInputs &inputs);

    // Reads every migration file of a scan (root = project root), resolving table names app by app.
    static QHash<QString, MigrationSource> readSources(const QString &projectRoot, const MigrationFileScan &scan);
};
