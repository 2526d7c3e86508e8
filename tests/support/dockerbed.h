#pragma once

// The real Docker engine of the test bed (tests/support/dockerbed.sh, CTest fixture "docker"):
// dockerd, compose v2 (trixie's plugin in DOCKER_CONFIG) and v1 (Debian 12's docker-compose),
// and fixture stacks that run for real: a PostgreSQL container from the postgres:15 stand-in and
// the fixture's backend built on Debian's Django. Nothing here imitates docker.

#include "project/composecli.h"
#include "project/projectconfig.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace DockerBed {

// True when the fixture found (or started) an engine; reason says why not.
bool available(QString *reason = nullptr);
// Both compose CLIs: every engine test is written once and runs per variant.
QList<ComposeVariant> variants();
QString variantLabel(ComposeVariant variant); // "compose v2" / "compose v1"

int freePort();
// A compose project name the fixture's cleanup recognises: mdt + hash of the test bed + prefix + random.
QString uniqueProjectName(const QString &prefix);

// A fixture copy running under compose.
struct Stack
{
    QString dir;        // project root (docker-compose.yml, .env, whatsappcrm_backend/)
    QString project;    // COMPOSE_PROJECT_NAME written into its .env
    ComposeVariant variant = ComposeVariant::Plugin;
    DbSettings db;      // the db container, reached on its published 127.0.0.1 port
    ProjectConfig config; // ProjectDetector::detect(dir): what the app sees
    QString error;      // empty on success

    bool ok() const { return error.isEmpty(); }
};

struct StackOptions
{
    bool migrate = true;         // run Django's migrate in the backend container
    QString password = QStringLiteral("postgres");
    QString projectName;         // empty: uniqueProjectName(folder)
    QStringList extraEnv;        // more KEY=VALUE lines for the copy's .env
    bool start = true;           // false: only the copy (for tests that start it themselves)
};

// Copies tests/fixtures/hanna to parentDir/folderName, writes its .env for this stack (project
// name, free host ports, password), runs `up -d` with the variant's CLI, waits until PostgreSQL
// answers, and migrates. Selects the variant for the app (ComposeCli::setDetected).
Stack startStack(const QString &parentDir, const QString &folderName, ComposeVariant variant,
                 const StackOptions &options = {});
// `docker compose ARGS` (or docker-compose) in the stack's folder; output merged. Exit code.
int compose(const Stack &stack, const QStringList &args, QString *output = nullptr, int timeoutMs = 300000);
// `docker ARGS`.
int docker(const QStringList &args, QString *output = nullptr, int timeoutMs = 120000);
// Waits until the stack's database accepts the password (after up -d). False after timeoutMs.
bool waitForDatabase(const DbSettings &db, int timeoutMs = 90000);
// down -v --remove-orphans: containers, networks and volumes of the stack are gone.
void removeStack(const Stack &stack);

// Removes its stack when the test function returns, a failed QVERIFY included.
struct StackGuard
{
    Stack stack;
    ~StackGuard() { removeStack(stack); }
};

// In a _data() function: an int column "variant" with one row per compose CLI.
void addVariantRows();
// Rows of django_migrations, -1 when the table cannot be read.
int historyRows(const DbSettings &db);

} // namespace DockerBed

// In a test function: skips with one loud line when the test bed has no engine.
#define DOCKERBED_REQUIRE()                                                                    \
    do {                                                                                       \
        QString dockerbedReason_;                                                              \
        if (!DockerBed::available(&dockerbedReason_))                                          \
            QSKIP(qPrintable(QStringLiteral("NO DOCKER ENGINE: ") + dockerbedReason_));        \
    } while (false)
