#include "engine/operationlog.h"

#include "console/secretmasker.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace {

QString userName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) {
        if (const passwd *pw = ::getpwuid(::geteuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
    return user;
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QString OperationLog::pathForProject(const QString &projectRoot)
{
    QString base = qEnvironmentVariable("MIGRATIONDESK_STATE_DIR");
    if (base.isEmpty())
        base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QString root = QFileInfo(projectRoot).canonicalFilePath();
    if (root.isEmpty())
        root = QDir::cleanPath(QFileInfo(projectRoot).absoluteFilePath());
    const QByteArray hash = QCryptographicHash::hash(root.toUtf8(), QCryptographicHash::Sha1).toHex();
    return base + QStringLiteral("/projects/") + QString::fromLatin1(hash)
        + QStringLiteral("/operations.jsonl");
}

bool OperationLog::append(const QString &path, const Plan &plan, const RunResult &result,
                          QString *error)
{
    const SecretMasker masker(plan.secrets);
    QJsonArray steps;
    for (const StepRecord &s : result.steps) {
        steps.append(QJsonObject{
            {QStringLiteral("index"), s.index},
            {QStringLiteral("command"), masker.apply(s.command)},
            {QStringLiteral("exitCode"), s.exitCode},
            {QStringLiteral("start"), isoTime(s.started)},
            {QStringLiteral("end"), isoTime(s.finished)},
        });
    }
    const QJsonObject line{
        {QStringLiteral("plan"), plan.id},
        {QStringLiteral("title"), masker.apply(plan.title)},
        {QStringLiteral("project"), plan.projectRoot},
        {QStringLiteral("destructive"), plan.destructive},
        {QStringLiteral("start"), isoTime(result.started)},
        {QStringLiteral("end"), isoTime(result.finished)},
        {QStringLiteral("success"), result.success},
        {QStringLiteral("cancelled"), result.cancelled},
        {QStringLiteral("timedOut"), result.timedOut},
        {QStringLiteral("exitCode"), result.exitCode},
        {QStringLiteral("failedStep"), result.failedStep},
        {QStringLiteral("message"), masker.apply(result.message)},
        {QStringLiteral("errorTail"), masker.apply(result.errorTail)},
        {QStringLiteral("steps"), steps},
        {QStringLiteral("user"), userName()},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
    };
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder of %1").arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    if (file.write(bytes) != bytes.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
