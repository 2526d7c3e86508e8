#include "doctor/finding.h"

#include "doctor/doctorrule.h"

#include "plan/planrenderer.h"

#include <QJsonArray>

QString findingKindName(FindingKind kind)
{
    const DoctorRule *rule = DoctorRules::find(kind);
    return rule ? rule->name : QString();
}

QString findingKindLabel(FindingKind kind)
{
    const DoctorRule *rule = DoctorRules::find(kind);
    return rule ? rule->label : QString();
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return QString();
}

const DoctorFix *Finding::recommendedFix() const
{
    for (const DoctorFix &fix : fixes) {
        if (fix.recommended)
            return &fix;
    }
    return nullptr;
}

QJsonObject fixToJson(const DoctorFix &fix)
{
    return QJsonObject{{QStringLiteral("id"), fix.id},
                       {QStringLiteral("title"), fix.title},
                       {QStringLiteral("explanation"), fix.explanation},
                       {QStringLiteral("recommended"), fix.recommended},
                       {QStringLiteral("preview"), PlanRenderer::render(fix.plan)}};
}

QJsonObject Finding::toJson() const
{
    QJsonArray fixArray;
    for (const DoctorFix &fix : fixes)
        fixArray.append(fixToJson(fix));
    const DoctorFix *recommended = recommendedFix();
    return QJsonObject{{QStringLiteral("kind"), findingKindName(kind)},
                       {QStringLiteral("severity"), severityName(severity)},
                       {QStringLiteral("title"), title},
                       {QStringLiteral("migrations"), QJsonArray::fromStringList(migrations)},
                       {QStringLiteral("explanation"), explanation},
                       {QStringLiteral("evidence"), QJsonArray::fromStringList(evidence)},
                       {QStringLiteral("recommendedFix"), recommended ? QJsonValue(fixToJson(*recommended))
                                                                      : QJsonValue()},
                       {QStringLiteral("fixes"), fixArray}};
}
