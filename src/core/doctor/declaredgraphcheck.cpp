#include "doctor/declaredgraphcheck.h"

#include <QSet>

#include <algorithm>

QStringList DeclaredGraphCheck::compare(const StatusSnapshot &snapshot, const MigrationGraph &graph)
{
    QStringList disagreements;
    QSet<QString> unreadable;
    for (const QString &entry : snapshot.unreadableFiles) {
        const QString path = entry.section(QStringLiteral(": "), 0, 0);
        unreadable.insert(path);
        disagreements << QStringLiteral("%1 could not be read by MigrationDesk's reader; Django's graph is used for it").arg(entry);
    }
    // Django points an edge to a replaced migration at its squash: compare in Django's terms.
    auto inDjangoTerms = [&graph](const QString &key) {
        const QString squash = graph.contains(key) ? QString() : graph.replacedBy(key);
        return squash.isEmpty() ? key : squash;
    };
    for (const MigrationRow &row : snapshot.rows) {
        if (row.file.isEmpty() || unreadable.contains(row.file))
            continue;
        const MigrationNode *node = graph.node(row.key());
        if (!node) {
            if (!graph.knows(row.key()))
                disagreements << QStringLiteral("%1 has a file (%2) but is not in Django's graph (not an installed app?)")
                                     .arg(row.key(), row.file);
            continue;
        }
        QSet<QString> declared;
        for (const QString &d : row.dependencies)
            declared.insert(inDjangoTerms(d));
        declared.remove(row.key());
        const QSet<QString> django(node->dependencies.cbegin(), node->dependencies.cend());
        QStringList onlyFile(declared.cbegin(), declared.cend()), onlyDjango;
        onlyFile.erase(std::remove_if(onlyFile.begin(), onlyFile.end(), [&](const QString &k) { return django.contains(k); }),
                       onlyFile.end());
        for (const QString &k : node->dependencies) {
            // An app with neither rows nor files here: the file's __first__ had nothing to name.
            if (!declared.contains(k) && snapshot.hasApp(k.section(QLatin1Char('.'), 0, 0)))
                onlyDjango << k;
        }
        onlyFile.sort();
        if (!onlyFile.isEmpty())
            disagreements << QStringLiteral("%1: the file declares %2, Django's graph does not").arg(row.key(), onlyFile.join(QStringLiteral(", ")));
        if (!onlyDjango.isEmpty())
            disagreements << QStringLiteral("%1: Django's graph has %2, which the file does not declare").arg(row.key(), onlyDjango.join(QStringLiteral(", ")));
    }
    return disagreements;
}
