#include "status/statussnapshot.h"

#include <algorithm>

std::array<int, int(MigrationState::StateCount)> StatusSnapshot::counts() const
{
    std::array<int, int(MigrationState::StateCount)> result{};
    for (const MigrationRow &row : rows)
        ++result[int(row.state)];
    return result;
}

bool StatusSnapshot::allApplied() const
{
    return allApplied(counts());
}

bool StatusSnapshot::allApplied(const std::array<int, int(MigrationState::StateCount)> &c)
{
    return c[int(MigrationState::Pending)] == 0 && c[int(MigrationState::Orphan)] == 0
        && c[int(MigrationState::Inconsistent)] == 0;
}

qsizetype StatusSnapshot::find(const QString &app, const QString &name) const
{
    const auto it = std::lower_bound(rows.cbegin(), rows.cend(), 0, [&](const MigrationRow &r, int) {
        const int byApp = r.app.compare(app);
        return byApp != 0 ? byApp < 0 : r.name.compare(name) < 0;
    });
    if (it == rows.cend() || it->app != app || it->name != name)
        return -1;
    return it - rows.cbegin();
}

qsizetype StatusSnapshot::find(const QString &key) const
{
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    return dot <= 0 ? -1 : find(key.left(dot), key.mid(dot + 1));
}

bool StatusSnapshot::isApplied(const QString &key) const
{
    const qsizetype i = find(key);
    if (i >= 0 && rows.at(i).recordId != 0)
        return true;
    const auto squash = replacements.constFind(key);
    if (squash != replacements.cend() && !squash->isEmpty()) {
        const bool all = std::all_of(squash->cbegin(), squash->cend(), [this](const QString &k) {
            const qsizetype j = find(k);
            return j >= 0 && rows.at(j).recordId != 0;
        });
        if (all)
            return true;
    }
    for (auto it = replacements.cbegin(); it != replacements.cend(); ++it) {
        if (it->contains(key)) {
            const qsizetype j = find(it.key());
            if (j >= 0 && rows.at(j).recordId != 0)
                return true;
        }
    }
    return false;
}

bool StatusSnapshot::hasApp(const QString &app) const
{
    const auto it = std::lower_bound(rows.cbegin(), rows.cend(), 0,
                                     [&](const MigrationRow &r, int) { return r.app.compare(app) < 0; });
    return it != rows.cend() && it->app == app;
}

StatusSnapshot::Dependency StatusSnapshot::dependencyState(const QString &key) const
{
    if (isApplied(key))
        return Dependency::Applied;
    if (find(key) >= 0)
        return Dependency::NotApplied; // a file without a row
    const QString app = key.section(QLatin1Char('.'), 0, 0);
    if (projectApps.contains(app))
        return Dependency::Missing;
    // A migrated app outside the project (auth, a package): its rows say what was applied.
    return hasApp(app) ? Dependency::NotApplied : Dependency::Unknown;
}

QStringList StatusSnapshot::unappliedDependencies(const MigrationRow &row) const
{
    QStringList result;
    for (const QString &dep : row.dependencies) {
        if (dependencyState(dep) == Dependency::NotApplied)
            result << dep;
    }
    return result;
}

QStringList StatusSnapshot::laterDependencies(const MigrationRow &row) const
{
    QStringList result;
    if (!row.applied.isValid())
        return result;
    for (const QString &dep : row.dependencies) {
        const qsizetype i = find(dep);
        if (i >= 0 && rows.at(i).applied.isValid() && rows.at(i).applied > row.applied)
            result << dep;
    }
    return result;
}
