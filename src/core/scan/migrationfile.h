#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// A migration module found on disk: <backend>/<app>/migrations/NNNN_name.py
struct MigrationFile
{
    QString app;          // app label (the folder name)
    QString name;         // module name without .py, e.g. "0001_initial"
    QString relativePath; // relative to the project root
};

struct MigrationFileScan
{
    QList<MigrationFile> files; // sorted by app, then name
    QStringList apps;           // every app folder that has a migrations package
    QStringList problems;       // e.g. a folder that could not be read
};
