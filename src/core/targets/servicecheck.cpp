#include "targets/servicecheck.h"

#include "platform/shellquote.h"
#include "platform/childprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace {

// Container questions answer in well under a second; 30 s means the engine hangs.
ChildProcess::ToolRun runCli(const QString &program, const QStringList &args, const QString &workDir,
                             const QProcessEnvironment &environment)
{
    return ChildProcess::runTool(program, args, workDir, environment, 30000);
}

// The compose program and the arguments before its subcommand ("compose", "-f", FILE).
QStringList composePrefix(const ProcessStep &step)
{
    QStringList prefix;
    for (const QString &arg : step.args) {
        if (arg == QLatin1String("exec") || arg == QLatin1String("up") || arg == QLatin1String("run"))
            break;
        prefix << arg;
    }
    return prefix;
}

QString dockerProgram(const ProcessStep &step)
{
    // v1's docker-compose sits beside docker; the plugin is `docker compose` itself.
    return QFileInfo(step.program).fileName() == QLatin1String("docker-compose") ? QStringLiteral("docker") : step.program;
}

QString canonical(const QString &path)
{
    const QString c = QFileInfo(path).canonicalFilePath();
    return c.isEmpty() ? QDir::cleanPath(path) : c;
}

} // namespace

bool ServiceCheck::needed(const Plan &plan, int fromStep)
{
    for (int i = std::max(0, fromStep); i < plan.steps.size(); ++i) {
        if (const auto *p = std::get_if<ProcessStep>(&plan.steps.at(i)); p && (!p->service.isEmpty() || !p->requiredImages.isEmpty()))
            return true;
    }
    return false;
}

QString ServiceCheck::startCommand(const ProcessStep &step)
{
    QStringList command{step.program};
    command << composePrefix(step) << QStringLiteral("up") << QStringLiteral("-d") << step.service;
    QString text = ShellQuote::join(command);
    if (!step.workingDir.isEmpty())
        text = QStringLiteral("cd %1 && %2").arg(ShellQuote::quote(step.workingDir), text);
    return text;
}

QStringList ServiceCheck::serviceProblems(const ProcessStep &step, const QProcessEnvironment &environment)
{
    if (step.service.isEmpty())
        return {};
    const ChildProcess::ToolRun ps = runCli(step.program, composePrefix(step) + QStringList{QStringLiteral("ps"), QStringLiteral("-q"), step.service},
                             step.workingDir, environment);
    if (ps.exitCode != 0) {
        return {QStringLiteral("Cannot ask compose whether the %1 service runs: %2")
                    .arg(step.service, ps.err.isEmpty() ? QStringLiteral("exit code %1").arg(ps.exitCode) : ps.err.section(QLatin1Char('\n'), -2))};
    }
    const QString id = QString::fromUtf8(ps.out).section(QLatin1Char('\n'), 0, 0).trimmed();
    const QString start = startCommand(step);
    if (id.isEmpty()) {
        return {QStringLiteral("The %1 service is not running (it has no container) — nothing was changed. Start it "
                               "first: %2").arg(step.service, start)};
    }
    const ChildProcess::ToolRun inspect = runCli(dockerProgram(step),
                                  {QStringLiteral("inspect"), QStringLiteral("--format"),
                                   QStringLiteral("{\"name\":{{json .Name}},\"running\":{{json .State.Running}},\"mounts\":{{json .Mounts}}}"), id},
                                  step.workingDir, environment);
    if (inspect.exitCode != 0)
        return {QStringLiteral("Cannot inspect the %1 container: %2").arg(step.service, inspect.err)};
    const QJsonObject info = QJsonDocument::fromJson(inspect.out.trimmed()).object();
    const QString name = info.value(QStringLiteral("name")).toString().mid(1);
    if (!info.value(QStringLiteral("running")).toBool()) {
        return {QStringLiteral("The %1 service is not running (its container %2 is stopped) — nothing was changed. "
                               "Start it first: %3").arg(step.service, name, start)};
    }
    if (step.serviceHostDir.isEmpty() || step.serviceMountPoint.isEmpty())
        return {};
    const QString expected = canonical(step.serviceHostDir);
    const QString mountPoint = QDir::cleanPath(step.serviceMountPoint);
    for (const QJsonValue &value : info.value(QStringLiteral("mounts")).toArray()) {
        const QJsonObject mount = value.toObject();
        if (QDir::cleanPath(mount.value(QStringLiteral("Destination")).toString()) != mountPoint)
            continue;
        const QString source = mount.value(QStringLiteral("Source")).toString();
        if (mount.value(QStringLiteral("Type")).toString() == QLatin1String("bind") && canonical(source) != expected) {
            return {QStringLiteral("The %1 container %2 serves %3 at %4, not this project's %5: it belongs to another "
                                   "checkout with the same compose project name. Nothing was run there — stop that "
                                   "stack (docker compose down in %3's project) or open the project it serves.")
                        .arg(step.service, name, QDir::toNativeSeparators(source), mountPoint,
                             QDir::toNativeSeparators(step.serviceHostDir))};
        }
        return {};
    }
    return {}; // code baked into the image: nothing to compare
}

QStringList ServiceCheck::imageProblems(const ProcessStep &step, const QProcessEnvironment &environment)
{
    QStringList problems;
    for (const QString &entry : step.requiredImages) {
        // "service=image" or "service=image=build": a built image can be built, a pulled one pulled.
        const QStringList parts = entry.split(QLatin1Char('='));
        const QString service = parts.value(0);
        const QString image = parts.value(1);
        const bool built = parts.value(2) == QLatin1String("build");
        const ChildProcess::ToolRun inspect = runCli(dockerProgram(step), {QStringLiteral("image"), QStringLiteral("inspect"),
                                                            QStringLiteral("--format"), QStringLiteral("{{.Id}}"), image},
                                      step.workingDir, environment);
        if (inspect.exitCode == 0)
            continue;
        QStringList fix{step.program};
        fix << composePrefix(step) << (built ? QStringLiteral("build") : QStringLiteral("pull")) << service;
        problems << QStringLiteral("The image %1 of the %2 service is not on this machine, so the stack could not "
                                   "come back up after the reset — nothing was changed. %3 it first: cd %4 && %5")
                        .arg(image, service, built ? QStringLiteral("Build") : QStringLiteral("Pull"),
                             ShellQuote::quote(step.workingDir), ShellQuote::join(fix));
    }
    return problems;
}
