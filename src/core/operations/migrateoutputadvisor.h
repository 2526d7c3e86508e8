#pragma once

#include "plan/target.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// What to do after `manage.py migrate` failed (or printed a warning): one hint per problem
// recognised in its output, with an action the GUI can offer as a button and the CLI prints.
struct MigrateHint
{
    enum class Kind {
        RelationExists,        // tables exist, history does not say so → --fake-initial
        ColumnExists,          // a column exists that a migration adds → --fake-initial or the Doctor
        InconsistentHistory,   // applied before its dependency → the Doctor (repair panel)
        RelationMissing,       // history says applied, table missing (or the app never migrated)
        ColumnMissing,
        ConflictingMigrations, // two leaf nodes in one app → makemigrations --merge
        MissingMigrationFile,  // a dependency names a file that is not on disk → git pull / Doctor
        ModelChangesPending,   // models changed without a migration → makemigrations
        DatabaseUnreachable,   // cannot connect → start the database
    };
    enum class Action { None, RerunWithFakeInitial, OpenDoctor, RunOperation };

    Kind kind = Kind::RelationExists;
    QString title;    // "Tables already exist"
    QString detail;   // what the output means, naming the table/app/migration it saw
    QString command;  // what to run, exact (empty when the action is the Doctor)
    Action action = Action::None;
    QString operation;                 // for RunOperation / RerunWithFakeInitial: the catalog name
    QHash<QString, QString> values;    // options for that operation, e.g. fake-initial → 1
};

// The context that makes hints precise; all optional.
struct MigrateAdviceContext
{
    QStringList projectApps;  // apps whose migration files the project owns
    bool fakeInitialUsed = false;
    // How the target phrases commands (Target::manageHint / startHint): "docker compose exec
    // backend python manage.py ARGS" ("%1" stands for ARGS), and the command that starts the
    // project's services (empty when the target has none).
    QString manageCommand = QStringLiteral("docker compose exec backend python manage.py %1");
    QString startCommand = QStringLiteral("docker compose up -d");
};

namespace MigrateOutputAdvisor {
// The context's commands as the project's target phrases them.
void phraseFor(const Target &target, MigrateAdviceContext *context);
// Pure: reads the combined stdout+stderr of migrate (ANSI codes and \r tolerated).
QList<MigrateHint> advise(const QString &output, const MigrateAdviceContext &context = {});
// The app a table belongs to by Django's default naming (<app>_<model>), longest match first.
QString appOfTable(const QString &table, const QStringList &apps);
}
