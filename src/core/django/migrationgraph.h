#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// One migration as Django's loader sees it (after squash replacement).
struct MigrationNode
{
    QString app;
    QString name;
    bool applied = false;
    QStringList dependencies; // "app.name" keys of its parents, sorted as Django prints them

    QString key() const { return app + QLatin1Char('.') + name; }
};

// Django's migration graph as `showmigrations --plan -v 2` reports it: nodes in plan order,
// dependency edges, applied flags. Squashed migrations appear once under their own name (or,
// when only partly applied, as the migrations they replace); setReplacements() tells the graph
// which names a squash stands for, read from the files on disk.
class MigrationGraph
{
public:
    static QString makeKey(const QString &app, const QString &name) { return app + QLatin1Char('.') + name; }
    // Splits "app.name" at the first dot (app labels and module names hold no dot).
    static bool splitKey(const QString &key, QString *app, QString *name);

    // Adds a node; a second node with the same key is ignored (returns false).
    bool addNode(const MigrationNode &node);

    const QList<MigrationNode> &nodes() const { return m_nodes; } // plan order
    const MigrationNode *node(const QString &key) const;
    bool contains(const QString &key) const { return m_index.contains(key); }
    bool isEmpty() const { return m_nodes.isEmpty(); }
    int size() const { return int(m_nodes.size()); }
    int planIndex(const QString &key) const { return m_index.value(key, -1); }

    QStringList apps() const; // sorted
    QStringList children(const QString &key) const;
    // Nodes of app with no child in the same app, sorted (Django's leaf_nodes(app)).
    QStringList leaves(const QString &app) const;
    // Apps with more than one leaf (Django's detect_conflicts) → their sorted leaves.
    QHash<QString, QStringList> conflicts() const;
    // Every (dependent, dependency) with the dependent applied and the dependency not, in
    // plan order of the dependent: what makes Django raise InconsistentMigrationHistory.
    QList<QPair<QString, QString>> inconsistentPairs() const;
    // Dependencies named by some node but absent from the graph.
    QStringList missingDependencies() const;

    // squash key → keys it replaces (from the squash's `replaces`).
    void setReplacements(const QHash<QString, QStringList> &replacements);
    // The squash in this graph that stands for key, empty when none.
    QString replacedBy(const QString &key) const;
    // In the graph, or replaced by a squash that is: Django knows this migration.
    bool knows(const QString &key) const { return contains(key) || !replacedBy(key).isEmpty(); }

private:
    QList<MigrationNode> m_nodes;
    QHash<QString, int> m_index;
    QHash<QString, QStringList> m_children;
    QHash<QString, QString> m_replacedBy;
};
