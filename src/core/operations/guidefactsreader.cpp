#include "operations/guidefactsreader.h"

#include "schema/schemacheck.h"

#include "db/databaseconnection.h"
#include "db/migrationrecordstore.h"
#include "git/gitbranches.h"
#include "scan/migrationfileparser.h"
#include "scan/migrationfilescanner.h"
#include "operations/databaseresetplan.h"
#include "operations/guideoptions.h"
#include "operations/operationcatalog.h"
#include "operations/resetstepplans.h"
#include "platform/childprocess.h"
#include "targets/targets.h"
#include "project/composefile.h"
#include "project/dotenvfile.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace {

using ChildProcess::ToolRun;
using ChildProcess::runTool;

QStringList migrationDirs(const ProjectConfig &config)
{
    QStringList dirs;
    const QDir backend(config.backendDir);
    // Symlinked app or migrations folders lead out of the project: deleting "their" migration
    // files would delete someone else's, so they are not the project's to touch.
    for (const QString &name : backend.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name)) {
        if (name.startsWith(QLatin1Char('.')))
            continue;
        const QString migrations = backend.filePath(name) + QStringLiteral("/migrations");
        const QFileInfo info(migrations);
        if (info.isDir() && !info.isSymLink())
            dirs << migrations;
    }
    return dirs;
}

QProcessEnvironment gitEnvironment(QProcessEnvironment environment)
{
    environment.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    return environment;
}

QStringList splitZ(const QByteArray &bytes)
{
    QStringList parts;
    for (const QByteArray &part : bytes.split('\0')) {
        if (!part.isEmpty())
            parts << QString::fromUtf8(part);
    }
    return parts;
}

} // namespace

QStringList GuideFactsReader::projectApps(const ProjectConfig &config)
{
    QStringList apps;
    for (const QString &dir : migrationDirs(config))
        apps << QFileInfo(QFileInfo(dir).absolutePath()).fileName();
    return apps;
}

QStringList GuideFactsReader::deletableFiles(const ProjectConfig &config)
{
    const QDir root(config.root);
    QStringList files;
    QStringList caches;
    for (const QString &dir : migrationDirs(config)) {
        const QDir migrations(dir);
        for (const QString &file : migrations.entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name)) {
            if (file != QLatin1String("__init__.py"))
                files << root.relativeFilePath(migrations.filePath(file));
        }
        if (QFileInfo(migrations.filePath(QStringLiteral("__pycache__"))).isDir())
            caches << root.relativeFilePath(migrations.filePath(QStringLiteral("__pycache__")));
    }
    return files + caches;
}

