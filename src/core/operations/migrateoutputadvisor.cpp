#include "operations/migrateoutputadvisor.h"

#include "operations/guideoptions.h"

#include <QRegularExpression>

namespace {

QString clean(QString text)
{
    static const QRegularExpression ansi(QStringLiteral("\x1b\\[[0-9;?]*[A-Za-z]"));
    text.remove(ansi);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    return text;
}

QString manage(const MigrateAdviceContext &context, const QString &args)
{
    return context.manageCommand.arg(args);
}

bool already(const QList<MigrateHint> &hints, MigrateHint::Kind kind)
{
    for (const MigrateHint &hint : hints) {
        if (hint.kind == kind)
            return true;
    }
    return false;
}

// The migration Django was applying when it failed: "Applying app.0003_x..." as the last one.
QString applyingMigration(const QString &text)
{
    static const QRegularExpression applying(QStringLiteral("Applying ([\\w]+)\\.([\\w]+)\\.\\.\\."));
    QString last;
    auto it = applying.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        last = m.captured(1) + QLatin1Char('.') + m.captured(2);
    }
    return last;
}

} // namespace

QString MigrateOutputAdvisor::appOfTable(const QString &table, const QStringList &apps)
{
    QString best;
    for (const QString &app : apps) {
        if (table.startsWith(app + QLatin1Char('_')) && app.size() > best.size())
            best = app;
    }
    return best;
}

