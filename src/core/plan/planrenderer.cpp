#include "plan/planrenderer.h"

#include "console/secretmasker.h"
#include "platform/shellquote.h"

#include <QDateTime>

namespace {

QString sqlLiteral(const QVariant &value)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
    case QMetaType::Double:
        return value.toString();
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::QDateTime:
        return QLatin1Char('\'') + value.toDateTime().toString(Qt::ISODateWithMs) + QLatin1Char('\'');
    default:
        break;
    }
    QString text = value.toString();
    // A restore binds a whole snapshot as one JSON value: the preview shows its start only.
    constexpr qsizetype kMaxLiteral = 160;
    if (text.size() > kMaxLiteral)
        text = text.left(kMaxLiteral) + QStringLiteral("… (%1 characters)").arg(text.size());
    text.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

QString connectionLine(const DbSettings &db)
{
    return QStringLiteral("-- database %1 on %2:%3 as %4")
        .arg(db.name, db.host, QString::number(db.port), db.user);
}

} // namespace

QString PlanRenderer::renderProcess(const ProcessStep &step)
{
    QStringList parts;
    if (!step.workingDir.isEmpty())
        parts << QStringLiteral("cd") << ShellQuote::quote(step.workingDir) << QStringLiteral("&&");
    for (const EnvVar &var : step.env) {
        const QString value = var.secret ? SecretMasker::mask() : ShellQuote::quote(var.value);
        parts << var.name + QLatin1Char('=') + value;
    }
    parts << ShellQuote::quote(step.program);
    if (!step.args.isEmpty())
        parts << ShellQuote::join(step.args);
    if (!step.stdinFile.isEmpty())
        parts << QStringLiteral("<") << ShellQuote::quote(step.stdinFile);
    if (!step.stdoutFile.isEmpty())
        parts << QStringLiteral(">") << ShellQuote::quote(step.stdoutFile);
    QString text = parts.join(QLatin1Char(' '));
    for (const OutputCheck &check : step.outputChecks)
        text += QStringLiteral("\n# check: %1 (output matches /%2/)").arg(check.description, check.pattern);
    if (step.rollback)
        text += QStringLiteral("\n# if it fails: ") + renderProcess(*step.rollback);
    return text;
}

QString PlanRenderer::renderSql(const SqlStep &step)
{
    QStringList lines;
    lines << connectionLine(step.db);
    const bool transaction = step.statements.size() > 1;
    if (transaction)
        lines << QStringLiteral("BEGIN;");
    for (const SqlStatement &st : step.statements) {
        QString sql = st.sql.trimmed();
        if (!sql.endsWith(QLatin1Char(';')))
            sql += QLatin1Char(';');
        lines << sql;
        if (!st.saveRowsTo.isEmpty())
            lines << QStringLiteral("-- rows saved as JSON to ") + st.saveRowsTo;
        if (!st.values.isEmpty()) {
            QStringList values;
            for (const QVariant &v : st.values)
                values << sqlLiteral(v);
            lines << QStringLiteral("-- bound values: ") + values.join(QStringLiteral(", "));
        }
    }
    if (transaction)
        lines << QStringLiteral("COMMIT;");
    return lines.join(QLatin1Char('\n'));
}

QString PlanRenderer::renderFiles(const FileStep &step)
{
    QStringList lines;
    const QString paths = ShellQuote::join(step.paths);
    if (step.paths.isEmpty()) {
        lines << QStringLiteral("# (no files)");
        return lines.join(QLatin1Char('\n'));
    }
    if (!step.backupDir.isEmpty()) {
        lines << QStringLiteral("cd %1 && mkdir -p %2 && cp -a --parents -- %3 %2")
                     .arg(ShellQuote::quote(step.baseDir), ShellQuote::quote(step.backupDir), paths);
    }
    if (!step.checksumsFile.isEmpty()) {
        lines << (step.verifyChecksums
                      ? QStringLiteral("# every copy checked against the SHA-256 in %1")
                      : QStringLiteral("# SHA-256 of every copy recorded in %1"))
                         .arg(ShellQuote::quote(step.checksumsFile));
    }
    if (step.remove)
        lines << QStringLiteral("cd %1 && rm -rf -- %2").arg(ShellQuote::quote(step.baseDir), paths);
    return lines.join(QLatin1Char('\n'));
}

QString PlanRenderer::renderWait(const WaitStep &step)
{
    return QStringLiteral("# wait up to %1 s until PostgreSQL accepts connections\n"
                          "pg_isready -h %2 -p %3 -d %4 -U %5")
        .arg(QString::number((step.timeoutMs + 999) / 1000), ShellQuote::quote(step.db.host),
             QString::number(step.db.port), ShellQuote::quote(step.db.name),
             ShellQuote::quote(step.db.user));
}

QString PlanRenderer::renderCall(const CallStep &step)
{
    return QStringLiteral("# (MigrationDesk) ") + (step.detail.isEmpty() ? step.description : step.detail);
}

QString PlanRenderer::renderStep(const PlanStep &step, const QStringList &secrets)
{
    QString text;
    if (const auto *p = std::get_if<ProcessStep>(&step))
        text = renderProcess(*p);
    else if (const auto *s = std::get_if<SqlStep>(&step))
        text = renderSql(*s);
    else if (const auto *f = std::get_if<FileStep>(&step))
        text = renderFiles(*f);
    else if (const auto *w = std::get_if<WaitStep>(&step))
        text = renderWait(*w);
    else if (const auto *c = std::get_if<CallStep>(&step))
        text = renderCall(*c);
    return SecretMasker(secrets).apply(text);
}

QString PlanRenderer::render(const Plan &plan)
{
    QStringList blocks;
    QString head = QStringLiteral("# ") + plan.title;
    if (plan.destructive)
        head += QStringLiteral(" (destructive)");
    blocks << head;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStep &step = plan.steps.at(i);
        blocks << QStringLiteral("# %1. %2").arg(QString::number(i + 1), stepDescription(step))
                + QLatin1Char('\n') + renderStep(step, plan.secrets);
    }
    return SecretMasker(plan.secrets).apply(blocks.join(QLatin1Char('\n'))) + QLatin1Char('\n');
}
