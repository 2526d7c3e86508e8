#include "planpreviewdialog.h"

#include "ui_planpreviewdialog.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

PlanPreviewDialog::PlanPreviewDialog(QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::PlanPreviewDialog>())
{
    ui->setupUi(this);
    setObjectName(QStringLiteral("planPreviewDialog"));
    ui->planText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_run = ui->buttonBox->addButton(tr("&Run"), QDialogButtonBox::AcceptRole);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setDefault(true);
    m_rehearse = ui->buttonBox->addButton(tr("Re&hearse"), QDialogButtonBox::ActionRole);
    m_rehearse->setObjectName(QStringLiteral("rehearseButton"));
    m_rehearse->setToolTip(tr("Run the same manage.py and SQL steps on a scratch copy of the database first "
                              "(pg_dump | pg_restore, dropped afterwards): your database and files stay as they are"));
    m_rehearse->hide();
    connect(m_rehearse, &QPushButton::clicked, this, [this] { done(RehearseResult); });
    ui->buttonBox->button(QDialogButtonBox::Cancel)->setToolTip(tr("Close without running anything"));
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    ui->optionsArea->hide();
    updateRunButton();
}

PlanPreviewDialog::~PlanPreviewDialog() = default;

void PlanPreviewDialog::setOperation(const QString &title, const QString &summary, bool destructive)
{
    setWindowTitle(tr("%1 — Preview").arg(title));
    ui->titleLabel->setText(destructive ? tr("<b>%1</b> &nbsp;<span style='color:#c0392b'>⚠ changes or deletes "
                                             "data — you confirm it on the next screen</span>")
                                              .arg(title.toHtmlEscaped())
                                        : QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    ui->summaryLabel->setText(summary);
    m_runText = destructive ? tr("&Continue…") : tr("&Run");
    m_run->setText(m_runText);
    m_run->setToolTip(destructive ? tr("Go on to the confirmation") : tr("Run these commands now"));
}

void PlanPreviewDialog::setRehearsal(bool available, const QString &passedAt)
{
    m_rehearse->setVisible(available);
    if (!available)
        m_run->setText(m_runText);
    else if (passedAt.isEmpty())
        m_run->setText(m_runText == tr("&Run") ? tr("&Run without rehearsal") : tr("&Continue without rehearsal…"));
    else
        m_run->setText(tr("%1 (rehearsal passed %2)").arg(m_runText, passedAt));
    updateRunButton();
}

QCheckBox *PlanPreviewDialog::addFlag(const QString &key, const QString &label, const QString &toolTip, bool checked)
{
    auto *box = new QCheckBox(label, ui->optionsArea);
    box->setObjectName(QStringLiteral("flag_") + key);
    box->setToolTip(toolTip);
    box->setChecked(checked);
    ui->optionsLayout->addWidget(box);
    ui->optionsArea->show();
    m_flags.insert(key, box);
    connect(box, &QCheckBox::toggled, this, &PlanPreviewDialog::optionsChanged);
    return box;
}

void PlanPreviewDialog::suggestFlag(const QString &key, bool checked, const QString &why)
{
    QCheckBox *box = m_flags.value(key);
    if (!box)
        return;
    box->setChecked(checked); // emits optionsChanged(): the plan is rebuilt with the choice
    if (!m_note) {
        m_note = new QLabel(ui->optionsArea);
        m_note->setObjectName(QStringLiteral("suggestionNote"));
        m_note->setWordWrap(true);
        m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
        ui->optionsLayout->addWidget(m_note);
    }
    m_note->setText(why);
}

QString PlanPreviewDialog::note() const
{
    return m_note ? m_note->text() : QString();
}

QListWidget *PlanPreviewDialog::addChoiceList(const QString &key, const QString &label, const QString &toolTip,
                                              const QStringList &choices, const QStringList &checked)
{
    auto *caption = new QLabel(label, ui->optionsArea);
    caption->setWordWrap(true);
    auto *list = new QListWidget(ui->optionsArea);
    list->setObjectName(QStringLiteral("choices_") + key);
    list->setToolTip(toolTip);
    caption->setBuddy(list);
    for (const QString &choice : choices) {
        auto *item = new QListWidgetItem(choice, list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(choice) ? Qt::Checked : Qt::Unchecked);
    }
    // Short lists: every app visible without scrolling, up to a handful.
    const int rows = qBound(1, int(choices.size()), 6);
    list->setMaximumHeight(list->sizeHintForRow(0) * rows + 2 * list->frameWidth() + 4);
    ui->optionsLayout->addWidget(caption);
    ui->optionsLayout->addWidget(list);
    ui->optionsArea->show();
    m_lists.insert(key, list);
    connect(list, &QListWidget::itemChanged, this, &PlanPreviewDialog::optionsChanged);
    return list;
}

void PlanPreviewDialog::setChoices(const QString &key, const QStringList &checked)
{
    QListWidget *list = m_lists.value(key);
    if (!list)
        return;
    for (int i = 0; i < list->count(); ++i) {
        QListWidgetItem *item = list->item(i);
        item->setCheckState(checked.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
}

QLineEdit *PlanPreviewDialog::addText(const QString &key, const QString &label, const QString &toolTip, const QString &value)
{
    auto *caption = new QLabel(label, ui->optionsArea);
    auto *edit = new QLineEdit(value, ui->optionsArea);
    edit->setObjectName(QStringLiteral("text_") + key);
    edit->setToolTip(toolTip);
    caption->setBuddy(edit);
    ui->optionsLayout->addWidget(caption);
    ui->optionsLayout->addWidget(edit);
    ui->optionsArea->show();
    m_texts.insert(key, edit);
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, last = value]() mutable {
        if (edit->text() == last)
            return;
        last = edit->text();
        emit optionsChanged();
    });
    return edit;
}

QHash<QString, QString> PlanPreviewDialog::values() const
{
    QHash<QString, QString> values;
    for (auto it = m_texts.cbegin(); it != m_texts.cend(); ++it)
        values.insert(it.key(), it.value()->text().trimmed());
    for (auto it = m_flags.cbegin(); it != m_flags.cend(); ++it)
        values.insert(it.key(), it.value()->isChecked() ? QStringLiteral("1") : QStringLiteral("0"));
    for (auto it = m_lists.cbegin(); it != m_lists.cend(); ++it) {
        QStringList checked;
        for (int i = 0; i < it.value()->count(); ++i) {
            if (it.value()->item(i)->checkState() == Qt::Checked)
                checked << it.value()->item(i)->text();
        }
        values.insert(it.key(), checked.join(QLatin1Char(',')));
    }
    return values;
}

void PlanPreviewDialog::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    ui->statusLabel->setText(status);
    for (QCheckBox *box : std::as_const(m_flags))
        box->setEnabled(!busy);
    for (QListWidget *list : std::as_const(m_lists))
        list->setEnabled(!busy);
    updateRunButton();
}

void PlanPreviewDialog::setPlanText(const QString &text, const QStringList &blockers)
{
    ui->planText->setPlainText(text);
    m_blockers = blockers;
    if (blockers.isEmpty()) {
        ui->blockersLabel->hide();
    } else {
        QString html = tr("<b style='color:#c0392b'>This cannot run yet:</b><ul>");
        for (const QString &b : blockers)
            html += QStringLiteral("<li>%1</li>").arg(b.toHtmlEscaped());
        ui->blockersLabel->setText(html + QStringLiteral("</ul>"));
        ui->blockersLabel->show();
    }
    updateRunButton();
}

QString PlanPreviewDialog::planText() const
{
    return ui->planText->toPlainText();
}

void PlanPreviewDialog::updateRunButton()
{
    m_run->setEnabled(!m_busy && m_blockers.isEmpty() && !ui->planText->toPlainText().isEmpty());
    m_rehearse->setEnabled(m_run->isEnabled());
}
