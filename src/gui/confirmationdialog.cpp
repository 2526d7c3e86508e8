#include "confirmationdialog.h"

#include "ui_confirmationdialog.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>

ConfirmationDialog::ConfirmationDialog(const QString &title, const Confirmation &confirmation,
                                       const QString &typedWord, const QStringList &productionReasons,
                                       const QString &databaseName, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::ConfirmationDialog>())
    , m_word(typedWord.isEmpty() ? confirmation.typedWord : typedWord)
    , m_databaseName(databaseName)
    , m_production(!productionReasons.isEmpty())
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("confirmationDialog"));
    setWindowTitle(tr("%1 — Confirm").arg(title));
    ui->questionLabel->setText(QStringLiteral("<b>%1</b>").arg(confirmation.question.toHtmlEscaped()));

    ui->itemsList->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    ui->itemsList->addItems(confirmation.items);
    ui->itemsList->setVisible(!confirmation.items.isEmpty());
    ui->itemsLabel->setText(tr("%n item(s):", nullptr, int(confirmation.items.size())));
    ui->itemsLabel->setVisible(!confirmation.items.isEmpty());
    ui->undoLabel->setText(confirmation.undo);
    ui->undoLabel->setVisible(!confirmation.undo.isEmpty());

    ui->typedLabel->setText(tr("Type <b>%1</b> to confirm:").arg(m_word.toHtmlEscaped()));
    ui->typedEdit->setPlaceholderText(m_word);
    ui->typedEdit->setAccessibleName(tr("Confirmation text"));
    const bool needsWord = !m_word.isEmpty();
    ui->typedLabel->setVisible(needsWord);
    ui->typedEdit->setVisible(needsWord);

    if (m_production) {
        QString html = tr("<b style='color:#c0392b'>This looks like a production database:</b><ul>");
        for (const QString &reason : productionReasons)
            html += QStringLiteral("<li>%1</li>").arg(reason.toHtmlEscaped());
        html += QStringLiteral("</ul>") + tr("Type the database name to go on anyway.");
        ui->productionLabel->setText(html);
        ui->productionLabel->show();
        ui->databaseLabel->setText(tr("Database name:"));
        ui->databaseLabel->show();
        ui->databaseEdit->show();
    }

    m_confirm = ui->buttonBox->addButton(title, QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setToolTip(tr("Run it now"));
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(ui->typedEdit, &QLineEdit::textChanged, this, &ConfirmationDialog::updateButton);
    connect(ui->databaseEdit, &QLineEdit::textChanged, this, &ConfirmationDialog::updateButton);
    // Enter is handled in keyPressEvent(): it confirms only once the text matches, and never
    // cancels without a word. No button is the dialog's default.
    for (QAbstractButton *button : ui->buttonBox->buttons()) {
        if (auto *push = qobject_cast<QPushButton *>(button)) {
            push->setAutoDefault(false);
            push->setDefault(false);
        }
    }
    m_missing = new QLabel(this);
    m_missing->setObjectName(QStringLiteral("missingLabel"));
    m_missing->setWordWrap(true);
    m_missing->hide();
    ui->mainLayout->insertWidget(ui->mainLayout->indexOf(ui->buttonBox), m_missing);
    ui->typedEdit->setFocus();
    updateButton();
}

ConfirmationDialog::~ConfirmationDialog() = default;

QString ConfirmationDialog::typedDatabaseName() const
{
    return ui->databaseEdit->text();
}

void ConfirmationDialog::setTypedText(const QString &text)
{
    ui->typedEdit->setText(text);
}

void ConfirmationDialog::setTypedDatabaseName(const QString &text)
{
    ui->databaseEdit->setText(text);
}

QStringList ConfirmationDialog::items() const
{
    QStringList items;
    for (int i = 0; i < ui->itemsList->count(); ++i)
        items << ui->itemsList->item(i)->text();
    return items;
}

QString ConfirmationDialog::missingText() const
{
    return m_missing->isVisible() ? m_missing->text() : QString();
}

void ConfirmationDialog::keyPressEvent(QKeyEvent *event)
{
    if (event->key() != Qt::Key_Return && event->key() != Qt::Key_Enter)
        return QDialog::keyPressEvent(event);
    event->accept();
    if (m_confirm->isEnabled()) {
        m_confirm->click();
        return;
    }
    QStringList missing;
    if (!m_word.isEmpty() && ui->typedEdit->text() != m_word)
        missing << tr("type <b>%1</b> exactly").arg(m_word.toHtmlEscaped());
    if (m_production && ui->databaseEdit->text() != m_databaseName)
        missing << tr("type the database name <b>%1</b>").arg(m_databaseName.toHtmlEscaped());
    m_missing->setText(tr("Not confirmed yet: %1, then press Enter. Esc cancels.").arg(missing.join(tr(" and "))));
    m_missing->show();
}

void ConfirmationDialog::updateButton()
{
    bool ok = m_word.isEmpty() || ui->typedEdit->text() == m_word;
    if (m_production)
        ok = ok && ui->databaseEdit->text() == m_databaseName;
    m_confirm->setEnabled(ok);
    if (ok && m_missing)
        m_missing->hide();
}