qint64 GuideFactsReader::countHistoryRows(const DbSettings &db, const QStringList &apps, QString *error)
{
    DatabaseConnection connection(db, QStringLiteral("guide-facts"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return -1;
    }
    QSqlQuery query(connection.database());
    if (!query.exec(QStringLiteral("SELECT to_regclass('django_migrations') IS NOT NULL")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    if (!query.value(0).toBool())
        return 0;
    const SqlStatement statement = ResetStepPlans::clearHistoryStatement(apps, apps.isEmpty());
    QString sql = statement.sql;
    sql.replace(QStringLiteral("DELETE FROM"), QStringLiteral("SELECT count(*) FROM"));
    query.prepare(sql);
    for (const QVariant &value : statement.values)
        query.addBindValue(value);
    if (!query.exec() || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    return query.value(0).toLongLong();
}

QMap<QString, qint64> GuideFactsReader::historyRowsByApp(const DbSettings &db, QString *error)
{
    QMap<QString, qint64> rows;
    DatabaseConnection connection(db, QStringLiteral("guide-facts"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return rows;
    }
    QSqlQuery query(connection.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT to_regclass('django_migrations') IS NOT NULL")) || !query.next()
        || !query.value(0).toBool())
        return rows;
    if (!query.exec(QStringLiteral("SELECT app, count(*) FROM django_migrations GROUP BY app ORDER BY app"))) {
        if (error)
            *error = query.lastError().text();
        return rows;
    }
    while (query.next())
        rows.insert(query.value(0).toString(), query.value(1).toLongLong());
    return rows;
}

bool GuideFactsReader::appTablesExist(const DbSettings &db, const QStringList &apps, QString *error)
{
    DatabaseConnection connection(db, QStringLiteral("guide-facts"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return false;
    }
    QSqlQuery query(connection.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT tablename FROM pg_catalog.pg_tables "
                                   "WHERE schemaname = ANY (current_schemas(false))"))) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    while (query.next()) {
        const QString table = query.value(0).toString();
        for (const QString &app : apps) {
            if (table.startsWith(app + QLatin1Char('_')))
                return true;
        }
    }
    return false;
}

int GuideFactsReader::usernameTaken(const DbSettings &db, const QString &username, QString *error)
{
    DatabaseConnection connection(db, QStringLiteral("guide-facts"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return -1;
    }
    QSqlQuery query(connection.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT to_regclass('auth_user') IS NOT NULL")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    if (!query.value(0).toBool())
        return 0; // no users yet (or a custom user model: Django itself will say)
    query.prepare(QStringLiteral("SELECT count(*) FROM auth_user WHERE username = ?"));
    query.addBindValue(username);
    if (!query.exec() || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    return query.value(0).toLongLong() > 0 ? 1 : 0;
}

QStringList GuideFactsReader::unmigratedAppTables(const DbSettings &db, const QStringList &apps, QString *error)
{
    DatabaseConnection connection(db, QStringLiteral("guide-facts"));
    if (!connection.open()) {
        if (error)
            *error = connection.error();
        return {};
    }
    QSqlQuery query(connection.database());
    query.setForwardOnly(true);
    QStringList migrated; // apps with a row in django_migrations
    if (!query.exec(QStringLiteral("SELECT to_regclass('django_migrations') IS NOT NULL")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return {};
    }
    if (query.value(0).toBool()) {
        if (!query.exec(QStringLiteral("SELECT DISTINCT app FROM django_migrations"))) {
            if (error)
                *error = query.lastError().text();
            return {};
        }
        while (query.next())
            migrated << query.value(0).toString();
    }
    if (!query.exec(QStringLiteral("SELECT tablename FROM pg_catalog.pg_tables "
                                   "WHERE schemaname = ANY (current_schemas(false)) ORDER BY tablename"))) {
        if (error)
            *error = query.lastError().text();
        return {};
    }
    QStringList tables;
    while (query.next()) {
        const QString table = query.value(0).toString();
        for (const QString &app : apps) {
            if (!migrated.contains(app) && table.startsWith(app + QLatin1Char('_'))) {
                tables << table;
                break;
            }
        }
    }
    return tables;
}

QString GuideFactsReader::postgresVolumeKey(const ProjectConfig &config, QString *error)
{
    const DotEnvFile env = config.envFile.isEmpty() ? DotEnvFile() : DotEnvFile::load(config.envFile);
    const VariableInterpolator interpolator = env.composeInterpolator();
    QString loadError;
    const ComposeFile compose = ComposeFile::load(config.composeFile, interpolator, &loadError);
    const ComposeService *db = compose.service(config.dbService);
    if (!db) {
        if (error)
            *error = loadError.isEmpty() ? QStringLiteral("the compose file has no service \"%1\"").arg(config.dbService)
                                         : loadError;
        return QString();
    }
    for (const ComposeVolumeMount &mount : db->volumes) {
        if (compose.namedVolumes().contains(mount.source))
            return mount.source;
    }
    if (error)
        *error = QStringLiteral("service \"%1\" keeps its data in no named volume").arg(config.dbService);
    return QString();
}

QStringList GuideFactsReader::findPostgresVolumes(const ProjectConfig &config, const QString &volumeKey,
                                                  const QProcessEnvironment &environment, QString *error)
{
    QStringList args{QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--filter"),
                     QStringLiteral("label=com.docker.compose.project=") + config.composeProjectName};
    if (!volumeKey.isEmpty())
        args << QStringLiteral("--filter") << QStringLiteral("label=com.docker.compose.volume=") + volumeKey;
    args << QStringLiteral("--format") << QStringLiteral("{{.Name}}");
    const ToolRun run = runTool(QStringLiteral("docker"), args, config.root, environment);
    if (run.exitCode != 0) {
        if (error)
            *error = QStringLiteral("docker volume ls failed: %1").arg(run.err);
        return {};
    }
    QStringList names;
    for (const QByteArray &line : run.out.split('\n')) {
        const QString name = QString::fromUtf8(line).trimmed();
        if (!name.isEmpty())
            names << name;
    }
    return names;
}

CommitCheck GuideFactsReader::checkCommit(const ProjectConfig &config, const QProcessEnvironment &environment)
{
    CommitCheck check;
    check.checked = true;
    const QProcessEnvironment env = gitEnvironment(environment);
    const QString git = QStringLiteral("git");
    auto gitRun = [&](const QStringList &args) { return runTool(git, args, config.root, env); };

    const ToolRun top = gitRun({QStringLiteral("rev-parse"), QStringLiteral("--show-toplevel")});
    if (top.exitCode != 0) {
        if (top.exitCode == -1)
            check.error = top.err;
        return check; // not a repository
    }
    check.isRepository = true;
    check.repositoryRoot = QString::fromUtf8(top.out).trimmed();

    const ToolRun branch = gitRun({QStringLiteral("symbolic-ref"), QStringLiteral("-q"), QStringLiteral("--short"),
                                   QStringLiteral("HEAD")});
    check.branch = branch.exitCode == 0 ? QString::fromUtf8(branch.out).trimmed() : QString();
    check.detachedHead = check.branch.isEmpty();
    // A stopped rebase also detaches HEAD; it needs its own advice (continue or abort, not switch).
    const ToolRun gitPaths = gitRun({QStringLiteral("rev-parse"), QStringLiteral("--git-path"), QStringLiteral("rebase-merge"),
                                     QStringLiteral("--git-path"), QStringLiteral("rebase-apply")});
    for (const QByteArray &line : gitPaths.out.split('\n')) {
        const QString path = QString::fromUtf8(line).trimmed();
        if (gitPaths.exitCode == 0 && !path.isEmpty() && QFileInfo(QDir(config.root).absoluteFilePath(path)).isDir())
            check.rebaseInProgress = true;
    }
    const ToolRun upstream = gitRun({QStringLiteral("rev-parse"), QStringLiteral("--abbrev-ref"),
                                     QStringLiteral("--symbolic-full-name"), QStringLiteral("@{u}")});
    if (upstream.exitCode == 0)
        check.upstream = QString::fromUtf8(upstream.out).trimmed();
    const ToolRun remotes = gitRun({QStringLiteral("remote")});
    for (const QByteArray &line : remotes.out.split('\n')) {
        if (!line.trimmed().isEmpty())
            check.remotes << QString::fromUtf8(line.trimmed());
    }

    const QString pathspec = ResetStepPlans::migrationPathspec(config);
    QString exclude = pathspec;
    exclude.replace(QStringLiteral(":(glob)"), QStringLiteral(":(exclude,glob)"));
    const ToolRun staged = gitRun({QStringLiteral("diff"), QStringLiteral("--cached"), QStringLiteral("--name-only"),
                                   QStringLiteral("-z"), QStringLiteral("--"), QStringLiteral(":(top)"), exclude});
    if (staged.exitCode != 0 && staged.exitCode != 1) {
        check.error = QStringLiteral("git diff --cached failed: %1").arg(staged.err);
        return check;
    }
    check.stagedOther = splitZ(staged.out);

    const ToolRun status = gitRun({QStringLiteral("status"), QStringLiteral("--porcelain=v1"), QStringLiteral("-z"),
                                   QStringLiteral("--untracked-files=all"), QStringLiteral("--"), pathspec});
    if (status.exitCode != 0) {
        check.error = QStringLiteral("git status failed: %1").arg(status.err);
        return check;
    }
    // Where makemigrations writes a new file: is it ignored (and not tracked)?
    const QStringList apps = projectApps(config);
    check.appCount = int(apps.size());
    QStringList candidates;
    QString backend = config.backendRelative();
    backend = backend == QLatin1String(".") ? QString() : backend + QLatin1Char('/');
    for (const QString &app : apps)
        candidates << backend + app + QStringLiteral("/migrations/0001_initial.py");
    if (!candidates.isEmpty()) {
        const ToolRun ignored = gitRun(QStringList{QStringLiteral("check-ignore"), QStringLiteral("--")} + candidates);
        if (ignored.exitCode == 0) { // 1: none is ignored
            for (const QByteArray &line : ignored.out.split('\n')) {
                const QString path = QString::fromUtf8(line).trimmed();
                if (!path.isEmpty())
                    check.ignoredMigrationApps << path.section(QLatin1Char('/'), -3, -3);
            }
        }
    }

    const QStringList entries = splitZ(status.out);
    for (int i = 0; i < entries.size(); ++i) {
        const QString &entry = entries.at(i);
        if (entry.size() < 4)
            continue;
        check.migrationFiles << entry.mid(3);
        if (entry.at(0) == QLatin1Char('R') || entry.at(0) == QLatin1Char('C'))
            ++i; // the rename's source path follows
    }
    return check;
}

BranchSwitchCheck GuideFactsReader::checkSwitch(const ProjectConfig &config, const QString &branch)
{
    BranchSwitchCheck check;
    check.checked = true;
    check.branch = branch;
    if (branch.isEmpty()) {
        check.problems << QStringLiteral("Name the branch to switch to: --to BRANCH.");
        return check;
    }
    if (!GitBranches::isValidBranchName(config.root, branch)) {
        check.problems << QStringLiteral("\"%1\" is not a branch name git accepts.").arg(branch);
        return check;
    }
    check.current = GitBranches::currentBranch(config.root);
    check.treeRef = GitBranches::switchTarget(config.root, branch);
    if (check.treeRef.isEmpty()) {
        check.problems << QStringLiteral("There is no branch %1, local or on a remote (git fetch first?).").arg(branch);
        return check;
    }
    // The branch already checked out is no error: a run that failed after its switch is finished
    // by running it again (nothing lacks, git switch is a no-op, migrate runs).
    // What the database has applied, and which of those files the branch lacks.
    QList<MigrationRecord> records;
    {
        DatabaseConnection connection(config.db, QStringLiteral("guide-facts"));
        if (!connection.open()) {
            check.problems << QStringLiteral("Cannot read django_migrations: %1").arg(connection.error());
            return check;
        }
        MigrationRecordStore store(connection.database());
        QString error;
        const bool exists = store.historyTableExists(&error);
        if (exists && !store.readAll(&records, &error)) {
            check.problems << QStringLiteral("Cannot read django_migrations: %1").arg(error);
            return check;
        }
        if (!error.isEmpty()) {
            check.problems << QStringLiteral("Cannot read django_migrations: %1").arg(error);
            return check;
        }
    }
    MigrationFileScan scan = MigrationFileScanner::scan(config.root, config.backendDir);
    MigrationFileParser::readAll(&scan, config.root, MigrationFileParser::authUserModel(config.backendDir));
    QHash<QString, const MigrationFile *> fileOf;
    for (const MigrationFile &f : std::as_const(scan.files))
        fileOf.insert(f.app + QLatin1Char('.') + f.name, &f);
    GitBranches::Answer answer;
    const QStringList treeFiles = GitBranches::filesAt(config.root, check.treeRef, config.backendRelative(), &answer);
    if (!answer.ok) {
        check.problems << answer.error;
        return check;
    }
    const QSet<QString> onBranch(treeFiles.cbegin(), treeFiles.cend());
    const QSet<QString> projectApps(scan.apps.cbegin(), scan.apps.cend());
    // Undo order: the row applied last first (applied order respects the dependencies).
    std::stable_sort(records.begin(), records.end(), [](const MigrationRecord &a, const MigrationRecord &b) {
        return a.applied != b.applied ? a.applied > b.applied : a.id > b.id;
    });
    for (const MigrationRecord &r : std::as_const(records)) {
        const QString key = r.app + QLatin1Char('.') + r.name;
        if (!projectApps.contains(r.app) || check.lacking.contains(key) || check.withoutFile.contains(key))
            continue;
        const MigrationFile *file = fileOf.value(key);
        if (!file)
            check.withoutFile << key;
        else if (!onBranch.contains(file->relativePath))
            check.lacking << key;
    }
    // Per app, the last migration the branch shares: the in-app dependencies of what it lacks.
    QStringList apps;
    for (const QString &key : std::as_const(check.lacking)) {
        const QString app = key.section(QLatin1Char('.'), 0, 0);
        if (!apps.contains(app))
            apps << app;
    }
    for (const QString &app : std::as_const(apps)) {
        QStringList targets;
        bool fromStart = false;
        for (const QString &key : std::as_const(check.lacking)) {
            if (key.section(QLatin1Char('.'), 0, 0) != app)
                continue;
            bool inApp = false;
            for (const QString &dep : fileOf.value(key)->declaration.dependencies) {
                const QString depApp = dep.section(QLatin1Char('.'), 0, 0), depName = dep.section(QLatin1Char('.'), 1);
                if (depApp != app || depName.startsWith(QLatin1String("__")))
                    continue;
                inApp = true;
                if (!check.lacking.contains(dep) && !targets.contains(depName))
                    targets << depName;
            }
            fromStart = fromStart || !inApp;
        }
        if (targets.isEmpty() && fromStart) {
            // zero unapplies the whole app: only when the branch shares none of its applied migrations.
            const bool shared = std::any_of(records.cbegin(), records.cend(), [&](const MigrationRecord &r) {
                const QString key = r.app + QLatin1Char('.') + r.name;
                return r.app == app && fileOf.contains(key) && !check.lacking.contains(key);
            });
            if (shared) {
                check.problems << QStringLiteral("%1's migrations that %2 lacks start a second history in the app; "
                                                 "unapply them by hand (migrate --app %1 --to …).").arg(app, branch);
                continue;
            }
            targets << QStringLiteral("zero");
        }
        if (targets.isEmpty())
            check.problems << QStringLiteral("Cannot tell where %1 goes back to: its migrations declare no dependency in the app.").arg(app);
        for (const QString &target : std::as_const(targets))
            check.unapplyTo << app + QLatin1Char('=') + target;
    }
    // git switch would refuse (or overwrite) changed and untracked files it rewrites: refuse first.
    const QStringList dirty = GitBranches::dirtyFiles(config.root, &answer);
    if (!answer.ok) {
        check.problems << answer.error;
        return check;
    }
    const QStringList changed = GitBranches::changedAgainst(config.root, check.treeRef, &answer);
    if (!answer.ok) {
        check.problems << answer.error;
        return check;
    }
    const QSet<QString> touched(changed.cbegin(), changed.cend());
    for (const QString &file : dirty) {
        if (touched.contains(file) && !check.blockingFiles.contains(file))
            check.blockingFiles << file;
    }
    return check;
}

QStringList CommitCheck::blockers(bool push) const
{
    QStringList problems;
    if (!checked)
        return {QStringLiteral("git was not asked yet (read the facts first).")};
    if (!error.isEmpty())
        return {QStringLiteral("git failed: %1").arg(error)};
    if (!isRepository)
        return {QStringLiteral("The project is not in a git repository: nothing to commit to.")};
    if (rebaseInProgress)
        problems << QStringLiteral("A rebase is in progress: finish it (git rebase --continue) or abort it "
                                   "(git rebase --abort) first, so the commit lands on your branch.");
    else if (detachedHead)
        problems << QStringLiteral("HEAD is detached: check out a branch first (git switch BRANCH), "
                                   "so the commit does not get lost.");
    if (!stagedOther.isEmpty())
        problems << QStringLiteral("Other changes are already staged and would go into this commit: %1. "
                                   "Commit or unstage them first (git restore --staged FILE).")
                        .arg(stagedOther.join(QStringLiteral(", ")));
    if (appCount > 0 && ignoredMigrationApps.size() == appCount)
        problems << QStringLiteral("git ignores the migration files of every app (%1): there would be nothing to "
                                   "commit. Remove the ignore rule (.gitignore) or leave the commit out.")
                        .arg(ignoredMigrationApps.join(QStringLiteral(", ")));
    if (push && upstream.isEmpty() && !remotes.contains(QStringLiteral("origin")))
        problems << QStringLiteral("Push asked for, but the branch tracks no upstream and there is no "
                                   "remote \"origin\".");
    return problems;
}

GuideFacts GuideFactsReader::read(const QString &operation, const ProjectConfig &config,
                                  const OperationOptions &options, const QProcessEnvironment &environment)
{
    const Operation *op = OperationCatalog::find(operation);
    return read(op ? op->factsFor(options) : Facts(), config, options, environment);
}

GuideFacts GuideFactsReader::read(Facts wanted, const ProjectConfig &config, const OperationOptions &options,
                                  const QProcessEnvironment &environment, const std::function<bool()> &cancelled)
{
    GuideFacts facts;
    facts.projectApps = projectApps(config);
    facts.appsKnown = true;
    if (wanted & Fact::HistoryRows) {
        QString error;
        const QStringList apps = options.flag(GuideOption::AllApps) ? QStringList() : facts.projectApps;
        facts.historyRows = countHistoryRows(config.db, apps, &error);
        facts.historyCounted = facts.historyRows >= 0;
        const QMap<QString, qint64> byApp = historyRowsByApp(config.db);
        for (auto it = byApp.cbegin(); it != byApp.cend(); ++it) {
            if (apps.isEmpty() || apps.contains(it.key()))
                facts.historyRowsByApp.insert(it.key(), it.value());
        }
        if (!facts.historyCounted)
            facts.errors << QStringLiteral("Cannot count the rows of django_migrations: %1").arg(error);
    }
    if (wanted & Fact::Files) {
        facts.deletableFiles = deletableFiles(config);
        facts.filesListed = true;
    }
    if (wanted & Fact::Tables) {
        QString error;
        facts.appTablesExist = appTablesExist(config.db, facts.projectApps, &error);
        facts.tablesChecked = error.isEmpty();
        if (facts.tablesChecked && facts.appTablesExist)
            facts.unmigratedAppTables = unmigratedAppTables(config.db, facts.projectApps, &error);
        if (!facts.tablesChecked)
            facts.errors << QStringLiteral("Cannot read the tables of the database: %1").arg(error);
    }
    if (const QString username = options.values.value(GuideOption::Username).trimmed(); !username.isEmpty()) {
        const int taken = usernameTaken(config.db, username);
        facts.usernameChecked = taken >= 0;
        facts.usernameTaken = taken > 0;
    }
    if (wanted & Fact::DatabaseVolume) {
        const QString refused = DatabaseResetPlan::refusedDatabaseName(config);
        if (!refused.isEmpty())
            facts.errors << refused; // shown as a blocker: the plan must not run
    }
    if ((wanted & Fact::DatabaseVolume) && Targets::forProject(config)->keepsDatabaseInVolume()) {
        QString keyError;
        facts.volumeKey = postgresVolumeKey(config, &keyError);
        QString error;
        facts.postgresVolumes = findPostgresVolumes(config, facts.volumeKey, environment, &error);
        facts.volumeChecked = error.isEmpty();
        if (!facts.volumeChecked)
            facts.errors << error;
        else if (facts.volumeKey.isEmpty())
            facts.errors << QStringLiteral("Cannot tell which volume holds the database (%1).").arg(keyError);
    }
    if (wanted & Fact::Commit)
        facts.commit = checkCommit(config, environment);
    if (wanted & Fact::Schema) {
        SchemaCheckRequest request;
        if (options.flag(GuideOption::Regenerated))
            request.files = SchemaCheckRequest::Files::Regenerated;
        CallContext context;
        context.cancelled = cancelled;
        const SchemaCheckResult check = SchemaCheck::run(config, request, context);
        facts.schemaChecked = check.ran();
        if (!check.ran())
            facts.errors << QStringLiteral("The schema check could not run: %1").arg(check.error);
        facts.schemaDifferences = check.differenceLines();
        for (const AlignmentStatement &s : check.alignment) {
            facts.schemaAlignment << s.sql;
            facts.schemaReasons << s.reason;
        }
        facts.schemaUnresolved = check.unresolved;
    }
    if (wanted & Fact::BranchSwitch)
        facts.branchSwitch = checkSwitch(config, options.values.value(GuideOption::To).trimmed());
    return facts;
}
