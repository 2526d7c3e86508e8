#pragma once

#include "operations/operation.h"

// The steps of the Migration Reset Guide, one plan each (group "Reset steps"). Pure functions
// of the config and the options (facts included); destructive ones start with their backup.
namespace ResetStepPlans {

// DELETE FROM django_migrations in one transaction, after the rows are snapshotted. Scope: the
// project's own apps (facts.projectApps), so Django's own apps (auth, contenttypes…) stay
// recorded and the later `migrate --fake-initial` works; GuideOption::AllApps deletes every
// row as the guide's psql line does.
Plan clearHistory(const ProjectConfig &config, const OperationOptions &options);
// The rows the statement of clearHistory() affects: every row, or those of these apps.
SqlStatement clearHistoryStatement(const QStringList &apps, bool allApps);
QStringList clearHistoryApps(const OperationOptions &options); // empty: every row
SqlStep clearHistoryStep(const ProjectConfig &config, const OperationOptions &options);

// Copies facts.deletableFiles to a timestamped backup, then deletes them.
Plan deleteFiles(const ProjectConfig &config, const OperationOptions &options);
FileStep deleteFilesStep(const ProjectConfig &config, const OperationOptions &options);

// manage.py makemigrations [APP…]
Plan makeMigrations(const ProjectConfig &config, const OperationOptions &options);
ProcessStep makeMigrationsStep(const ProjectConfig &config, const OperationOptions &options);

// manage.py migrate [--fake-initial] --noinput
Plan migrate(const ProjectConfig &config, const OperationOptions &options);
ProcessStep migrateStep(const ProjectConfig &config, const OperationOptions &options, bool fakeInitial);

// manage.py createsuperuser --noinput, DJANGO_SUPERUSER_USERNAME/EMAIL/PASSWORD in the
// environment (the password as a secret: never argv, never the preview).
Plan createSuperuser(const ProjectConfig &config, const OperationOptions &options);
ProcessStep createSuperuserStep(const ProjectConfig &config, const OperationOptions &options);

// git add exactly the migration files under the backend folder, git commit -m MESSAGE,
// optionally git push (never --force). Run only when GuideFactsReader::checkCommit() has no
// blockers.
Plan commit(const ProjectConfig &config, const OperationOptions &options);
QList<ProcessStep> commitSteps(const ProjectConfig &config, const OperationOptions &options);
// The git pathspec of "the migration files under the backend folder":
// ":(glob)<backend>/*/migrations/*.py".
QString migrationPathspec(const ProjectConfig &config);
}
