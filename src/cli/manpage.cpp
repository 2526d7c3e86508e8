#include "cli/manpage.h"

#include "cli/commandregistry.h"

namespace {

// roff: a backslash is \e, a minus is \-, and a line must not start with . or '.
QString escape(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\e");
        else if (c == QLatin1Char('-'))
            out += QStringLiteral("\\-");
        else
            out += c;
    }
    QStringList lines = out.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        if (line.startsWith(QLatin1Char('.')) || line.startsWith(QLatin1Char('\'')))
            line.prepend(QStringLiteral("\\&"));
    }
    return lines.join(QLatin1Char('\n'));
}

QString optionItems(const QList<QCommandLineOption> &options)
{
    QString text;
    for (const QCommandLineOption &o : options) {
        QStringList flags;
        for (const QString &n : o.names())
            flags << QStringLiteral("\\fB%1%2\\fR").arg(n.size() == 1 ? QStringLiteral("\\-") : QStringLiteral("\\-\\-"),
                                                      escape(n));
        QString head = flags.join(QStringLiteral(", "));
        if (!o.valueName().isEmpty())
            head += QStringLiteral(" \\fI%1\\fR").arg(escape(o.valueName()));
        text += QStringLiteral(".TP\n%1\n%2\n").arg(head, escape(o.description()));
    }
    return text;
}

} // namespace

QString ManPage::render()
{
    QString page = QStringLiteral(
        ".TH MIGRATIONDESK 1 \"\" \"MigrationDesk " MIGRATIONDESK_VERSION "\" \"User Commands\"\n"
        ".SH NAME\n"
        "migrationdesk \\- show and repair the Django migration state of a docker compose project\n"
        ".SH SYNOPSIS\n"
        ".B migrationdesk\n"
        "[\\fB\\-\\-project\\fR \\fIDIR\\fR] [\\fB\\-\\-demo\\fR]\n"
        ".br\n"
        ".B migrationdesk\n"
        "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"
        ".SH DESCRIPTION\n"
        "MigrationDesk shows the true migration state of a Django project that runs under docker compose with "
        "PostgreSQL \\(em the \\fBdjango_migrations\\fR table reconciled with the migration files on disk \\(em and "
        "runs the steps of the Migration Reset Guide safely: every destructive step is preceded by a verified "
        "backup and needs \\fB\\-\\-yes\\fR.\n"
        ".PP\n"
        "Without a command it opens the window. The commands below need no display.\n"
        ".SH OPTIONS\n"
        ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow the help (of the window, or of a command after it).\n"
        ".TP\n\\fB\\-v\\fR, \\fB\\-\\-version\\fR\nShow the version.\n");
    page += optionItems(CommandRegistry::guiOptions());
    page += QStringLiteral(".SH COMMANDS\n");
    for (const CliCommand &c : CommandRegistry::all()) {
        QStringList synopsis{QStringLiteral("migrationdesk"), c.name};
        if (!c.options.isEmpty())
            synopsis << QStringLiteral("[options]");
        for (const CliArgument &a : c.arguments)
            synopsis << a.syntax;
        page += QStringLiteral(".SS \"%1\"\n%2\n").arg(escape(synopsis.join(QLatin1Char(' '))), escape(c.summary));
        for (const CliArgument &a : c.arguments) {
            page += QStringLiteral(".TP\n\\fI%1\\fR\n%2").arg(escape(a.name), escape(a.description));
            if (!a.values.isEmpty())
                page += QStringLiteral(" One of: %1.").arg(escape(a.values.join(QStringLiteral(", "))));
            page += QLatin1Char('\n');
        }
        page += optionItems(c.options);
    }
    page += QStringLiteral(
        ".SH EXIT STATUS\n"
        ".TP\n\\fB0\\fR\nSuccess: every migration applied, no findings, the operation ran.\n"
        ".TP\n\\fB1\\fR\nSomething to do: pending or orphan migrations, doctor findings.\n"
        ".TP\n\\fB2\\fR\nAn error: bad arguments, no project, the database unreachable, a plan refused "
        "(also by \\fB\\-\\-dry\\-run\\fR), or a destructive operation without \\fB\\-\\-yes\\fR.\n"
        ".PP\n"
        "A failed step of \\fBrun\\fR exits with the command's own exit code.\n"
        ".SH JSON\n"
        "With \\fB\\-\\-json\\fR, standard output is exactly one JSON document with \\fBkind\\fR and "
        "\\fBschemaVersion\\fR; an error is {\"kind\": \"error\", \"error\": MESSAGE, \"code\": CODE} with exit status 2. "
        "The schema is described in /usr/share/doc/migrationdesk/json\\-schema.md.\n"
        ".SH ENVIRONMENT\n"
        ".TP\n\\fBMIGRATIONDESK_DB_PASSWORD\\fR\nThe database password when \\fI.env\\fR has none (never a flag).\n"
        ".TP\n\\fBMIGRATIONDESK_SUPERUSER_PASSWORD\\fR\nThe password of \\fBrun createsuperuser\\fR.\n"
        ".TP\n\\fBNO_COLOR\\fR\nWhen set and not empty, no colours; colours are only ever written to a terminal.\n"
        ".SH SEE ALSO\n"
        ".BR docker\\-compose (1),\n"
        ".BR psql (1),\n"
        ".BR pg_dump (1)\n");
    return page;
}
