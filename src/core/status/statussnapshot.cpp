#include "status/statussnapshot.h"

std::array<int, int(MigrationState::StateCount)> StatusSnapshot::counts() const
{
    std::array<int, int(MigrationState::StateCount)> result{};
    for (const MigrationRow &row : rows)
        ++result[int(row.state)];
    return result;
}

bool StatusSnapshot::allApplied() const
{
    const auto c = counts();
    return c[int(MigrationState::Pending)] == 0 && c[int(MigrationState::Orphan)] == 0
        && c[int(MigrationState::Inconsistent)] == 0;
}
