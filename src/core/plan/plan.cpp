#include "plan/plan.h"

QString stepDescription(const PlanStep &step)
{
    return std::visit([](const auto &s) { return s.description; }, step);
}

void Plan::addSecret(const QString &secret)
{
    if (!secret.isEmpty() && !secrets.contains(secret))
        secrets.append(secret);
}
