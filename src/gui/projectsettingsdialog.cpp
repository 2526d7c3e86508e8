#include "projectsettingsdialog.h"
#include "ui_projectsettingsdialog.h"

#include "targets/targets.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>

namespace {

QString detectedTip(const QString &what, const QString &value)
{
    return QObject::tr("%1\nDetected: %2").arg(what, value.isEmpty() ? QObject::tr("(nothing)") : value);
}

} // namespace

ProjectSettingsDialog::ProjectSettingsDialog(const ProjectConfig &detected, const ProjectOverrides &saved,
                                             QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::ProjectSettingsDialog>())
    , m_detected(detected)
{
    ui->setupUi(this);
    setWindowTitle(tr("Project Settings — %1").arg(QFileInfo(detected.root).fileName()));

    for (const TargetKindInfo &kind : Targets::kinds())
        ui->targetCombo->addItem(kind.label, targetKindName(kind.kind));

    QPushButton *restore = ui->buttonBox->button(QDialogButtonBox::RestoreDefaults);
    restore->setText(tr("Restore &Detected"));
    restore->setToolTip(tr("Put every field back to what was detected from the project's files"));
    ui->buttonBox->button(QDialogButtonBox::Ok)->setToolTip(tr("Save these settings for this project and reload"));
    connect(restore, &QPushButton::clicked, this, &ProjectSettingsDialog::restoreDetected);
    connect(ui->composeFileBrowse, &QToolButton::clicked, this, &ProjectSettingsDialog::browseComposeFile);
    connect(ui->backendDirBrowse, &QToolButton::clicked, this, &ProjectSettingsDialog::browseBackendDir);
    connect(ui->pythonBrowse, &QToolButton::clicked, this, &ProjectSettingsDialog::browsePython);
    connect(ui->backendDirEdit, &QLineEdit::textChanged, this, &ProjectSettingsDialog::updateProblems);
    connect(ui->composeFileEdit, &QLineEdit::textChanged, this, &ProjectSettingsDialog::updateProblems);

    // Placeholders and tooltips say what detection found, so a cleared field is self-explaining.
    ui->projectFolderValue->setText(QDir::toNativeSeparators(detected.root));
    ui->envFileValue->setText(detected.envFile.isEmpty() ? tr("none found — DB settings use their defaults")
                                                         : QDir::toNativeSeparators(detected.envFile));
    ui->projectFolderValue->setCursorPosition(0);
    ui->envFileValue->setCursorPosition(0);
    ui->composeFileEdit->setPlaceholderText(detected.composeFile);
    ui->composeFileEdit->setToolTip(detectedTip(ui->composeFileEdit->toolTip(), detected.composeFile));
    ui->backendDirEdit->setPlaceholderText(detected.backendDir);
    ui->backendDirEdit->setToolTip(detectedTip(ui->backendDirEdit->toolTip(), detected.backendDir));
    ui->dbServiceEdit->setPlaceholderText(detected.dbService);
    ui->dbServiceEdit->setToolTip(detectedTip(ui->dbServiceEdit->toolTip(), detected.dbService));
    ui->backendServiceEdit->setPlaceholderText(detected.backendService);
    ui->backendServiceEdit->setToolTip(detectedTip(ui->backendServiceEdit->toolTip(), detected.backendService));
    ui->pythonEdit->setPlaceholderText(detected.python);
    ui->pythonEdit->setToolTip(detectedTip(ui->pythonEdit->toolTip(), detected.python));
    ui->dbHostEdit->setPlaceholderText(detected.db.host);
    ui->dbHostEdit->setToolTip(detectedTip(ui->dbHostEdit->toolTip(), detected.db.host));
    ui->dbPortSpin->setToolTip(detectedTip(ui->dbPortSpin->toolTip(), QString::number(detected.db.port)));
    ui->dbNameEdit->setPlaceholderText(detected.db.name);
    ui->dbNameEdit->setToolTip(detectedTip(ui->dbNameEdit->toolTip(), detected.db.name));
    ui->dbUserEdit->setPlaceholderText(detected.db.user);
    ui->dbUserEdit->setToolTip(detectedTip(ui->dbUserEdit->toolTip(), detected.db.user));
    // Only whether a password exists: its value never reaches a widget.
    ui->passwordValue->setText(detected.db.password.isEmpty()
                                   ? tr("not set (no DB_PASSWORD in .env or MIGRATIONDESK_DB_PASSWORD)")
                                   : tr("set (from the environment or .env; hidden)"));

    ProjectConfig effective = detected;
    saved.applyTo(effective);
    fill(effective);
}

ProjectSettingsDialog::~ProjectSettingsDialog() = default;

