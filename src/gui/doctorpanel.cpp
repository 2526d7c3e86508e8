#include "doctorpanel.h"

#include "schema/rehearsal.h"

#include "ui_doctorpanel.h"

#include "console/secretmasker.h"
#include "evidencemodel.h"
#include "findingmodel.h"
#include "findingstyle.h"
#include "messagebanner.h"
#include "plan/planrenderer.h"

#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHeaderView>
#include <QListView>
#include <QListWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace {

} // namespace

DoctorPanel::DoctorPanel(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::DoctorPanel>())
    , m_banner(new MessageBanner(this))
    , m_model(new FindingModel(this))
    , m_evidence(new EvidenceModel(this))
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("doctorPanel"));
    m_banner->setObjectName(QStringLiteral("doctorBanner"));
    m_banner->hide();
    ui->mainLayout->insertWidget(1, m_banner);
    ui->busyBar->hide();

    ui->findingsView->setModel(m_model);
    ui->findingsView->header()->setStretchLastSection(true);
    ui->findingsView->header()->setSectionResizeMode(FindingModel::SeverityColumn, QHeaderView::ResizeToContents);
    ui->findingsView->header()->setSectionResizeMode(FindingModel::KindColumn, QHeaderView::ResizeToContents);
    ui->findingsView->setSelectionMode(QAbstractItemView::SingleSelection);
    ui->findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    ui->evidenceView->setModel(m_evidence);
    ui->previewText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->splitter->setStretchFactor(0, 2);
    ui->splitter->setStretchFactor(1, 1);
    ui->splitter->setStretchFactor(2, 2);
    ui->splitter->setStretchFactor(3, 3);

    // The badge is the only styled label: a green pill that reads "Recommended".
    ui->recommendedBadge->setStyleSheet(QStringLiteral(
        "QLabel { background: #2e7d32; color: white; border-radius: 7px; padding: 1px 8px; font-weight: bold; }"));
    ui->recommendedBadge->hide();
    ui->recommendedBadge->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    ui->fixHeaderLayout->setAlignment(ui->recommendedBadge, Qt::AlignTop);
    QFont big = ui->healthyLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    ui->healthyLabel->setFont(big);
    updateHealthyIcon();

    connect(ui->diagnoseButton, &QPushButton::clicked, this, &DoctorPanel::diagnose);
    connect(ui->applyButton, &QPushButton::clicked, this, &DoctorPanel::applySelectedFix);
    connect(ui->rehearseButton, &QPushButton::clicked, this, [this] {
        if (const DoctorFix *fix = selectedFix())
            request(Rehearsal::plan(m_diagnosis.inputs.context.config, fix->plan), tr("Rehearse: %1").arg(fix->title));
    });
    connect(ui->fixAllButton, &QPushButton::clicked, this, &DoctorPanel::applyAll);
    connect(ui->copyButton, &QPushButton::clicked, this, &DoctorPanel::copyPreview);
    connect(ui->findingsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DoctorPanel::onFindingChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        ++m_findingsGeneration;
        onFindingChanged();
    });
    connect(ui->fixesList, &QListWidget::currentRowChanged, this, &DoctorPanel::onFixChanged);

    ui->pages->setCurrentWidget(ui->startPage);
    ui->statusLabel->setText(tr("Open a project to diagnose it."));
    updateButtons();
}

DoctorPanel::~DoctorPanel() = default;

QTreeView *DoctorPanel::findingsView() const { return ui->findingsView; }
QListWidget *DoctorPanel::fixesList() const { return ui->fixesList; }
QListView *DoctorPanel::evidenceView() const { return ui->evidenceView; }
QPlainTextEdit *DoctorPanel::previewEdit() const { return ui->previewText; }
QPushButton *DoctorPanel::diagnoseButton() const { return ui->diagnoseButton; }
QPushButton *DoctorPanel::applyButton() const { return ui->applyButton; }
QPushButton *DoctorPanel::rehearseButton() const { return ui->rehearseButton; }
QPushButton *DoctorPanel::fixAllButton() const { return ui->fixAllButton; }
QString DoctorPanel::statusText() const { return ui->statusLabel->text(); }
QString DoctorPanel::previewText() const { return ui->previewText->toPlainText(); }

QString DoctorPanel::pageName() const
{
    QWidget *page = ui->pages->currentWidget();
    return page == ui->healthyPage ? QStringLiteral("healthy")
         : page == ui->findingsPage ? QStringLiteral("findings")
                                    : QStringLiteral("start");
}

