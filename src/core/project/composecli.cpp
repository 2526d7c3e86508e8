#include "project/composecli.h"

#include "platform/childprocess.h"

#include <QMutex>
#include <QProcessEnvironment>

#include <optional>

namespace {

QMutex detectMutex;
std::optional<ComposeVariant> detectedVariant;
bool detectedOk = false;

bool answers(const QString &program, const QStringList &args)
{
    return ChildProcess::runTool(program, args, QString(), QProcessEnvironment::systemEnvironment(), 15000).exitCode == 0;
}

} // namespace

ComposeVariant ComposeCli::detect(bool *ok)
{
    QMutexLocker lock(&detectMutex);
    if (!detectedVariant) {
        if (answers(QStringLiteral("docker"), {QStringLiteral("compose"), QStringLiteral("version")})) {
            detectedVariant = ComposeVariant::Plugin;
            detectedOk = true;
        } else if (answers(QStringLiteral("docker-compose"), {QStringLiteral("version")})) {
            detectedVariant = ComposeVariant::Standalone;
            detectedOk = true;
        } else {
            detectedVariant = ComposeVariant::Plugin;
            detectedOk = false;
        }
    }
    if (ok)
        *ok = detectedOk;
    return *detectedVariant;
}

void ComposeCli::setDetected(ComposeVariant variant)
{
    QMutexLocker lock(&detectMutex);
    detectedVariant = variant;
    detectedOk = true;
}

void ComposeCli::reset()
{
    QMutexLocker lock(&detectMutex);
    detectedVariant.reset();
    detectedOk = false;
}

QStringList ComposeCli::command(ComposeVariant variant)
{
    if (variant == ComposeVariant::Standalone)
        return {QStringLiteral("docker-compose")};
    return {QStringLiteral("docker"), QStringLiteral("compose")};
}

QString ComposeCli::variantName(ComposeVariant variant)
{
    return command(variant).join(QLatin1Char(' '));
}
