#include "scan/migrationfilescanner.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace {

const QStringList kSkipped = {QStringLiteral("venv"), QStringLiteral(".venv"), QStringLiteral("env"),
                              QStringLiteral("node_modules"), QStringLiteral("site-packages"),
                              QStringLiteral("__pycache__"), QStringLiteral("static"),
                              QStringLiteral("media"), QStringLiteral("templates")};

void scanApp(const QDir &root, const QDir &appDir, MigrationFileScan *out)
{
    const QDir migrations(appDir.filePath(QStringLiteral("migrations")));
    const QFileInfo info(migrations.path());
    if (!info.isDir())
        return;
    const QString app = appDir.dirName();
    if (!info.isReadable() || !info.isExecutable()) {
        out->problems << QStringLiteral("Permission denied: cannot read %1").arg(migrations.path());
        return;
    }
    out->apps << app;
    const QStringList files = migrations.entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        if (!MigrationFileScanner::isMigrationModule(file))
            continue;
        out->files.append({app, file.chopped(3), root.relativeFilePath(migrations.filePath(file)), {}});
    }
}

} // namespace

bool MigrationFileScanner::isMigrationModule(const QString &fileName)
{
    return fileName.endsWith(QLatin1String(".py")) && !fileName.startsWith(QLatin1Char('_'))
        && !fileName.startsWith(QLatin1Char('~'));
}

MigrationFileScan MigrationFileScanner::scan(const QString &projectRoot, const QString &backendDir)
{
    MigrationFileScan result;
    const QDir root(projectRoot);
    const QDir backend(backendDir);
    const QFileInfo backendInfo(backendDir);
    if (!backendInfo.isDir() || !backendInfo.isReadable()) {
        result.problems << QStringLiteral("Permission denied or missing: cannot read %1").arg(backendDir);
        return result;
    }
    const QStringList level1 = backend.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : level1) {
        if (kSkipped.contains(name) || name.startsWith(QLatin1Char('.')))
            continue;
        const QDir appDir(backend.filePath(name));
        if (QFileInfo(appDir.filePath(QStringLiteral("migrations"))).isDir()) {
            scanApp(root, appDir, &result);
            continue;
        }
        // Apps grouped in a package (backend/apps/<app>/migrations).
        if (!QFileInfo::exists(appDir.filePath(QStringLiteral("__init__.py"))))
            continue;
        for (const QString &sub : appDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            if (!kSkipped.contains(sub))
                scanApp(root, QDir(appDir.filePath(sub)), &result);
        }
    }
    std::sort(result.files.begin(), result.files.end(), [](const MigrationFile &a, const MigrationFile &b) {
        return a.app != b.app ? a.app < b.app : a.name < b.name;
    });
    result.apps.sort();
    result.apps.removeDuplicates();
    return result;
}
