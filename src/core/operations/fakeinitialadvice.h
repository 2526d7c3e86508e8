#pragma once

#include "operations/operation.h"

#include <QString>
#include <QStringList>

// Apply migrations on a database where an app's tables exist but no migration of it is recorded:
// its initial migration would fail with "relation already exists", and --fake-initial records it
// instead. The GUI's preview ticks the flag for the user, the CLI says so before it runs; both
// decide with this.
namespace FakeInitialAdvice {

// A whole-project migrate without the flag: worth reading Fact::Tables for.
bool considered(const QString &operation, const OperationOptions &options);
// considered(), and the facts (read with Fact::Tables) found tables of unmigrated apps.
bool applies(const QString &operation, const OperationOptions &options);

// The tables to name: the first `shown`, and how many more there are.
struct NamedTables
{
    QStringList shown;
    int more = 0;
};
NamedTables namedTables(const GuideFacts &facts, int shown = 6);

} // namespace FakeInitialAdvice
