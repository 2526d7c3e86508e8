#pragma once

#include <QString>

#include <functional>

// Docker compose's variable substitution: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?error}, ${VAR?error}, ${VAR:+alt}, ${VAR+alt} and $$ for a literal dollar.
class VariableInterpolator
{
public:
    // Returns true and the value when the variable is set (possibly to an empty string).
    using Lookup = std::function<bool(const QString &name, QString *value)>;

    explicit VariableInterpolator(Lookup lookup) : m_lookup(std::move(lookup)) {}

    // error receives the message of a ${VAR?err} whose variable is unset, or a syntax problem.
    QString expand(const QString &text, QString *error = nullptr) const;

private:
    Lookup m_lookup;
};
