#include "operations/fakeinitialadvice.h"

#include "operations/guideoptions.h"

bool FakeInitialAdvice::considered(const QString &operation, const OperationOptions &options)
{
    return operation == QLatin1String("migrate") && !options.values.contains(GuideOption::FakeInitial)
        && options.values.value(GuideOption::App).isEmpty(); // one app's migrate: the user chose what runs
}

bool FakeInitialAdvice::applies(const QString &operation, const OperationOptions &options)
{
    return considered(operation, options) && options.facts.tablesChecked
        && !options.facts.unmigratedAppTables.isEmpty();
}

FakeInitialAdvice::NamedTables FakeInitialAdvice::namedTables(const GuideFacts &facts, int shown)
{
    NamedTables named;
    named.shown = facts.unmigratedAppTables.mid(0, shown);
    named.more = int(facts.unmigratedAppTables.size() - named.shown.size());
    return named;
}
