#pragma once

#include "operations/guidefacts.h"

#include <QDialog>
#include <QString>

#include <memory>

class QPushButton;
namespace Ui { class CommitDialog; }

// What `git add` will stage (exactly the migration files under the backend folder), the
// message (default "Regenerate all Django migrations") and an optional push that is never
// forced. When git says no (detached HEAD, other staged changes, no upstream for a push) the
// reasons show inline and OK stays disabled.
class CommitDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CommitDialog(const CommitCheck &check, QWidget *parent = nullptr);
    ~CommitDialog() override;

    QString message() const;
    void setMessage(const QString &message);
    bool push() const;
    void setPush(bool push);
    QStringList files() const;
    QStringList blockers() const;
    QPushButton *okButton() const;

private:
    void validate();

    std::unique_ptr<Ui::CommitDialog> ui;
    CommitCheck m_check;
};
