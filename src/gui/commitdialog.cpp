#include "commitdialog.h"

#include "operations/guideoptions.h"
#include "ui_commitdialog.h"

#include <QFontDatabase>
#include <QPushButton>

CommitDialog::CommitDialog(const CommitCheck &check, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::CommitDialog>())
    , m_check(check)
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("commitDialog"));
    okButton()->setText(tr("&Commit"));
    ui->filesList->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->filesList->addItems(check.migrationFiles);
    ui->filesLabel->setText(tr("git add will stage exactly these %n migration file(s):", nullptr,
                               int(check.migrationFiles.size())));
    if (check.detachedHead)
        ui->branchLabel->setText(tr("HEAD is <b>detached</b>."));
    else
        ui->branchLabel->setText(tr("Branch <b>%1</b>%2")
                                     .arg(check.branch.toHtmlEscaped(),
                                          check.upstream.isEmpty()
                                              ? tr(", no upstream")
                                              : tr(", upstream <b>%1</b>").arg(check.upstream.toHtmlEscaped())));
    ui->messageEdit->setPlainText(GuideOption::DefaultCommitMessage);
    ui->pushCheck->setToolTip(tr("git push to %1 after the commit; never --force")
                                  .arg(check.upstream.isEmpty() ? tr("the upstream") : check.upstream));
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(ui->messageEdit, &QPlainTextEdit::textChanged, this, &CommitDialog::validate);
    connect(ui->pushCheck, &QCheckBox::toggled, this, &CommitDialog::validate);
    validate();
}

CommitDialog::~CommitDialog() = default;

QString CommitDialog::message() const { return ui->messageEdit->toPlainText().trimmed(); }
void CommitDialog::setMessage(const QString &message) { ui->messageEdit->setPlainText(message); }
bool CommitDialog::push() const { return ui->pushCheck->isChecked(); }
void CommitDialog::setPush(bool push) { ui->pushCheck->setChecked(push); }
QPushButton *CommitDialog::okButton() const { return ui->buttonBox->button(QDialogButtonBox::Ok); }

QStringList CommitDialog::files() const
{
    QStringList files;
    for (int i = 0; i < ui->filesList->count(); ++i)
        files << ui->filesList->item(i)->text();
    return files;
}

QStringList CommitDialog::blockers() const
{
    QStringList problems = m_check.blockers(push());
    if (m_check.checked && m_check.error.isEmpty() && m_check.isRepository && m_check.migrationFiles.isEmpty())
        problems << tr("No migration file has changes: there is nothing to commit.");
    if (message().isEmpty())
        problems << tr("Enter a commit message.");
    return problems;
}

void CommitDialog::validate()
{
    const QStringList problems = blockers();
    QString html;
    if (!problems.isEmpty()) {
        html = tr("<b style='color:#c0392b'>Cannot commit:</b><ul>");
        for (const QString &p : problems)
            html += QStringLiteral("<li>%1</li>").arg(p.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    ui->problemLabel->setText(html);
    okButton()->setEnabled(problems.isEmpty());
}
