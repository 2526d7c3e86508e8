#pragma once

#include "migrationgraphview.h"

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;

// The migration graph with its controls: Graph / Timeline, zoom in / out / fit / 100 %, compact
// lanes, and a search that centres on the first matching node (Enter again: the next).
class GraphPanel : public QWidget
{
    Q_OBJECT
public:
    explicit GraphPanel(QWidget *parent = nullptr);

    MigrationGraphView *view() const { return m_view; }
    void setData(const MigrationGraph &graph, const StatusSnapshot &snapshot);
    QAction *graphModeAction() const { return m_graphMode; }
    QAction *timelineModeAction() const { return m_timelineMode; }
    QAction *foldDjangoAction() const { return m_foldDjango; }
    QAction *compactLanesAction() const { return m_compact; }
    QAction *fitAction() const { return m_fit; }
    QLineEdit *searchEdit() const { return m_search; }
    QString captionText() const;

private:
    void updateSummary();
    void exportGraph();
    void search();

    MigrationGraphView *m_view;
    QAction *m_graphMode;
    QAction *m_timelineMode;
    QLabel *m_summary;
    QLabel *m_zoomLabel;
    QLabel *m_caption;
    QAction *m_foldDjango = nullptr;
    QAction *m_export = nullptr;
    QAction *m_compact = nullptr;
    QAction *m_fit = nullptr;
    QLineEdit *m_search = nullptr;
};
