#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// One row of django_migrations.
struct MigrationRecord
{
    qint64 id = 0;
    QString app;
    QString name;
    QDateTime applied;
};
