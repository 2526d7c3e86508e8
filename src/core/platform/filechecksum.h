#pragma once

#include <QByteArray>
#include <QString>

namespace FileChecksum {
// Lower-case hex SHA-256 of a file's content; empty (with error) when it cannot be read.
QByteArray sha256(const QString &path, QString *error = nullptr);
}
