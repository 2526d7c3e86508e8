#include "project/composeresolver.h"

#include "platform/childprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace {

constexpr int kTimeoutMs = 20000;

} // namespace

namespace {

QByteArray outputOf(const QString &program, const QStringList &args, const QString &workDir,
                    const QProcessEnvironment &environment)
{
    const ChildProcess::ToolRun run = ChildProcess::runTool(program, args, workDir, environment, kTimeoutMs);
    return run.exitCode == 0 ? run.out : QByteArray();
}

} // namespace

QString ComposeResolver::serviceAddress(const QString &root, const QString &composeFile, ComposeVariant variant,
                                        const QString &service, const QProcessEnvironment &environment)
{
    const QStringList command = ComposeCli::command(variant);
    QStringList args = command.mid(1);
    if (!composeFile.isEmpty())
        args << QStringLiteral("-f") << composeFile;
    args << QStringLiteral("ps") << QStringLiteral("-q") << service;
    const QString id = QString::fromUtf8(outputOf(command.constFirst(), args, root, environment)).section(QLatin1Char('\n'), 0, 0).trimmed();
    if (id.isEmpty())
        return QString();
    const QString addresses = QString::fromUtf8(outputOf(
        QStringLiteral("docker"),
        {QStringLiteral("inspect"), QStringLiteral("--format"),
         QStringLiteral("{{if .State.Running}}{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}{{end}}"), id},
        root, environment));
    return addresses.split(QLatin1Char(' '), Qt::SkipEmptyParts).value(0);
}

QString ComposeResolver::normalisedProjectName(const QString &folderName)
{
    QString name = folderName.toLower();
    name.remove(QRegularExpression(QStringLiteral("[^a-z0-9_-]")));
    while (name.startsWith(QLatin1Char('_')) || name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    return name;
}

ComposeResolution ComposeResolver::resolve(const QString &root, const QString &composeFile, ComposeVariant variant,
                                           const QString &dotEnvProjectName, const QProcessEnvironment &environment)
{
    ComposeResolution result;
    const QStringList command = ComposeCli::command(variant);
    result.resolvedBy = ComposeCli::variantName(variant) + QStringLiteral(" config");
    QStringList args = command.mid(1);
    if (!composeFile.isEmpty())
        args << QStringLiteral("-f") << composeFile;
    args << QStringLiteral("config");
    if (variant == ComposeVariant::Plugin)
        args << QStringLiteral("--format") << QStringLiteral("json");

    // Compose needs the user's environment (interpolation, COMPOSE_*), not our secrets: runTool
    // strips them. The model holds the project's secrets (every service's environment): it is
    // parsed in memory and never shown; only compose's own error text is.
    const ChildProcess::ToolRun run = ChildProcess::runTool(command.constFirst(), args, root, environment, kTimeoutMs);
    if (!run.started) {
        result.error = QStringLiteral("%1 is not installed or cannot start").arg(command.constFirst());
        return result;
    }
    if (run.exitCode != 0) {
        result.error = QStringLiteral("%1 failed: %2").arg(result.resolvedBy, run.err.isEmpty() ? QStringLiteral("exit code %1").arg(run.exitCode)
                                                                                              : run.err.section(QLatin1Char('\n'), -3));
        return result;
    }
    const QByteArray &out = run.out;
    QString parseError;
    result.model = ComposeFile::fromResolved(out, result.resolvedBy, &parseError);
    if (!parseError.isEmpty()) {
        result.error = parseError;
        return result;
    }
    result.projectName = result.model.projectName();
    if (result.projectName.isEmpty()) {
        // v1 prints no name: COMPOSE_PROJECT_NAME (environment, then .env), else the folder of
        // the first compose file, normalised.
        QString name = environment.value(QStringLiteral("COMPOSE_PROJECT_NAME"));
        if (name.isEmpty())
            name = dotEnvProjectName;
        if (name.isEmpty())
            name = composeFile.isEmpty() ? QFileInfo(root).fileName() : QFileInfo(composeFile).absoluteDir().dirName();
        result.projectName = normalisedProjectName(name);
    }
    result.ok = true;
    return result;
}
