#pragma once

#include <QDialog>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
namespace Ui { class PlanPreviewDialog; }

// Shows exactly what an operation will run (PlanRenderer's text: commands, SQL, file lists)
// before it runs, with the operation's few choices as check boxes. Run stays disabled while the
// facts are read and while anything blocks the plan; the blockers are listed in place.
class PlanPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PlanPreviewDialog(QWidget *parent = nullptr);
    ~PlanPreviewDialog() override;

    void setOperation(const QString &title, const QString &summary, bool destructive);
    // A choice of the operation (key of GuideOption): toggling it emits optionsChanged().
    QCheckBox *addFlag(const QString &key, const QString &label, const QString &toolTip, bool checked = false);
    // A choice among several (key of GuideOption, e.g. the apps of makemigrations): a checkable
    // list; its value is the checked entries, comma-separated (none: empty). Emits optionsChanged().
    QListWidget *addChoiceList(const QString &key, const QString &label, const QString &toolTip,
                               const QStringList &choices, const QStringList &checked = {});
    // A typed value (key of GuideOption, e.g. switch-branch's branch): emits optionsChanged() when
    // editing ends, so the facts are read once per value, not per keystroke.
    QLineEdit *addText(const QString &key, const QString &label, const QString &toolTip, const QString &value = QString());
    QCheckBox *flag(const QString &key) const { return m_flags.value(key); }
    // Makes a choice for the user and says why under the choices (optionsChanged() as a click).
    void suggestFlag(const QString &key, bool checked, const QString &why);
    QString note() const;
    QHash<QString, QString> values() const; // "1"/"0" per flag, the checked entries per list, the text per value
    // Test hook: checks exactly these entries of the list key, as the user would one by one.
    void setChoices(const QString &key, const QStringList &checked);

    // While busy (reading facts) Run is disabled and the status says so.
    void setBusy(bool busy, const QString &status = QString());
    void setPlanText(const QString &text, const QStringList &blockers);
    QString planText() const;
    QStringList blockers() const { return m_blockers; }

    QPushButton *runButton() const { return m_run; }
    QPushButton *rehearseButton() const { return m_rehearse; }

    // The dialog's result when the user asks for a rehearsal instead of the run.
    static constexpr int RehearseResult = 2;
    // A plan that migrates can be rehearsed on a scratch copy first. Until a rehearsal of this
    // very plan passed (passedAt valid), Run says it runs without one.
    void setRehearsal(bool available, const QString &passedAt = QString());

signals:
    void optionsChanged();

private:
    void updateRunButton();

    std::unique_ptr<Ui::PlanPreviewDialog> ui;
    QPushButton *m_run = nullptr;
    QPushButton *m_rehearse = nullptr;
    QString m_runText;
    QHash<QString, QCheckBox *> m_flags;
    QHash<QString, QListWidget *> m_lists;
    QHash<QString, QLineEdit *> m_texts;
    QStringList m_blockers;
    QLabel *m_note = nullptr;
    bool m_busy = false;
};
