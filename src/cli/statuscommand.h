#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

struct ProjectConfig;
struct StatusSnapshot;
class QJsonObject;

// `migrationdesk status --project DIR [--json]`: the reconciled snapshot without a window.
// Exit code 0 when every migration is applied, 1 when something is Pending/Orphan, 2 on error.
// With --json, errors are the JSON error object on stdout (docs/json-schema.md).
int runStatusCommand(const QStringList &arguments);
QList<QCommandLineOption> statusCommandOptions();

// The snapshot as the JSON the status command prints (project settings without the password).
QJsonObject statusToJson(const ProjectConfig &config, const StatusSnapshot &snapshot);
