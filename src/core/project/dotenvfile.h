#pragma once

#include "project/variableinterpolator.h"

#include <QHash>
#include <QString>
#include <QStringList>

// A .env file read with docker compose's rules: comments, `export `, single quotes (literal),
// double quotes (escapes, interpolation, may span lines), unquoted values (inline ` #` comments,
// interpolation), CRLF line ends, `=` inside values, empty values.
class DotEnvFile
{
public:
    static DotEnvFile parse(const QString &text);
    static DotEnvFile load(const QString &path, QString *error = nullptr);

    bool contains(const QString &key) const { return m_values.contains(key); }
    QString value(const QString &key, const QString &fallback = QString()) const
    {
        return m_values.value(key, fallback);
    }
    const QHash<QString, QString> &values() const { return m_values; }
    QStringList keys() const { return m_order; }   // in file order
    QStringList problems() const { return m_problems; } // lines that could not be read

    // How docker compose resolves ${VAR} in a compose file: the shell environment first, then
    // this .env.
    VariableInterpolator composeInterpolator() const;

private:
    QHash<QString, QString> m_values;
    QStringList m_order;
    QStringList m_problems;
};
