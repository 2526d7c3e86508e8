#pragma once

#include "doctor/migrationdoctor.h"
#include "plan/plan.h"
#include "project/projectconfig.h"

#include <QWidget>

#include <memory>

class EvidenceModel;
class FindingModel;
class MessageBanner;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
namespace Ui {
class DoctorPanel;
}

// The Doctor dock: "Diagnose" runs MigrationDoctor::diagnose on the thread pool, the findings
// are listed with their evidence, and each fix shows the exact commands and SQL it runs. The
// panel never runs a plan: "Apply fix" and "Fix all" emit runPlanRequested() and the owner's
// runner executes it, then calls diagnose() again to verify.
class DoctorPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DoctorPanel(QWidget *parent = nullptr);
    ~DoctorPanel() override;

    // A new project (or new settings): forgets the findings and drops a running diagnosis's result.
    void setProject(const ProjectConfig &config, const DoctorOptions &options = {});
    ProjectConfig project() const { return m_config; }
    DoctorOptions options() const { return m_options; }

    bool isDiagnosing() const { return m_diagnosing; }
    bool hasDiagnosis() const { return m_hasDiagnosis; }
    const Diagnosis &diagnosis() const { return m_diagnosis; }
    quint64 diagnosesStarted() const { return m_jobId; }

    // The finding selected in the list and the fix selected for it (nullptr when none).
    const Finding *selectedFinding() const;
    const DoctorFix *selectedFix() const;
    // The preview text of the selected fix (what the user sees and copies).
    QString previewText() const;

    // The parts tests and the owner look at.
    FindingModel *model() const { return m_model; }
    // The selected finding's migrations and evidence (a list view: any length stays fast).
    EvidenceModel *evidenceModel() const { return m_evidence; }
    QListView *evidenceView() const;
    // How often the details of a finding were built (once per selected finding and diagnosis).
    int detailsBuilds() const { return m_detailsBuilds; }
    QTreeView *findingsView() const;
    QListWidget *fixesList() const;
    QPlainTextEdit *previewEdit() const;
    QPushButton *diagnoseButton() const;
    QPushButton *applyButton() const;
    QPushButton *rehearseButton() const;
    QPushButton *fixAllButton() const;
    MessageBanner *banner() const { return m_banner; }
    QString statusText() const;
    // Which page shows: "start", "healthy" or "findings".
    QString pageName() const;

public slots:
    // Starts a diagnosis of the current project; a running one's result will be dropped.
    void diagnose();
    // While the owner runs a plan: no Apply / Fix all / Diagnose (one operation at a time).
    void setPlanRunning(bool running);
    void selectFinding(int row);

signals:
    // Run this plan (a doctor fix; its output folders are already created) in the main runner.
    void runPlanRequested(const Plan &plan, const QString &title);
    // A diagnosis finished (also with an error): the owner enriches the status table with it.
    void diagnosed(const Diagnosis &diagnosis);
    void diagnosingChanged(bool diagnosing);

protected:
    void changeEvent(QEvent *event) override;

private:
    void onDiagnosis(quint64 id, const Diagnosis &diagnosis);
    void onFindingChanged();
    void onFixChanged();
    void applySelectedFix();
    void applyAll();
    void request(const Plan &plan, const QString &title);
    void copyPreview();
    void updateButtons();
    void updateHealthyIcon();
    void setDiagnosing(bool diagnosing);
    QString masked(const QString &text) const;

    std::unique_ptr<Ui::DoctorPanel> ui;
    MessageBanner *m_banner;
    FindingModel *m_model;
    EvidenceModel *m_evidence;
    ProjectConfig m_config;
    DoctorOptions m_options;
    Diagnosis m_diagnosis;
    bool m_hasDiagnosis = false;
    bool m_diagnosing = false;
    bool m_planRunning = false;
    quint64 m_jobId = 0;
    // The details show this finding of this generation of findings: onFindingChanged() skips
    // rebuilding them when nothing changed (a diagnosis used to build them twice).
    const Finding *m_detailsFinding = nullptr;
    quint64 m_findingsGeneration = 0;
    quint64 m_detailsGeneration = 0;
    int m_detailsBuilds = 0;
};
