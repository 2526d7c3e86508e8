#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

// What a caller (GUI form, CLI flags) adds to the project config when it builds a plan.
struct PlanOptions
{
    QHash<QString, QString> values; // per-operation choices (keys in operations/guideoptions.h)
    QString superuserPassword;      // secret: environment only, masked everywhere
    QDateTime now;                  // names backups; invalid: the current time

    bool flag(const QString &key) const { return values.value(key) == QLatin1String("1"); }
};
