#include "superuserdialog.h"

#include "ui_superuserdialog.h"

#include <QPushButton>

SuperuserDialog::SuperuserDialog(QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::SuperuserDialog>())
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("superuserDialog"));
    okButton()->setText(tr("&Create"));
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {ui->usernameEdit, ui->emailEdit, ui->passwordEdit, ui->confirmEdit})
        connect(edit, &QLineEdit::textChanged, this, &SuperuserDialog::validate);
    validate();
}

SuperuserDialog::~SuperuserDialog() = default;

QString SuperuserDialog::username() const { return ui->usernameEdit->text().trimmed(); }
QString SuperuserDialog::email() const { return ui->emailEdit->text().trimmed(); }
QString SuperuserDialog::password() const { return ui->passwordEdit->text(); }
void SuperuserDialog::setUsername(const QString &username) { ui->usernameEdit->setText(username); }
void SuperuserDialog::setEmail(const QString &email) { ui->emailEdit->setText(email); }

void SuperuserDialog::setPasswords(const QString &password, const QString &repeated)
{
    ui->passwordEdit->setText(password);
    ui->confirmEdit->setText(repeated);
}

QPushButton *SuperuserDialog::okButton() const
{
    return ui->buttonBox->button(QDialogButtonBox::Ok);
}

QString SuperuserDialog::problem() const
{
    if (username().isEmpty())
        return tr("Enter a username.");
    if (!email().isEmpty() && !email().contains(QLatin1Char('@')))
        return tr("The email address needs an @.");
    if (password().isEmpty())
        return tr("Enter a password.");
    if (ui->confirmEdit->text().isEmpty())
        return tr("Repeat the password.");
    if (password() != ui->confirmEdit->text())
        return tr("The passwords do not match.");
    return QString();
}

void SuperuserDialog::validate()
{
    const QString text = problem();
    // Say nothing about fields the user has not reached yet, but keep OK disabled.
    const bool started = !ui->passwordEdit->text().isEmpty() || !ui->confirmEdit->text().isEmpty()
        || !ui->emailEdit->text().isEmpty();
    ui->problemLabel->setText(started ? QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(text.toHtmlEscaped())
                                      : QString());
    okButton()->setEnabled(text.isEmpty());
}
