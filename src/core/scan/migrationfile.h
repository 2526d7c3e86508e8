#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// What a migration module declares about its place in the graph (MigrationFileParser reads it
// from the text). Keys are "app.name" as written: "__first__" / "__latest__" not yet resolved.
struct MigrationDeclaration
{
    bool parsed = false;      // the file was read (readable or not); false: not parsed at all
    bool readable = false;    // a Migration class was found and its four fields understood
    bool initial = false;
    QStringList dependencies;
    QStringList replaces;
    QStringList runBefore;
    QString problem;          // why it is not readable: "line 12: dependencies is not a literal"
};

// A migration module found on disk: <backend>/<app>/migrations/NNNN_name.py
struct MigrationFile
{
    QString app;          // app label (the folder name)
    QString name;         // module name without .py, e.g. "0001_initial"
    QString relativePath; // relative to the project root
    MigrationDeclaration declaration; // filled by MigrationFileParser::readAll, not by the scanner
};

struct MigrationFileScan
{
    QList<MigrationFile> files; // sorted by app, then name
    QStringList apps;           // every app folder that has a migrations package
    QStringList problems;       // e.g. a folder that could not be read
};
