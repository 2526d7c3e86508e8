#include "testbed.h"

#include "db/databaseconnection.h"
#include "safety/backupstore.h"
#include "safety/safetysteps.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTextStream>

#include <functional>

namespace TestBed {

namespace {

const QString kBackendFolder = QStringLiteral("whatsappcrm_backend");

QString python() { return QString::fromLatin1(kPython); }

QString pgclusterScript()
{
    return QStringLiteral(MIGRATIONDESK_SOURCE_DIR) + QStringLiteral("/tests/support/pgcluster.sh");
}

// Runs fn with an open QPSQL connection under a name nobody else uses; the connection is removed
// afterwards (QSqlDatabase must be out of scope before removeDatabase).
bool withConnection(const DbSettings &db, QString *error, const std::function<bool(QSqlDatabase &)> &fn)
{
    static QAtomicInt counter;
    const QString connectionName = QStringLiteral("testbed-%1-%2")
                                       .arg(QCoreApplication::applicationPid())
                                       .arg(counter.fetchAndAddRelaxed(1));
    bool ok = false;
    {
        QSqlDatabase sql = DatabaseConnection::addConfigured(connectionName, db, DatabaseConnection::connectTimeoutSeconds,
                                                             QStringLiteral("migrationdesk-testbed"));
        if (!sql.open()) {
            if (error)
                *error = sql.lastError().text();
        } else {
            ok = fn(sql);
            sql.close();
        }
    }
    QSqlDatabase::removeDatabase(connectionName);
    return ok;
}

QString readPassword(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readLine()).trimmed();
}

bool copyTree(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    const QDir source(from);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = source.relativeFilePath(path);
        // Bytecode caches from someone's earlier run are not part of the fixture.
        if (relative.split(QLatin1Char('/')).contains(QStringLiteral("__pycache__")) || relative.endsWith(QStringLiteral(".pyc")))
            continue;
        const QString target = to + QLatin1Char('/') + relative;
        if (info.isDir()) {
            if (!QDir().mkpath(target))
                return false;
        } else {
            QDir().mkpath(QFileInfo(target).absolutePath());
            QFile::remove(target);
            if (!QFile::copy(path, target))
                return false;
            // Copies of read-only sources must stay writable: tests delete and regenerate files.
            QFile::setPermissions(target, info.permissions() | QFile::WriteOwner | QFile::ReadOwner);
        }
    }
    return true;
}

