#include "platform/filechecksum.h"

#include <QCryptographicHash>
#include <QFile>

QByteArray FileChecksum::sha256(const QString &path, QString *error)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return QByteArray();
    }
    return hash.result().toHex();
}
