#pragma once

#include <QDialog>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

class QCheckBox;
class QLabel;
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
    QCheckBox *flag(const QString &key) const { return m_flags.value(key); }
    // Makes a choice for the user and says why under the choices (optionsChanged() as a click).
    void suggestFlag(const QString &key, bool checked, const QString &why);
    QString note() const;
    QHash<QString, QString> values() const; // "1"/"0" per flag, the checked entries per list
    // Test hook: checks exactly these entries of the list key, as the user would one by one.
    void setChoices(const QString &key, const QStringList &checked);

    // While busy (reading facts) Run is disabled and the status says so.
    void setBusy(bool busy, const QString &status = QString());
    void setPlanText(const QString &text, const QStringList &blockers);
    QString planText() const;
    QStringList blockers() const { return m_blockers; }

    QPushButton *runButton() const { return m_run; }

signals:
    void optionsChanged();

private:
    void updateRunButton();

    std::unique_ptr<Ui::PlanPreviewDialog> ui;
    QPushButton *m_run = nullptr;
    QHash<QString, QCheckBox *> m_flags;
    QHash<QString, QListWidget *> m_lists;
    QStringList m_blockers;
    QLabel *m_note = nullptr;
    bool m_busy = false;
};
