#pragma once

#include "operations/operationcatalog.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <memory>

class QKeyEvent;
class QLabel;
class QPushButton;
namespace Ui { class ConfirmationDialog; }

// The last question before a destructive plan runs: what will be lost (the rows, the files in
// a scrollable list, the volume), how to get it back, and the word to type (RESET, the volume
// name, the database name). OK stays disabled until the typed text matches exactly. On what looks
// like production, the database name must be typed as well (ProductionGuard).
class ConfirmationDialog : public QDialog
{
    Q_OBJECT
public:
    // typedWord: what must be typed; empty falls back to confirmation.typedWord.
    // productionReasons: why the project looks like production (empty: it does not).
    ConfirmationDialog(const QString &title, const Confirmation &confirmation, const QString &typedWord,
                       const QStringList &productionReasons, const QString &databaseName,
                       QWidget *parent = nullptr);
    ~ConfirmationDialog() override;

    QString typedWord() const { return m_word; }
    QString typedDatabaseName() const;
    QPushButton *confirmButton() const { return m_confirm; }
    // Types into the confirmation field (tests, and the wizard's own field).
    void setTypedText(const QString &text);
    void setTypedDatabaseName(const QString &text);
    QStringList items() const;
    QString missingText() const; // shown after Enter was pressed too early, empty otherwise

protected:
    // Enter confirms once the typed text matches; before that it says what is missing and
    // keeps the dialog open. It never cancels: Esc and Cancel do.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void updateButton();

    std::unique_ptr<Ui::ConfirmationDialog> ui;
    QPushButton *m_confirm = nullptr;
    QLabel *m_missing = nullptr; // what Enter found missing
    QString m_word;
    QString m_databaseName;
    bool m_production = false;
};
