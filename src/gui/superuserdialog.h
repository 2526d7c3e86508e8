#pragma once

#include <QDialog>
#include <QString>

#include <memory>

class QPushButton;
namespace Ui { class SuperuserDialog; }

// Username, email and the password twice for createsuperuser. Problems (empty username,
// empty or mismatched password, an email without @) show inline and keep OK disabled.
// The password leaves this dialog only as OperationOptions::superuserPassword (a secret).
class SuperuserDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SuperuserDialog(QWidget *parent = nullptr);
    ~SuperuserDialog() override;

    QString username() const;
    QString email() const;
    QString password() const;
    void setUsername(const QString &username);
    void setEmail(const QString &email);

    QString problem() const; // empty when OK may be pressed
    QPushButton *okButton() const;

    // Test hooks: fill the fields as the user would.
    void setPasswords(const QString &password, const QString &repeated);

private:
    void validate();

    std::unique_ptr<Ui::SuperuserDialog> ui;
};