void DoctorPanel::setProject(const ProjectConfig &config, const DoctorOptions &options)
{
    m_config = config;
    m_options = options;
    ++m_jobId; // a diagnosis of the previous project is dropped when it arrives
    setDiagnosing(false);
    m_hasDiagnosis = false;
    m_diagnosis = Diagnosis();
    ++m_findingsGeneration;
    m_model->clear();
    m_banner->dismiss();
    ui->pages->setCurrentWidget(ui->startPage);
    ui->statusLabel->setText(config.root.isEmpty() ? tr("Open a project to diagnose it.")
                                                   : tr("Not diagnosed yet."));
    onFindingChanged();
}

void DoctorPanel::diagnose()
{
    if (m_config.root.isEmpty() || m_planRunning)
        return;
    const quint64 id = ++m_jobId;
    setDiagnosing(true);
    ui->statusLabel->setText(tr("Diagnosing… (about as long as manage.py showmigrations)"));

    // The watcher belongs to the panel: if the panel goes, the result is simply dropped.
    auto *watcher = new QFutureWatcher<Diagnosis>(this);
    connect(watcher, &QFutureWatcher<Diagnosis>::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        onDiagnosis(id, watcher->result());
    });
    const ProjectConfig config = m_config;
    DoctorOptions options = m_options;
    options.checkSchema = options.checkSchema && ui->schemaCheck->isChecked();
    watcher->setFuture(QtConcurrent::run([config, options] { return MigrationDoctor::diagnose(config, options); }));
}

void DoctorPanel::onDiagnosis(quint64 id, const Diagnosis &diagnosis)
{
    if (id != m_jobId)
        return; // stale: the project changed or another diagnosis started since
    setDiagnosing(false);
    const QString selectedKey = selectedFinding() ? FindingModel::keyOf(*selectedFinding()) : QString();
    m_diagnosis = diagnosis;
    ++m_findingsGeneration;
    m_diagnosis.error = masked(diagnosis.error);
    for (QString &w : m_diagnosis.warnings)
        w = masked(w);
    m_hasDiagnosis = true;

    if (!m_diagnosis.ok()) {
        m_model->clear();
        m_banner->showMessage(MessageLevel::Error, tr("Diagnosis failed: %1").arg(m_diagnosis.error));
        ui->pages->setCurrentWidget(ui->startPage);
        ui->statusLabel->setText(tr("No diagnosis."));
    } else {
        if (m_diagnosis.warnings.isEmpty())
            m_banner->dismiss();
        else
            m_banner->showMessage(MessageLevel::Warning, tr("The diagnosis may be incomplete: %1")
                                                             .arg(m_diagnosis.warnings.join(QStringLiteral("; "))));
        m_model->setFindings(m_diagnosis.findings);
        const qsizetype n = m_diagnosis.findings.size();
        const QString seconds = QString::number(m_diagnosis.elapsedMs / 1000.0, 'f', 1);
        if (n == 0) {
            ui->pages->setCurrentWidget(ui->healthyPage);
            ui->healthyDetail->setText(tr("Database history, migration files, Django's graph and git agree."));
            ui->statusLabel->setText(tr("Healthy (checked in %1 s).").arg(seconds));
        } else {
            ui->pages->setCurrentWidget(ui->findingsPage);
            ui->statusLabel->setText(tr("%n problem(s) found in %1 s.", nullptr, int(n)).arg(seconds));
            const int row = m_model->rowOfKey(selectedKey);
            selectFinding(row >= 0 ? row : 0);
        }
    }
    onFindingChanged();
    emit diagnosed(m_diagnosis);
}

void DoctorPanel::selectFinding(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    ui->findingsView->setCurrentIndex(m_model->index(row, 0));
}

const Finding *DoctorPanel::selectedFinding() const
{
    const QModelIndex current = ui->findingsView->currentIndex();
    return current.isValid() ? m_model->finding(current.row()) : nullptr;
}

const DoctorFix *DoctorPanel::selectedFix() const
{
    const Finding *f = selectedFinding();
    const int row = ui->fixesList->currentRow();
    return f && row >= 0 && row < f->fixes.size() ? &f->fixes.at(row) : nullptr;
}

