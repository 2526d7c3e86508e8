#pragma once

#include "project/projectconfig.h"

#include <QDialog>

#include <memory>

namespace Ui {
class ProjectSettingsDialog;
}

// Shows what was detected for a project and lets the user override it. Only the fields that
// differ from detection become overrides, so the rest keeps following the project's files.
class ProjectSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    // detected: ProjectDetector's result before any saved setting; saved: the overrides in use.
    ProjectSettingsDialog(const ProjectConfig &detected, const ProjectOverrides &saved,
                          QWidget *parent = nullptr);
    ~ProjectSettingsDialog() override;

    ProjectOverrides overrides() const;

private:
    void fill(const ProjectConfig &config);
    void restoreDetected();
    void browseComposeFile();
    void browseBackendDir();
    void browsePython();
    void updateProblems();
    QString absolute(const QString &path) const;

    std::unique_ptr<Ui::ProjectSettingsDialog> ui;
    ProjectConfig m_detected;
};
