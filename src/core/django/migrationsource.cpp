#include "django/migrationsource.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace {

QString quoted(const QString &text, const QRegularExpression &re)
{
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

void readKeyTuples(const QString &list, QStringList *keys)
{
    static const QRegularExpression tuple(
        QStringLiteral("\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)"));
    auto it = tuple.globalMatch(list);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        keys->append(m.captured(1) + QLatin1Char('.') + m.captured(2));
    }
}

} // namespace

MigrationSource MigrationSourceReader::parse(const QString &app, const QString &name, const QString &text,
                                             QHash<QString, QString> *tableOfModel)
{
    static const QRegularExpression initialRe(QStringLiteral("^\\s*initial\\s*=\\s*True\\b"),
                                              QRegularExpression::MultilineOption);
    static const QRegularExpression replacesRe(QStringLiteral("^\\s*replaces\\s*=\\s*\\[(.*?)\\]"),
                                               QRegularExpression::MultilineOption
                                                   | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression depsRe(QStringLiteral("^\\s*dependencies\\s*=\\s*\\[(.*?)\\]\\s*$"),
                                           QRegularExpression::MultilineOption
                                               | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression opRe(QStringLiteral("\\bmigrations\\.([A-Z][A-Za-z]*)\\s*\\("));
    static const QRegularExpression nameRe(QStringLiteral("(?<![\\w])name\\s*=\\s*['\"](\\w+)['\"]"));
    static const QRegularExpression modelNameRe(QStringLiteral("\\bmodel_name\\s*=\\s*['\"](\\w+)['\"]"));
    static const QRegularExpression dbTableRe(QStringLiteral("['\"]db_table['\"]\\s*:\\s*['\"]([^'\"]+)['\"]"));
    static const QRegularExpression fieldTypeRe(QStringLiteral("\\bfield\\s*=\\s*(?:[\\w.]+\\.)?(\\w+)\\s*\\("));
    static const QRegularExpression dbColumnRe(QStringLiteral("\\bdb_column\\s*=\\s*['\"](\\w+)['\"]"));

    MigrationSource source;
    source.app = app;
    source.name = name;
    source.initial = initialRe.match(text).hasMatch();
    readKeyTuples(quoted(text, replacesRe), &source.replaces);
    readKeyTuples(quoted(text, depsRe), &source.dependencies);

    QHash<QString, QString> localTables;
    QHash<QString, QString> &tables = tableOfModel ? *tableOfModel : localTables;
    auto tableOf = [&](const QString &model) {
        const QString lower = model.toLower();
        return tables.value(app + QLatin1Char('.') + lower, app + QLatin1Char('_') + lower);
    };

    // Each operation's text runs to the next "migrations.X(": good enough for generated files.
    QList<QRegularExpressionMatch> ops;
    auto it = opRe.globalMatch(text);
    while (it.hasNext())
        ops << it.next();
    for (int i = 0; i < ops.size(); ++i) {
        const qsizetype begin = ops[i].capturedEnd(0);
        const qsizetype end = i + 1 < ops.size() ? ops[i + 1].capturedStart(0) : text.size();
        const QString body = text.mid(begin, end - begin);
        const QString op = ops[i].captured(1);
        if (op == QLatin1String("Migration"))
            continue; // the class statement "class Migration(migrations.Migration):"
        if (op == QLatin1String("CreateModel")) {
            const QString model = quoted(body, nameRe);
            if (model.isEmpty())
                continue;
            QString table = quoted(body, dbTableRe);
            if (table.isEmpty())
                table = app + QLatin1Char('_') + model.toLower();
            tables.insert(app + QLatin1Char('.') + model.toLower(), table);
            source.createdTables << table;
        } else if (op == QLatin1String("AddField")) {
            const QString model = quoted(body, modelNameRe);
            const QString field = quoted(body, nameRe);
            const QString type = quoted(body, fieldTypeRe);
            if (model.isEmpty() || field.isEmpty() || type == QLatin1String("ManyToManyField"))
                continue;
            QString column = quoted(body, dbColumnRe);
            if (column.isEmpty()) {
                const bool relation = type == QLatin1String("ForeignKey") || type == QLatin1String("OneToOneField");
                column = relation ? field + QStringLiteral("_id") : field;
            }
            source.addedColumns.append({tableOf(model), column});
        } else if (!source.otherOperations.contains(op)) {
            source.otherOperations << op;
        }
    }
    return source;
}

MigrationSource MigrationSourceReader::read(const QString &app, const QString &name, const QString &path,
                                            QHash<QString, QString> *tableOfModel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        MigrationSource source;
        source.app = app;
        source.name = name;
        return source;
    }
    return parse(app, name, QString::fromUtf8(file.readAll()), tableOfModel);
}

QList<MigrationSource> MigrationSourceReader::readScan(const QString &projectRoot, const MigrationFileScan &scan)
{
    QList<MigrationSource> sources;
    sources.reserve(scan.files.size());
    QHash<QString, QString> tableOfModel;
    const QDir root(projectRoot);
    for (const MigrationFile &f : scan.files)
        sources << read(f.app, f.name, root.absoluteFilePath(f.relativePath), &tableOfModel);
    return sources;
}
