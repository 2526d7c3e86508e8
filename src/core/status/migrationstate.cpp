#include "status/migrationstate.h"

QString migrationStateName(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied: return QStringLiteral("Applied");
    case MigrationState::Pending: return QStringLiteral("Pending");
    case MigrationState::Orphan: return QStringLiteral("Orphan");
    case MigrationState::External: return QStringLiteral("External");
    case MigrationState::Inconsistent: return QStringLiteral("Inconsistent");
    case MigrationState::StateCount: break;
    }
    return {};
}

bool migrationStateFromName(const QString &name, MigrationState *state)
{
    for (int i = 0; i < int(MigrationState::StateCount); ++i) {
        if (migrationStateName(MigrationState(i)).compare(name, Qt::CaseInsensitive) == 0) {
            *state = MigrationState(i);
            return true;
        }
    }
    return false;
}

MigrationState stateOfRowWithoutFile(bool projectApp, DjangoKnows knows)
{
    // Known to Django without a file here: replaced by a squash it still loads.
    return projectApp && knows != DjangoKnows::Yes ? MigrationState::Orphan : MigrationState::External;
}