void DoctorPanel::onFindingChanged()
{
    const Finding *f = selectedFinding();
    if (f == m_detailsFinding && m_detailsGeneration == m_findingsGeneration)
        return; // already shown: selectFinding() and the end of onDiagnosis() both land here
    m_detailsFinding = f;
    m_detailsGeneration = m_findingsGeneration;
    const QSignalBlocker blocker(ui->fixesList);
    ui->fixesList->clear();
    if (!f) {
        ui->detailsText->clear();
        m_evidence->clear();
        onFixChanged();
        return;
    }
    ++m_detailsBuilds;
    ui->detailsText->setHtml(QStringLiteral("<p><b>%1</b></p><p>%2</p>")
                                 .arg(f->title.toHtmlEscaped(), f->explanation.toHtmlEscaped()));
    m_evidence->setFinding(f);

    int recommended = -1;
    for (int i = 0; i < f->fixes.size(); ++i) {
        const DoctorFix &fix = f->fixes.at(i);
        auto *item = new QListWidgetItem(fix.recommended ? tr("%1  (recommended)").arg(fix.title) : fix.title,
                                         ui->fixesList);
        item->setToolTip(fix.explanation);
        if (fix.recommended) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            item->setIcon(FindingStyle::healthyIcon(palette()));
            if (recommended < 0)
                recommended = i;
        }
    }
    if (ui->fixesList->count() > 0)
        ui->fixesList->setCurrentRow(recommended >= 0 ? recommended : 0);
    onFixChanged();
}

void DoctorPanel::onFixChanged()
{
    const DoctorFix *fix = selectedFix();
    if (!fix) {
        ui->recommendedBadge->hide();
        ui->fixExplanation->setText(selectedFinding() ? tr("No automatic fix for this finding.") : QString());
        ui->previewText->clear();
    } else {
        ui->recommendedBadge->setVisible(fix->recommended);
        ui->fixExplanation->setText(fix->explanation);
        ui->previewText->setPlainText(PlanRenderer::render(fix->plan));
    }
    updateButtons();
}

void DoctorPanel::applySelectedFix()
{
    if (const DoctorFix *fix = selectedFix())
        request(fix->plan, fix->title);
}

void DoctorPanel::applyAll()
{
    if (!m_hasDiagnosis || !m_diagnosis.ok())
        return;
    request(m_diagnosis.fixAllPlan(), tr("Fix all (recommended fixes)"));
}

void DoctorPanel::request(const Plan &plan, const QString &title)
{
    if (plan.steps.isEmpty() || m_planRunning || m_diagnosing)
        return;
    // Nothing is created here: the window prepares output folders only after the user confirmed.
    emit runPlanRequested(plan, title);
}

void DoctorPanel::copyPreview()
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(ui->previewText->toPlainText());
}

void DoctorPanel::setPlanRunning(bool running)
{
    m_planRunning = running;
    updateButtons();
}

void DoctorPanel::setDiagnosing(bool diagnosing)
{
    if (m_diagnosing == diagnosing)
        return;
    m_diagnosing = diagnosing;
    ui->busyBar->setVisible(diagnosing);
    updateButtons();
    emit diagnosingChanged(diagnosing);
}

void DoctorPanel::updateButtons()
{
    const bool idle = !m_planRunning && !m_diagnosing;
    ui->diagnoseButton->setEnabled(idle && !m_config.root.isEmpty());
    const DoctorFix *fix = selectedFix();
    ui->applyButton->setEnabled(idle && fix && !fix->plan.steps.isEmpty());
    ui->rehearseButton->setEnabled(idle && fix && Rehearsal::applies(fix->plan));
    ui->applyButton->setToolTip(fix ? tr("Run “%1” (the commands above) in the console").arg(fix->title) : QString());
    ui->copyButton->setEnabled(fix != nullptr);
    const bool anyRecommended = std::any_of(m_diagnosis.findings.cbegin(), m_diagnosis.findings.cend(),
                                            [](const Finding &f) { return f.recommendedFix() != nullptr; });
    ui->fixAllButton->setEnabled(idle && m_hasDiagnosis && m_diagnosis.ok() && anyRecommended);
}

void DoctorPanel::updateHealthyIcon()
{
    ui->healthyIcon->setPixmap(FindingStyle::healthyIcon(palette()).pixmap(64, 64));
    QPalette p = ui->healthyLabel->palette();
    p.setColor(QPalette::WindowText, FindingStyle::healthyColor(palette()));
    ui->healthyLabel->setPalette(p);
}

void DoctorPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateHealthyIcon();
}

QString DoctorPanel::masked(const QString &text) const
{
    if (m_config.db.password.isEmpty())
        return text;
    return SecretMasker(QStringList{m_config.db.password}).apply(text);
}
