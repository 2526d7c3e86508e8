#pragma once

#include "migrationgraphview.h"

#include <QWidget>

class QAction;
class QLabel;

// The migration graph with its controls: Graph / Timeline, zoom in / out / fit / 100 %.
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
    QString captionText() const;

private:
    void updateSummary();
    void exportGraph();

    MigrationGraphView *m_view;
    QAction *m_graphMode;
    QAction *m_timelineMode;
    QLabel *m_summary;
    QLabel *m_zoomLabel;
    QLabel *m_caption;
    QAction *m_foldDjango = nullptr;
    QAction *m_export = nullptr;
};