bool rewriteEnv(const QString &envPath, const DbSettings &db, bool keepName)
{
    QFile file(envPath);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    file.close();

    QList<QPair<QString, QString>> wanted = {
        {QStringLiteral("DB_USER"), db.user},
        {QStringLiteral("DB_PASSWORD"), db.password},
        {QStringLiteral("DB_HOST"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("DB_PORT"), QString::number(db.port)},
        // The compose file publishes the db port as ${DB_HOST_PORT}: the same server.
        {QStringLiteral("DB_HOST_PORT"), QString::number(db.port)},
    };
    if (!keepName)
        wanted.prepend({QStringLiteral("DB_NAME"), db.name});

    QStringList out;
    QStringList seen;
    for (const QString &line : lines) {
        const int eq = line.indexOf(QLatin1Char('='));
        const QString key = eq > 0 ? line.left(eq).trimmed() : QString();
        bool replaced = false;
        for (const auto &kv : std::as_const(wanted)) {
            if (key == kv.first) {
                out << kv.first + QLatin1Char('=') + kv.second;
                seen << kv.first;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            out << line;
    }
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    for (const auto &kv : std::as_const(wanted)) {
        if (!seen.contains(kv.first))
            out << kv.first + QLatin1Char('=') + kv.second;
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write((out.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    return true;
}

} // namespace

QString dir()
{
    const QString fromEnv = qEnvironmentVariable("MIGRATIONDESK_TESTBED");
    return fromEnv.isEmpty() ? QStringLiteral(MIGRATIONDESK_TESTBED_DIR) : fromEnv;
}

DbSettings clusterSettings(const QString &clusterDir)
{
    DbSettings db;
    db.port = 0;
    QFile env(clusterDir + QStringLiteral("/pg.env"));
    if (!env.open(QIODevice::ReadOnly))
        return db;
    while (!env.atEnd()) {
        const QString line = QString::fromUtf8(env.readLine()).trimmed();
        const int eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString key = line.left(eq);
        const QString value = line.mid(eq + 1);
        if (key == QLatin1String("PGHOST"))
            db.host = value;
        else if (key == QLatin1String("PGPORT"))
            db.port = value.toInt();
        else if (key == QLatin1String("PGUSER"))
            db.user = value;
    }
    db.name = QStringLiteral("postgres");
    db.password = readPassword(clusterDir + QStringLiteral("/pgpass"));
    return db;
}

DbSettings server()
{
    return clusterSettings(dir());
}

bool available()
{
    const DbSettings db = server();
    if (db.port == 0 || db.password.isEmpty())
        return false;
    return queryStrings(db, QStringLiteral("SELECT 1")) == QStringList{QStringLiteral("1")};
}

bool execSql(const DbSettings &db, const QString &sql, QString *error)
{
    return withConnection(db, error, [&](QSqlDatabase &connection) {
        QSqlQuery query(connection);
        if (!query.exec(sql)) {
            if (error)
                *error = query.lastError().text();
            return false;
        }
        return true;
    });
}

QStringList queryStrings(const DbSettings &db, const QString &sql, QString *error)
{
    QStringList rows;
    withConnection(db, error, [&](QSqlDatabase &connection) {
        QSqlQuery query(connection);
        query.setForwardOnly(true);
        if (!query.exec(sql)) {
            if (error)
                *error = query.lastError().text();
            return false;
        }
        const int columns = query.record().count();
        while (query.next()) {
            QStringList values;
            for (int i = 0; i < columns; ++i)
                values << query.value(i).toString();
            rows << values.join(QLatin1Char('|'));
        }
        return true;
    });
    return rows;
}

QString createDatabase(const DbSettings &server, const QString &prefix)
{
    static QAtomicInt counter;
    QString clean = prefix.toLower();
    clean.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]")), QStringLiteral("_"));
    if (clean.isEmpty() || !clean.at(0).isLetter())
        clean.prepend(QStringLiteral("t"));
    clean.truncate(30);
    // Unique across parallel test processes and within one process.
    const QString name = QStringLiteral("%1_%2_%3_%4")
                             .arg(clean)
                             .arg(QCoreApplication::applicationPid())
                             .arg(counter.fetchAndAddRelaxed(1))
                             .arg(QRandomGenerator::global()->bounded(100000));
    DbSettings admin = server;
    admin.name = QStringLiteral("postgres");
    QString error;
    // The name is built above from [a-z0-9_] only, so quoting it as an identifier is safe.
    if (!execSql(admin, QStringLiteral("CREATE DATABASE \"%1\"").arg(name), &error)) {
        qWarning("TestBed::createDatabase failed: %s", qPrintable(error));
        return QString();
    }
    return name;
}

QString createDatabase(const QString &prefix)
{
    return createDatabase(server(), prefix);
}

bool dropDatabase(const DbSettings &server, const QString &name)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_]+$"));
    if (!safe.match(name).hasMatch())
        return false;
    DbSettings admin = server;
    admin.name = QStringLiteral("postgres");
    return execSql(admin, QStringLiteral("DROP DATABASE IF EXISTS \"%1\" WITH (FORCE)").arg(name));
}

bool dropDatabase(const QString &name)
{
    return dropDatabase(server(), name);
}

QString fixtureSourceDir()
{
    return QStringLiteral(MIGRATIONDESK_SOURCE_DIR) + QStringLiteral("/tests/fixtures/hanna");
}

QString copyFixture(const QString &parentDir, const QString &folderName, const DbSettings &db)
{
    const QString target = QDir(parentDir).absoluteFilePath(folderName);
    if (!copyTree(fixtureSourceDir(), target))
        return QString();
    if (!rewriteEnv(target + QStringLiteral("/.env"), db, db.name.isEmpty()))
        return QString();
    return QDir::cleanPath(target);
}

QString copyFixture(const QString &parentDir, const QString &folderName)
{
    DbSettings db = server();
    db.name.clear(); // keep the fixture's DB_NAME
    return copyFixture(parentDir, folderName, db);
}

QString backendDir(const QString &projectDir)
{
    return QDir(projectDir).absoluteFilePath(kBackendFolder);
}

QStringList migrationFileKeys(const QString &backendDir)
{
    QStringList keys;
    QDirIterator it(backendDir, {QStringLiteral("0*.py")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo file(it.next());
        if (file.dir().dirName() == QLatin1String("migrations"))
            keys << QFileInfo(file.dir().absolutePath()).dir().dirName() + QLatin1Char('.') + file.completeBaseName();
    }
    return keys;
}

QString composeProjectName(const QString &projectDir)
{
    // docker compose: lower case, characters other than [a-z0-9_-] dropped.
    QString name = QFileInfo(projectDir).fileName().toLower();
    name.remove(QRegularExpression(QStringLiteral("[^a-z0-9_-]")));
    return name;
}

ProjectConfig composeConfig(const QString &projectDir, const DbSettings &db)
{
    ProjectConfig config;
    config.root = QDir(projectDir).absolutePath();
    config.composeFile = config.root + QStringLiteral("/docker-compose.yml");
    config.envFile = config.root + QStringLiteral("/.env");
    config.composeProjectName = composeProjectName(config.root);
    config.backendDir = backendDir(config.root);
    config.dbService = QStringLiteral("db");
    config.backendService = QStringLiteral("backend");
    config.containerWorkdir = QStringLiteral("/app");
    config.db = db;
    config.target = TargetKind::Compose;
    config.python = QStringLiteral("python");
    return config;
}

ProjectConfig localConfig(const QString &projectDir, const DbSettings &db)
{
    ProjectConfig config = composeConfig(projectDir, db);
    config.target = TargetKind::Local;
    config.python = python();
    return config;
}

ProjectConfig localConfig(const QString &projectDir, const QString &dbName)
{
    DbSettings db = server();
    db.name = dbName;
    return localConfig(projectDir, db);
}

QProcessEnvironment manageEnvironment(const DbSettings &db)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DB_NAME"), db.name);
    env.insert(QStringLiteral("DB_USER"), db.user);
    env.insert(QStringLiteral("DB_PASSWORD"), db.password);
    env.insert(QStringLiteral("DB_HOST"), db.host);
    env.insert(QStringLiteral("DB_PORT"), QString::number(db.port));
    return env;
}

int run(const QString &program, const QStringList &args, const QString &workDir,
        const QProcessEnvironment &env, QString *output, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        process.setWorkingDirectory(workDir);
    process.start(program, args);
    if (!process.waitForStarted(30000)) {
        if (output)
            *output = process.errorString();
        return -1;
    }
    const bool finished = process.waitForFinished(timeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    if (output)
        *output = QString::fromUtf8(process.readAll());
    if (!finished || process.exitStatus() != QProcess::NormalExit)
        return -1;
    return process.exitCode();
}

bool runManage(const QString &projectDir, const DbSettings &db, const QStringList &args,
               QString *output, int timeoutMs)
{
    return run(python(), QStringList{QStringLiteral("manage.py")} + args, backendDir(projectDir),
               manageEnvironment(db), output, timeoutMs) == 0;
}

MigratedProject migratedProject(const QString &parentDir, const QString &folderName)
{
    MigratedProject project;
    project.dbName = createDatabase(QStringLiteral("hanna"));
    if (project.dbName.isEmpty()) {
        project.error = QStringLiteral("could not create a database on the test cluster");
        return project;
    }
    project.db = server();
    project.db.name = project.dbName;
    project.dir = copyFixture(parentDir, folderName, project.db);
    if (project.dir.isEmpty()) {
        project.error = QStringLiteral("could not copy the fixture to %1").arg(parentDir);
        return project;
    }
    project.config = localConfig(project.dir, project.db);
    QString output;
    if (!runManage(project.dir, project.db, {QStringLiteral("migrate"), QStringLiteral("--noinput")}, &output))
        project.error = QStringLiteral("manage.py migrate failed:\n") + output;
    return project;
}

bool initGitRepo(const QString &projectDir, const QString &bareRemoteDir, QString *error)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Nobody's global or system git settings (hooks, signing, default branch) leak in.
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    const QString git = QStringLiteral("git");
    const QList<QPair<QString, QStringList>> steps = {
        {projectDir, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")}},
        {projectDir, {QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("MigrationDesk Tests")}},
        {projectDir, {QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("tests@migrationdesk.invalid")}},
        {projectDir, {QStringLiteral("config"), QStringLiteral("commit.gpgsign"), QStringLiteral("false")}},
        {projectDir, {QStringLiteral("add"), QStringLiteral("-A")}},
        {projectDir, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Initial commit")}},
        {QString(), {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("--bare"), QStringLiteral("-b"), QStringLiteral("main"), bareRemoteDir}},
        {projectDir, {QStringLiteral("remote"), QStringLiteral("add"), QStringLiteral("origin"), bareRemoteDir}},
        {projectDir, {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("-u"), QStringLiteral("origin"), QStringLiteral("main")}},
    };
    for (const auto &step : steps) {
        QString output;
        if (run(git, step.second, step.first, env, &output) != 0) {
            if (error)
                *error = QStringLiteral("git %1 failed: %2").arg(step.second.join(QLatin1Char(' ')), output);
            return false;
        }
    }
    return true;
}

static bool pgcluster(const QString &command, const QString &clusterDir, QString *error)
{
    QString output;
    const int code = run(QStringLiteral("/bin/bash"), {pgclusterScript(), command, clusterDir},
                         QString(), QProcessEnvironment::systemEnvironment(), &output, 180000);
    if (code != 0 && error)
        *error = output;
    return code == 0;
}

bool startPrivateCluster(const QString &clusterDir, QString *error)
{
    return pgcluster(QStringLiteral("start"), clusterDir, error);
}

bool stopPrivateCluster(const QString &clusterDir, QString *error)
{
    return pgcluster(QStringLiteral("stop"), clusterDir, error);
}

QStringList tableRowCounts(const DbSettings &db)
{
    QStringList result;
    const QStringList tables = queryStrings(
        db, QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                           "AND tablename <> 'django_migrations' ORDER BY tablename"));
    for (const QString &t : tables)
        result << t + QLatin1Char('=') + queryStrings(db, QStringLiteral("SELECT count(*) FROM \"%1\"").arg(t)).value(0);
    return result;
}

QStringList localCliArgs(const MigratedProject &project)
{
    const DbSettings &db = project.db;
    return {QStringLiteral("--project"), project.dir, QStringLiteral("--target"), QStringLiteral("local"),
            QStringLiteral("--python"), QString::fromLatin1(kPython),
            QStringLiteral("--db-host"), db.host, QStringLiteral("--db-port"), QString::number(db.port),
            QStringLiteral("--db-name"), db.name, QStringLiteral("--db-user"), db.user};
}

QStringList makeBackups(const ProjectConfig &config, int count, qint64 dumpBytes, QString *error, int firstIndex)
{
    const QString folder = BackupStore::folderForProject(config.root);
    const QDateTime start(QDate(2026, 1, 1), QTime(9, 0));
    const QByteArray dump(dumpBytes, 'd');
    QStringList ids;
    auto fail = [&](const QString &what) {
        if (error && error->isEmpty())
            *error = what;
        return QStringList();
    };
    for (int i = firstIndex; i < firstIndex + count; ++i) {
        BackupLocation location;
        location.operation = i % 3 == 0 ? QStringLiteral("backup") : QStringLiteral("clear-history");
        location.id = start.addSecs(60 * i).toString(QStringLiteral("yyyyMMdd-HHmmss-")) + location.operation;
        location.dir = folder + QLatin1Char('/') + location.id;
        if (!QDir().mkpath(location.dir + QStringLiteral("/files/crm/migrations")))
            return fail(QStringLiteral("cannot create %1").arg(location.dir));
        auto write = [&](const QString &rel, const QByteArray &bytes) {
            QFile f(location.dir + QLatin1Char('/') + rel);
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
        };
        QByteArray sums = "{";
        for (int m = 1; m <= 3; ++m) {
            const QString rel = QStringLiteral("whatsappcrm_backend/crm/migrations/%1_step.py").arg(m, 4, 10, QLatin1Char('0'));
            QDir().mkpath(QFileInfo(location.dir + QStringLiteral("/files/") + rel).absolutePath());
            if (!write(QStringLiteral("files/") + rel, "from django.db import migrations\n"))
                return fail(QStringLiteral("cannot write into %1").arg(location.dir));
            sums += (m > 1 ? "," : "") + QByteArray("\"") + rel.toUtf8() + "\": \"0\"";
        }
        sums += "}";
        if (!write(QStringLiteral("database.dump"), dump) || !write(QStringLiteral("files.sha256.json"), sums)
            || !write(QStringLiteral("django_migrations.json"), "{\"columns\": [], \"rows\": []}"))
            return fail(QStringLiteral("cannot write into %1").arg(location.dir));
        QString why;
        if (!BackupStore::writeManifest(location, config, &why))
            return fail(why);
        ids << location.id;
    }
    return ids;
}

} // namespace TestBed