void ProjectSettingsDialog::fill(const ProjectConfig &config)
{
    ui->composeFileEdit->setText(QDir::toNativeSeparators(config.composeFile));
    ui->backendDirEdit->setText(QDir::toNativeSeparators(config.backendDir));
    ui->dbServiceEdit->setText(config.dbService);
    ui->backendServiceEdit->setText(config.backendService);
    ui->targetCombo->setCurrentIndex(ui->targetCombo->findData(targetKindName(config.target)));
    ui->pythonEdit->setText(config.python);
    ui->dbHostEdit->setText(config.db.host);
    ui->dbPortSpin->setValue(config.db.port);
    ui->dbNameEdit->setText(config.db.name);
    ui->dbUserEdit->setText(config.db.user);
    updateProblems();
}

void ProjectSettingsDialog::restoreDetected()
{
    fill(m_detected);
}

QString ProjectSettingsDialog::absolute(const QString &path) const
{
    const QString trimmed = path.trimmed();
    if (trimmed.isEmpty())
        return QString();
    return QDir::cleanPath(QDir(m_detected.root).absoluteFilePath(QDir::fromNativeSeparators(trimmed)));
}

ProjectOverrides ProjectSettingsDialog::overrides() const
{
    // A field equal to detection (or left empty) is no override: it keeps following the files.
    auto differs = [](const QString &value, const QString &detected) {
        return !value.isEmpty() && value != detected;
    };
    ProjectOverrides o;
    const QString compose = absolute(ui->composeFileEdit->text());
    if (differs(compose, QDir::cleanPath(m_detected.composeFile)))
        o.composeFile = compose;
    const QString backend = absolute(ui->backendDirEdit->text());
    if (differs(backend, QDir::cleanPath(m_detected.backendDir)))
        o.backendDir = backend;
    if (differs(ui->dbServiceEdit->text().trimmed(), m_detected.dbService))
        o.dbService = ui->dbServiceEdit->text().trimmed();
    if (differs(ui->backendServiceEdit->text().trimmed(), m_detected.backendService))
        o.backendService = ui->backendServiceEdit->text().trimmed();
    const QString target = ui->targetCombo->currentData().toString();
    if (differs(target, targetKindName(m_detected.target)))
        o.target = target;
    if (differs(ui->pythonEdit->text().trimmed(), m_detected.python))
        o.python = ui->pythonEdit->text().trimmed();
    if (differs(ui->dbHostEdit->text().trimmed(), m_detected.db.host))
        o.dbHost = ui->dbHostEdit->text().trimmed();
    if (ui->dbPortSpin->value() != m_detected.db.port)
        o.dbPort = ui->dbPortSpin->value();
    if (differs(ui->dbNameEdit->text().trimmed(), m_detected.db.name))
        o.dbName = ui->dbNameEdit->text().trimmed();
    if (differs(ui->dbUserEdit->text().trimmed(), m_detected.db.user))
        o.dbUser = ui->dbUserEdit->text().trimmed();
    return o;
}

void ProjectSettingsDialog::updateProblems()
{
    // Said inline, not by refusing OK: the user may fix the folder after saving.
    QString problem;
    const QString backend = absolute(ui->backendDirEdit->text());
    if (backend.isEmpty())
        problem = tr("No backend folder: MigrationDesk needs the folder that holds manage.py.");
    else if (!QFileInfo(backend).isDir())
        problem = tr("This folder does not exist.");
    else if (!QFileInfo::exists(QDir(backend).filePath(QStringLiteral("manage.py"))))
        problem = tr("There is no manage.py in this folder.");
    const QString compose = absolute(ui->composeFileEdit->text());
    if (!compose.isEmpty() && !QFileInfo(compose).isFile())
        problem += (problem.isEmpty() ? QString() : QStringLiteral("\n")) + tr("The compose file does not exist.");
    ui->backendProblem->setText(problem);
    ui->backendProblem->setVisible(!problem.isEmpty());
    ui->backendProblemLabel->setVisible(!problem.isEmpty());
}

void ProjectSettingsDialog::browseComposeFile()
{
    const QString start = absolute(ui->composeFileEdit->text()).isEmpty() ? m_detected.root
                                                                          : absolute(ui->composeFileEdit->text());
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose the Compose File"), start,
                                                      tr("Compose files (*.yml *.yaml);;All files (*)"));
    if (!file.isEmpty())
        ui->composeFileEdit->setText(QDir::toNativeSeparators(file));
}

void ProjectSettingsDialog::browseBackendDir()
{
    const QString start = absolute(ui->backendDirEdit->text()).isEmpty() ? m_detected.root
                                                                         : absolute(ui->backendDirEdit->text());
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the Folder Holding manage.py"), start);
    if (!dir.isEmpty())
        ui->backendDirEdit->setText(QDir::toNativeSeparators(dir));
}

void ProjectSettingsDialog::browsePython()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose the Python Interpreter"), m_detected.root);
    if (!file.isEmpty())
        ui->pythonEdit->setText(QDir::toNativeSeparators(file));
}
