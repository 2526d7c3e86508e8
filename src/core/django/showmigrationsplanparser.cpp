#include "django/showmigrationsplanparser.h"

#include <QRegularExpression>

ShowMigrationsPlan ShowMigrationsPlanParser::parse(const QString &output)
{
    static const QRegularExpression ansi(QStringLiteral("\x1b\\[[0-9;]*[A-Za-z]"));
    // "[X]  app.name" then optionally " ... (dep, dep)"; app labels hold no dot.
    static const QRegularExpression line(
        QStringLiteral("^\\[([ Xx])\\]\\s+([A-Za-z_][A-Za-z0-9_]*)\\.([^\\s.]+)(?:\\s+\\.\\.\\.\\s+\\((.*)\\))?$"));
    static const QRegularExpression depSeparator(QStringLiteral(",\\s*"));

    ShowMigrationsPlan plan;
    QString text = output;
    if (text.contains(QChar(0x1b)))
        text.remove(ansi);
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString trimmed = raw.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed == QLatin1String("(no migrations)")) {
            plan.noMigrations = true;
            continue;
        }
        const QRegularExpressionMatch m = line.match(trimmed);
        if (!m.hasMatch()) {
            plan.unparsedLines << trimmed;
            continue;
        }
        MigrationNode node;
        node.applied = m.capturedView(1) != QLatin1String(" ");
        node.app = m.captured(2);
        node.name = m.captured(3);
        const QString deps = m.captured(4).trimmed();
        bool depsOk = true;
        if (!deps.isEmpty()) {
            for (const QString &dep : deps.split(depSeparator, Qt::SkipEmptyParts)) {
                if (!MigrationGraph::splitKey(dep.trimmed(), nullptr, nullptr)) {
                    depsOk = false;
                    break;
                }
                node.dependencies << dep.trimmed();
            }
        }
        if (!depsOk || !plan.graph.addNode(node))
            plan.unparsedLines << trimmed; // malformed dependency list or a repeated node
    }
    return plan;
}