QList<MigrateHint> MigrateOutputAdvisor::advise(const QString &output, const MigrateAdviceContext &context)
{
    const QString text = clean(output);
    QList<MigrateHint> hints;
    const QString applying = applyingMigration(text);
    const QString during = applying.isEmpty() ? QString() : QStringLiteral(" while applying %1").arg(applying);

    static const QRegularExpression relationExists(QStringLiteral("relation \"([^\"]+)\" already exists"));
    if (const auto m = relationExists.match(text); m.hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::RelationExists;
        hint.title = QStringLiteral("Table %1 already exists").arg(m.captured(1));
        if (context.fakeInitialUsed) {
            hint.detail = QStringLiteral("The table exists%1 even with --fake-initial: Django fakes an initial "
                                         "migration only when ALL its tables and columns exist, so the schema "
                                         "and the migration files disagree. The Doctor compares them table by "
                                         "table and records what already ran.")
                              .arg(during);
            hint.action = MigrateHint::Action::OpenDoctor;
        } else {
            hint.detail = QStringLiteral("The database already has the tables%1, but django_migrations does not "
                                         "say so (history cleared, or migration files regenerated). Re-run "
                                         "migrate with --fake-initial: initial migrations whose tables all exist "
                                         "are recorded as applied instead of being run.")
                              .arg(during);
            hint.command = manage(context, QStringLiteral("migrate --fake-initial"));
            hint.action = MigrateHint::Action::RerunWithFakeInitial;
            hint.operation = QStringLiteral("migrate");
            hint.values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
        }
        hints << hint;
    }

    static const QRegularExpression columnExists(
        QStringLiteral("column \"([^\"]+)\" of relation \"([^\"]+)\" already exists"));
    if (const auto m = columnExists.match(text); m.hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::ColumnExists;
        hint.title = QStringLiteral("Column %1.%2 already exists").arg(m.captured(2), m.captured(1));
        hint.detail = QStringLiteral("A migration adds a column the table already has%1. If it is an initial "
                                     "migration, --fake-initial records it; otherwise the Doctor shows which "
                                     "migration already ran and records it.")
                          .arg(during);
        hint.command = manage(context, QStringLiteral("migrate --fake-initial"));
        hint.action = context.fakeInitialUsed ? MigrateHint::Action::OpenDoctor
                                              : MigrateHint::Action::RerunWithFakeInitial;
        if (!context.fakeInitialUsed) {
            hint.operation = QStringLiteral("migrate");
            hint.values.insert(GuideOption::FakeInitial, QStringLiteral("1"));
        }
        hints << hint;
    }

    static const QRegularExpression inconsistent(
        QStringLiteral("InconsistentMigrationHistory: Migration (\\S+) is applied before its dependency (\\S+?)"
                       "(?: on database '[^']*')?\\.?\\s*$"),
        QRegularExpression::MultilineOption);
    if (const auto m = inconsistent.match(text); m.hasMatch() || text.contains(QStringLiteral("InconsistentMigrationHistory"))) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::InconsistentHistory;
        hint.title = QStringLiteral("Inconsistent migration history");
        hint.detail = m.hasMatch()
            ? QStringLiteral("django_migrations records %1 as applied, but not %2, which it depends on. "
                             "migrate refuses to run until the history is consistent. The Doctor (repair "
                             "panel) shows both rows and offers to record %2 (when its tables exist) or to "
                             "remove the early row, with a snapshot first.")
                  .arg(m.captured(1), m.captured(2))
            : QStringLiteral("django_migrations records a migration before one it depends on. The Doctor "
                             "(repair panel) finds the pair and fixes the history, with a snapshot first.");
        hint.action = MigrateHint::Action::OpenDoctor;
        hint.operation = QStringLiteral("doctor");
        hints << hint;
    }

    static const QRegularExpression columnMissing(
        QStringLiteral("column \"?([\\w.]+)\"? (?:of relation \"([^\"]+)\" )?does not exist"));
    static const QRegularExpression relationMissing(QStringLiteral("relation \"([^\"]+)\" does not exist"));
    if (const auto m = relationMissing.match(text); m.hasMatch()) {
        const QString table = m.captured(1);
        const QString app = appOfTable(table, context.projectApps);
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::RelationMissing;
        hint.title = QStringLiteral("Table %1 does not exist").arg(table);
        if (!app.isEmpty()) {
            hint.detail = QStringLiteral("Table %1 belongs to app %2, and it is missing%3. Either %2's migrations "
                                         "are recorded as applied although the table was never created (history "
                                         "copied or faked), or %2 has no migration that creates it yet. Check with "
                                         "showmigrations %2: if its migrations show [X], un-record them with "
                                         "`migrate %2 zero --fake` and apply them again; if %2 has no migration "
                                         "for the model, run makemigrations %2 first.")
                              .arg(table, app, during);
            hint.command = manage(context, QStringLiteral("migrate %1 zero --fake && ").arg(app))
                + manage(context, QStringLiteral("migrate %1").arg(app));
            hint.action = MigrateHint::Action::None;
        } else {
            hint.detail = QStringLiteral("A migration%1 uses table %2 before it exists: the app that creates it "
                                         "is not migrated yet, or code runs a query while Django starts (apps.py "
                                         "ready(), a module-level query). Apply every app first with a plain "
                                         "migrate; if that fails the same way, move the query out of start-up.")
                              .arg(during, table);
            hint.command = manage(context, QStringLiteral("migrate"));
            hint.action = MigrateHint::Action::None;
        }
        hints << hint;
    } else if (const auto c = columnMissing.match(text); c.hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::ColumnMissing;
        hint.title = QStringLiteral("Column %1 does not exist").arg(c.captured(1));
        hint.detail = QStringLiteral("A migration%1 changes a column the table does not have: the history says "
                                     "more ran than the schema shows. The Doctor compares the two and fixes the "
                                     "history.").arg(during);
        hint.action = MigrateHint::Action::OpenDoctor;
        hint.operation = QStringLiteral("doctor");
        hints << hint;
    }

    static const QRegularExpression conflict(QStringLiteral("Conflicting migrations detected; multiple leaf nodes "
                                                            "in the migration graph: \\(([^;)]*?) in (\\w+)[;)]"));
    if (const auto m = conflict.match(text); m.hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::ConflictingMigrations;
        hint.title = QStringLiteral("Conflicting migrations in %1").arg(m.captured(2));
        hint.detail = QStringLiteral("App %1 has two latest migrations (%2), usually from two branches merged. "
                                     "makemigrations --merge writes a merge migration.")
                          .arg(m.captured(2), m.captured(1));
        hint.command = manage(context, QStringLiteral("makemigrations --merge %1").arg(m.captured(2)));
        hint.action = MigrateHint::Action::OpenDoctor;
        hint.operation = QStringLiteral("doctor");
        hints << hint;
    }

    static const QRegularExpression nodeMissing(
        QStringLiteral("NodeNotFoundError: Migration (\\S+) dependencies reference nonexistent parent node "
                       "\\('([^']+)', '([^']+)'\\)"));
    if (const auto m = nodeMissing.match(text); m.hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::MissingMigrationFile;
        hint.title = QStringLiteral("Migration file %1/migrations/%2.py is missing").arg(m.captured(2), m.captured(3));
        hint.detail = QStringLiteral("%1 depends on %2.%3, which is not on disk: pull the branch that has it "
                                     "(git pull), or regenerate %2's migrations with the automated reset.")
                          .arg(m.captured(1), m.captured(2), m.captured(3));
        hint.action = MigrateHint::Action::OpenDoctor;
        hint.operation = QStringLiteral("doctor");
        hints << hint;
    }

    static const QRegularExpression pending(QStringLiteral("Your models in app\\(s\\): (.+) have changes that are "
                                                           "not yet reflected"));
    if (const auto m = pending.match(text); m.hasMatch() && !already(hints, MigrateHint::Kind::ModelChangesPending)) {
        QStringList apps;
        static const QRegularExpression quoted(QStringLiteral("'([^']+)'"));
        auto it = quoted.globalMatch(m.captured(1));
        while (it.hasNext())
            apps << it.next().captured(1);
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::ModelChangesPending;
        hint.title = QStringLiteral("Model changes without a migration");
        hint.detail = QStringLiteral("Models of %1 changed but no migration describes the change yet: run "
                                     "makemigrations, then migrate again.")
                          .arg(apps.join(QStringLiteral(", ")));
        hint.command = manage(context, QStringLiteral("makemigrations ") + apps.join(QLatin1Char(' ')));
        hint.action = MigrateHint::Action::RunOperation;
        hint.operation = QStringLiteral("makemigrations");
        hint.values.insert(GuideOption::Apps, apps.join(QLatin1Char(',')));
        hints << hint;
    }

    static const QRegularExpression unreachable(
        QStringLiteral("could not connect to server|Connection refused|could not translate host name|"
                       "connection to server at .* failed|the database system is starting up|"
                       "service \"[^\"]+\" is not running"));
    if (unreachable.match(text).hasMatch()) {
        MigrateHint hint;
        hint.kind = MigrateHint::Kind::DatabaseUnreachable;
        hint.title = QStringLiteral("The database is not reachable");
        hint.detail = !context.startCommand.isEmpty()
            ? QStringLiteral("Django could not connect to PostgreSQL, or the container is not running. Start the "
                             "stack and try again.")
            : QStringLiteral("Django could not connect to PostgreSQL. Check that the server runs and that the "
                             "host, port and credentials in the project settings are right.");
        hint.command = context.startCommand;
        hints << hint;
    }
    return hints;
}

void MigrateOutputAdvisor::phraseFor(const Target &target, MigrateAdviceContext *context)
{
    context->manageCommand = target.manageHint(QStringLiteral("%1"));
    context->startCommand = target.startHint();
}
