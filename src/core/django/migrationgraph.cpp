#include "django/migrationgraph.h"

#include <QSet>

#include <algorithm>

bool MigrationGraph::splitKey(const QString &key, QString *app, QString *name)
{
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    if (dot <= 0 || dot == key.size() - 1)
        return false;
    if (app)
        *app = key.left(dot);
    if (name)
        *name = key.mid(dot + 1);
    return true;
}

bool MigrationGraph::addNode(const MigrationNode &node)
{
    const QString key = node.key();
    if (m_index.contains(key))
        return false;
    m_index.insert(key, int(m_nodes.size()));
    m_nodes.append(node);
    for (const QString &dep : node.dependencies)
        m_children[dep].append(key);
    return true;
}

const MigrationNode *MigrationGraph::node(const QString &key) const
{
    const int i = m_index.value(key, -1);
    return i < 0 ? nullptr : &m_nodes.at(i);
}

QStringList MigrationGraph::apps() const
{
    QSet<QString> apps;
    for (const MigrationNode &n : m_nodes)
        apps.insert(n.app);
    QStringList list(apps.cbegin(), apps.cend());
    list.sort();
    return list;
}

QStringList MigrationGraph::children(const QString &key) const
{
    return m_children.value(key);
}

QStringList MigrationGraph::leaves(const QString &app) const
{
    QStringList result;
    for (const MigrationNode &n : m_nodes) {
        if (n.app != app)
            continue;
        const QStringList kids = m_children.value(n.key());
        const bool hasChildInApp = std::any_of(kids.cbegin(), kids.cend(), [&](const QString &k) {
            return k.startsWith(app + QLatin1Char('.'));
        });
        if (!hasChildInApp)
            result << n.key();
    }
    result.sort();
    return result;
}

QHash<QString, QStringList> MigrationGraph::conflicts() const
{
    QHash<QString, QStringList> result;
    for (const QString &app : apps()) {
        const QStringList l = leaves(app);
        if (l.size() > 1)
            result.insert(app, l);
    }
    return result;
}

QList<QPair<QString, QString>> MigrationGraph::inconsistentPairs() const
{
    QList<QPair<QString, QString>> pairs;
    for (const MigrationNode &n : m_nodes) {
        if (!n.applied)
            continue;
        for (const QString &dep : n.dependencies) {
            const MigrationNode *parent = node(dep);
            if (parent && !parent->applied)
                pairs.append({n.key(), dep});
        }
    }
    return pairs;
}

QStringList MigrationGraph::missingDependencies() const
{
    QStringList missing;
    for (const MigrationNode &n : m_nodes) {
        for (const QString &dep : n.dependencies) {
            if (!contains(dep) && !missing.contains(dep))
                missing << dep;
        }
    }
    return missing;
}

void MigrationGraph::setReplacements(const QHash<QString, QStringList> &replacements)
{
    m_replacedBy.clear();
    for (auto it = replacements.cbegin(); it != replacements.cend(); ++it) {
        for (const QString &replaced : it.value())
            m_replacedBy.insert(replaced, it.key());
    }
}

QString MigrationGraph::replacedBy(const QString &key) const
{
    const QString squash = m_replacedBy.value(key);
    return contains(squash) ? squash : QString();
}
