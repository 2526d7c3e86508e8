#include "operations/resetstepplans.h"

#include <QMap>

Operation deleteFilesOperation()
{
    Operation op;
    op.name = QStringLiteral("delete-files");
    op.title = QStringLiteral("Delete migration files");
    op.group = OperationGroup::ResetSteps;
    op.summary = QStringLiteral("every <app>/migrations/*.py except __init__.py, and the caches (copied first)");
    op.destructive = true;
    op.facts = Fact::Files;
    op.build = ResetStepPlans::deleteFiles;
    op.blockers = [](const ProjectConfig &config, const OperationOptions &options) {
        if (options.facts.filesListed && options.facts.deletableFiles.isEmpty())
            return QStringList{QStringLiteral("There is no migration file to delete under %1.").arg(config.backendDir)};
        return QStringList();
    };
    op.confirmation = [](const ProjectConfig &, const OperationOptions &options) {
        Confirmation c;
        c.question = QStringLiteral("Delete %1 migration file(s) and cache folder(s)?").arg(options.facts.deletableFiles.size());
        // Counted per app first (<backend>/<app>/migrations/…), then every path.
        QMap<QString, int> perApp;
        for (const QString &path : options.facts.deletableFiles) {
            const QStringList parts = path.split(QLatin1Char('/'));
            const int at = int(parts.lastIndexOf(QStringLiteral("migrations")));
            perApp[at > 0 ? parts.at(at - 1) : QStringLiteral("?")] += 1;
        }
        for (auto it = perApp.cbegin(); it != perApp.cend(); ++it)
            c.items << QStringLiteral("%1: %2 file(s) and cache folder(s)").arg(it.key()).arg(it.value());
        c.items << options.facts.deletableFiles;
        c.undo = QStringLiteral("They are copied, with checksums, to a timestamped backup folder first.");
        return c;
    };
    return op;
}
