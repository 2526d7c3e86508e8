// MigrationGraphView on graphs built by hand: a 1,000-node graph lays out quickly with one item
// per node, renders, and keeps the structure's facts (columns per app, dependencies above their
// dependents, cross-app and inconsistent edges counted); timeline mode orders by applied time.
#include "gui/graphpanel.h"
#include "gui/migrationgraphview.h"
#include "gui/migrationstatestyle.h"
#include "scan/migrationfileparser.h"
#include "status/declaredgraph.h"
#include "status/statusreconciler.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QThreadPool>
#include <QtTest>

#include <memory>

namespace {

const QDateTime kStart(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC);

// apps × perApp migrations; each depends on its predecessor, every 5th also on the previous
// app's migration of the same number (a cross-app edge). The last `pending` of each app are
// not applied. Applied times: app by app, one second apart, runs an hour apart per app.
void build(int apps, int perApp, int pending, MigrationGraph *graph, StatusSnapshot *snapshot)
{
    for (int a = 0; a < apps; ++a) {
        const QString app = QStringLiteral("app_%1").arg(a, 2, 10, QLatin1Char('0'));
        for (int m = 1; m <= perApp; ++m) {
            MigrationNode node;
            node.app = app;
            node.name = QStringLiteral("%1_step").arg(m, 4, 10, QLatin1Char('0'));
            node.applied = m <= perApp - pending;
            if (m > 1)
                node.dependencies << MigrationGraph::makeKey(app, QStringLiteral("%1_step").arg(m - 1, 4, 10, QLatin1Char('0')));
            if (a > 0 && m % 5 == 0)
                node.dependencies << MigrationGraph::makeKey(QStringLiteral("app_%1").arg(a - 1, 2, 10, QLatin1Char('0')),
                                                             QStringLiteral("%1_step").arg(m, 4, 10, QLatin1Char('0')));
            QVERIFY(graph->addNode(node));
            MigrationRow row;
            row.app = node.app;
            row.name = node.name;
            row.state = node.applied ? MigrationState::Applied : MigrationState::Pending;
            if (node.applied)
                row.applied = kStart.addSecs(a * 3600 + m);
            snapshot->rows << row;
        }
    }
}

bool rendersSomething(QWidget *w)
{
    const QImage image = w->grab().toImage();
    if (image.isNull())
        return false;
    const QRgb first = image.pixel(0, 0);
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            if (image.pixel(x, y) != first)
                return true;
        }
    }
    return false;
}

void saveShot(QWidget *w, const QString &name)
{
    const QByteArray dir = qgetenv("MIGRATIONDESK_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w->grab().save(QFile::decodeName(dir) + QLatin1Char('/') + name);
}

} // namespace

class TestMigrationGraphView : public QObject
{
    Q_OBJECT

private slots:
    // The broken demo before Diagnose: the files' own graph (DeclaredGraph) gives the edges, and the
    // applied flows.0003 whose dependency's row is gone is Inconsistent, its edge the alarm edge.
    void declaredGraphShowsEdgesAndInconsistencyAtLoad()
    {
        auto file = [](const char *app, const char *name, const QByteArray &deps) {
            MigrationFile f{QString::fromLatin1(app), QString::fromLatin1(name),
                            QStringLiteral("b/%1/migrations/%2.py").arg(QLatin1String(app), QLatin1String(name)), {}};
            f.declaration = MigrationFileParser::parse("class Migration(migrations.Migration):\n    dependencies = " + deps + "\n");
            return f;
        };
        MigrationFileScan scan;
        scan.apps = {QStringLiteral("conversations"), QStringLiteral("flows")};
        scan.files = {file("conversations", "0001_initial", "[('contenttypes', '__first__')]"),
                      file("conversations", "0003_x", "[('conversations', '0001_initial')]"),
                      file("flows", "0001_initial", "[]"),
                      file("flows", "0003_y", "[('flows', '0001_initial'), ('conversations', '0003_x')]")};
        QList<MigrationRecord> records;
        int id = 0;
        for (const char *key : {"auth.0001_initial", "auth.0002_x", "contenttypes.0001_initial", "conversations.0001_initial",
                                "flows.0001_initial", "flows.0003_y"}) {
            const QString k = QString::fromLatin1(key);
            records << MigrationRecord{++id, k.section(QLatin1Char('.'), 0, 0), k.section(QLatin1Char('.'), 1), kStart.addSecs(id)};
        }
        const StatusSnapshot snapshot = StatusReconciler::reconcile(records, scan);
        const MigrationGraph graph = DeclaredGraph::fromSnapshot(snapshot);
        QCOMPARE(graph.size(), 5); // four files and contenttypes.0001, which one of them names
        // Topological: every dependency comes before its dependent.
        for (const MigrationNode &n : graph.nodes()) {
            for (const QString &d : n.dependencies)
                QVERIFY2(graph.planIndex(d) < graph.planIndex(n.key()), qPrintable(n.key() + QStringLiteral(" after ") + d));
        }
        QCOMPARE(graph.inconsistentPairs(), (QList<QPair<QString, QString>>{{QStringLiteral("flows.0003_y"), QStringLiteral("conversations.0003_x")}}));

        MigrationGraphView view;
        view.resize(900, 600);
        view.setDataSynchronously(graph, snapshot);
        QCOMPARE(view.edgeCount(), 4);
        QCOMPARE(view.inconsistentEdgeCount(), 1);
        QVERIFY(view.crossAppEdgeCount() >= 2);
        bool authSummarised = false;
        for (const MigrationGraphView::Node &n : view.nodes()) {
            if (n.key == QLatin1String("flows.0003_y"))
                QCOMPARE(n.state, MigrationState::Inconsistent);
            QVERIFY2(n.key != QLatin1String("auth.0001_initial"), "auth's rows, named by no migration, are one node");
            if (n.app == QLatin1String("auth")) {
                QCOMPARE(n.summarisedRows, 2);
                QCOMPARE(n.state, MigrationState::External);
                authSummarised = true;
            }
        }
        QVERIFY(authSummarised);
        // Django's apps share the folded lane; the caption names the broken pair.
        QCOMPARE(view.lanes().constFirst(), MigrationGraphView::djangoLaneName());
        QCOMPARE(view.caption(), QStringLiteral("flows.0003 is applied but needs conversations.0003, which is not"));
    }

    // Before the doctor ran (no graph): 100k status rows in 20 apps, 1,000 of them with a file,
    // some keys twice. The nodes are built off the GUI thread and bounded by migrations: one per
    // key with a file, loose rows up to the caps, one summary node per app for the rest.
    void bigSnapshotIsBoundedAndBuiltOffThread()
    {
        StatusSnapshot snapshot;
        int looseRows = 0;
        for (int a = 0; a < 20; ++a) {
            for (int m = 0; m < 5000; ++m) {
                MigrationRow row;
                row.app = QStringLiteral("app%1").arg(a, 2, 10, QLatin1Char('0'));
                row.name = QStringLiteral("%1_migration").arg(m, 4, 10, QLatin1Char('0'));
                row.recordId = a * 5000 + m + 1;
                row.applied = kStart.addSecs(row.recordId);
                const bool hasFile = a < 10 && m < 100;
                row.state = hasFile ? MigrationState::Applied : a < 10 ? MigrationState::Orphan : MigrationState::External;
                if (hasFile)
                    row.file = QStringLiteral("backend/%1/migrations/%2.py").arg(row.app, row.name);
                else
                    ++looseRows;
                snapshot.rows << row;
                if (hasFile && m % 10 == 0) { // the same migration recorded twice
                    row.recordId += 1000000;
                    snapshot.rows << row;
                }
            }
        }
        GraphPanel panel;
        MigrationGraphView *view = panel.view();
        QSignalSpy changed(view, &MigrationGraphView::nodesChanged);
        panel.setData(MigrationGraph(), snapshot);
        QVERIFY(view->isBuilding());
        QCOMPARE(view->nodeCount(), 0); // nothing was scanned on the GUI thread
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 30000);
        QVERIFY(!view->isBuilding());
        const int loose = MigrationGraphView::DefaultLooseNodes;
        QCOMPARE(view->nodeCount(), 1000 + loose + 20);
        int summarised = 0, summaries = 0, withFile = 0;
        QSet<QString> keys;
        for (const MigrationGraphView::Node &n : view->nodes()) {
            QVERIFY2(!keys.contains(n.key), qPrintable(n.key));
            keys.insert(n.key);
            summarised += n.summarisedRows;
            summaries += n.summarisedRows > 0 ? 1 : 0;
            withFile += n.state == MigrationState::Applied ? 1 : 0;
        }
        QCOMPARE(withFile, 1000);
        QCOMPARE(summaries, 20);
        QCOMPARE(summarised, looseRows - loose);
        QVERIFY(view->nodeToolTip(QStringLiteral("app15.…")).contains(QLatin1String("5000 more")));
        QVERIFY(rendersSomething(view));
        // The layout came with the nodes from the thread pool: lanes, layers, the time axis and
        // the tooltips, one per node.
        const MigrationGraphView::Layout &layout = view->layout();
        QCOMPARE(layout.lanes.size(), 20);
        QCOMPARE(layout.layer.size(), view->nodeCount());
        QCOMPARE(layout.toolTips.size(), view->nodeCount());
        QCOMPARE(layout.applied.size() + layout.unapplied.size(), view->nodeCount());
        QVERIFY(!layout.batches.isEmpty());

        // A newer, small setData() wins over a big one still being built.
        StatusSnapshot small;
        small.rows = snapshot.rows.mid(0, 10);
        view->setData(MigrationGraph(), snapshot);
        QVERIFY(view->isBuilding());
        view->setData(MigrationGraph(), small);
        QCOMPARE(view->nodeCount(), 9); // app00.0000_migration is in there twice: one node
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        QCoreApplication::processEvents();
        QCOMPARE(view->nodeCount(), 9);
        QCOMPARE(changed.size(), 2);
    }

    void thousandNodesLayOutAndRender()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(20, 50, 3, &graph, &snapshot);
        QCOMPARE(graph.size(), 1000);

        MigrationGraphView view;
        view.resize(1200, 800);
        QElapsedTimer timer;
        timer.start();
        view.setData(graph, snapshot);
        const qint64 ms = timer.elapsed();
        qInfo("graph of 1000 nodes laid out in %lld ms", ms);
        QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
        QCOMPARE(view.nodeCount(), 1000);
        // one per predecessor (49 × 20) + one per 5th migration of apps 1..19 (10 × 19)
        QCOMPARE(view.edgeCount(), 49 * 20 + 10 * 19);
        QCOMPARE(view.crossAppEdgeCount(), 10 * 19);
        QCOMPARE(view.inconsistentEdgeCount(), 0);
        QCOMPARE(view.apps().size(), 20);
        int nodeItems = 0;
        for (QGraphicsItem *item : view.scene()->items())
            nodeItems += item->data(0).toString().isEmpty() ? 0 : 1;
        QCOMPARE(nodeItems, 1000);

        // Columns per app, every dependency above its dependent.
        const QPointF a0 = view.nodePosition(QStringLiteral("app_00.0001_step"));
        const QPointF a1 = view.nodePosition(QStringLiteral("app_01.0001_step"));
        QVERIFY(a1.x() > a0.x());
        QCOMPARE(view.nodePosition(QStringLiteral("app_00.0050_step")).x(), a0.x());
        for (const MigrationGraphView::Node &n : view.nodes()) {
            for (const QString &d : n.dependencies)
                QVERIFY2(view.nodePosition(d).y() < view.nodePosition(n.key).y(), qPrintable(n.key + QStringLiteral(" / ") + d));
        }
        const QString tip = view.nodeToolTip(QStringLiteral("app_03.0007_step"));
        QVERIFY2(tip.contains(QLatin1String("app_03.0007_step")), qPrintable(tip));
        QVERIFY2(tip.contains(QLatin1String("2026-03-01")), qPrintable(tip));

        timer.restart();
        QVERIFY(rendersSomething(&view));
        view.fitAll();
        QVERIFY(view.zoom() < 1.0);
        QVERIFY(rendersSomething(&view));
        qInfo("two renders of 1000 nodes in %lld ms", timer.elapsed());

        timer.restart();
        view.setMode(MigrationGraphView::Mode::Timeline);
        QCOMPARE(view.nodeCount(), 1000);
        qInfo("timeline of 1000 nodes laid out in %lld ms", timer.elapsed());
        QVERIFY(rendersSomething(&view));
    }

    // Folding or unfolding lanes of a graph too big to lay out at once goes to the thread pool
    // too; a result for the former folding is laid out again.
    void relayoutOfABigGraphIsOffThread()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(30, 80, 5, &graph, &snapshot);
        for (const char *app : {"auth", "contenttypes"}) { // Django's own: one lane when folded
            MigrationNode node;
            node.app = QString::fromLatin1(app);
            node.name = QStringLiteral("0001_initial");
            node.applied = true;
            QVERIFY(graph.addNode(node));
        }
        QVERIFY(graph.size() > MigrationGraphView::SynchronousLimit);
        MigrationGraphView view;
        view.resize(800, 600);
        QSignalSpy changed(&view, &MigrationGraphView::nodesChanged);
        view.setData(graph, snapshot);
        QVERIFY(view.isBuilding());
        view.setFoldDjangoApps(false); // while the job runs: its result is laid out again
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBuilding() && changed.size() >= 1, 30000);
        QCOMPARE(view.nodeCount(), 2402);
        QVERIFY(view.lanes().contains(QStringLiteral("auth")));
        QVERIFY(!view.lanes().contains(MigrationGraphView::djangoLaneName()));
        changed.clear();
        view.setFoldDjangoApps(true);
        QVERIFY(view.isBuilding());
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 30000);
        QVERIFY(!view.isBuilding());
        QVERIFY(view.lanes().contains(MigrationGraphView::djangoLaneName()));
        // Toggled twice while a relayout runs: the last folding wins.
        changed.clear();
        view.setFoldDjangoApps(false);
        view.setFoldDjangoApps(true);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBuilding() && changed.size() >= 1, 30000);
        QVERIFY(view.lanes().contains(MigrationGraphView::djangoLaneName()));
        QVERIFY(!view.lanes().contains(QStringLiteral("auth")));
        QCOMPARE(view.layout().layer.size(), 2402);
        for (const MigrationGraphView::Node &n : view.nodes()) {
            for (const QString &d : n.dependencies)
                QVERIFY(view.nodePosition(d).y() < view.nodePosition(n.key).y());
        }
    }

    void statesEdgesAndOrphans()
    {
        MigrationGraph graph;
        auto add = [&](const QString &app, const QString &name, bool applied, const QStringList &deps) {
            MigrationNode n;
            n.app = app;
            n.name = name;
            n.applied = applied;
            n.dependencies = deps;
            graph.addNode(n);
        };
        add(QStringLiteral("contenttypes"), QStringLiteral("0001_initial"), true, {});
        add(QStringLiteral("auth"), QStringLiteral("0001_initial"), true, {QStringLiteral("contenttypes.0001_initial")});
        add(QStringLiteral("flows"), QStringLiteral("0001_initial"), true, {QStringLiteral("auth.0001_initial")});
        add(QStringLiteral("flows"), QStringLiteral("0002_auto_20261124_0227"), false, {QStringLiteral("flows.0001_initial")});
        add(QStringLiteral("conversations"), QStringLiteral("0001_initial"), true, {QStringLiteral("flows.0001_initial")});
        add(QStringLiteral("conversations"), QStringLiteral("0002_message"), true, {QStringLiteral("conversations.0001_initial")});
        add(QStringLiteral("conversations"), QStringLiteral("0003_message_sent_by_step"), true,
            {QStringLiteral("conversations.0002_message"), QStringLiteral("flows.0002_auto_20261124_0227")});
        add(QStringLiteral("flows"), QStringLiteral("0003_flowcontext"), true,
            {QStringLiteral("conversations.0003_message_sent_by_step"), QStringLiteral("flows.0002_auto_20261124_0227")});
        add(QStringLiteral("flows"), QStringLiteral("0004_pending"), false, {QStringLiteral("flows.0003_flowcontext")});

        StatusSnapshot snapshot;
        int second = 0;
        for (const MigrationNode &n : graph.nodes()) {
            MigrationRow row;
            row.app = n.app;
            row.name = n.name;
            row.state = n.applied ? MigrationState::Applied : MigrationState::Pending;
            if (n.applied)
                row.applied = kStart.addSecs(++second);
            snapshot.rows << row;
        }
        MigrationRow orphan;
        orphan.app = QStringLiteral("flows");
        orphan.name = QStringLiteral("0099_from_other_branch");
        orphan.state = MigrationState::Orphan;
        orphan.applied = kStart.addDays(1);
        snapshot.rows << orphan;

        GraphPanel panel;
        panel.resize(1100, 640);
        panel.setData(graph, snapshot);
        MigrationGraphView *view = panel.view();
        QCOMPARE(view->nodeCount(), 10);
        QCOMPARE(view->apps(), (QStringList{QStringLiteral("contenttypes"), QStringLiteral("auth"),
                                            QStringLiteral("flows"), QStringLiteral("conversations")}));
        // conv.0003 and flows.0003 are applied while flows.0002 is not.
        QCOMPARE(view->inconsistentEdgeCount(), 2);
        QCOMPARE(view->crossAppEdgeCount(), 5);
        auto stateOf = [&](const QString &key) {
            for (const MigrationGraphView::Node &n : view->nodes()) {
                if (n.key == key)
                    return n.state;
            }
            return MigrationState::StateCount;
        };
        QCOMPARE(stateOf(QStringLiteral("flows.0003_flowcontext")), MigrationState::Inconsistent);
        QCOMPARE(stateOf(QStringLiteral("conversations.0003_message_sent_by_step")), MigrationState::Inconsistent);
        QCOMPARE(stateOf(QStringLiteral("flows.0002_auto_20261124_0227")), MigrationState::Pending);
        QCOMPARE(stateOf(QStringLiteral("flows.0099_from_other_branch")), MigrationState::Orphan);
        QVERIFY(view->nodeToolTip(QStringLiteral("flows.0099_from_other_branch")).contains(QLatin1String("no file")));
        QVERIFY(view->nodeToolTip(QStringLiteral("flows.0002_auto_20261124_0227")).contains(QLatin1String("Not applied")));
        QVERIFY(rendersSomething(&panel));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        saveShot(&panel, QStringLiteral("graph.png"));

        // Lanes: Django's own apps folded into one, then the apps in dependency order (flows and
        // conversations depend on each other: the first in plan order breaks the cycle).
        QCOMPARE(view->lanes(), (QStringList{MigrationGraphView::djangoLaneName(), QStringLiteral("flows"), QStringLiteral("conversations")}));
        QCOMPARE(view->nodePosition(QStringLiteral("auth.0001_initial")).x(), view->nodePosition(QStringLiteral("contenttypes.0001_initial")).x());
        // The caption says what is wrong, before anything is pressed.
        QCOMPARE(view->caption(), QStringLiteral("conversations.0003 is applied but needs flows.0002, which is not "
                                                 "(and 1 more applied before their dependency)"));
        QCOMPARE(panel.captionText(), view->caption());
        // The orphan sits in the "no file" gutter, under every migration Django knows.
        const qreal orphanY = view->nodePosition(QStringLiteral("flows.0099_from_other_branch")).y();
        for (const MigrationGraphView::Node &n : view->nodes()) {
            if (n.key != QLatin1String("flows.0099_from_other_branch"))
                QVERIFY2(view->nodePosition(n.key).y() < orphanY, qPrintable(n.key));
        }
        // Click selects (and says so); selecting from outside does not echo.
        QSignalSpy selected(view, &MigrationGraphView::migrationSelected);
        const QPoint at = view->mapFromScene(view->nodePosition(QStringLiteral("flows.0003_flowcontext")));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().first().toString(), QStringLiteral("flows.0003_flowcontext"));
        QVERIFY(view->selectMigration(QStringLiteral("auth.0001_initial")));
        QCOMPARE(view->selectedMigration(), QStringLiteral("auth.0001_initial"));
        QCOMPARE(selected.count(), 1);
        QVERIFY(!view->selectMigration(QStringLiteral("nope.0001")));
        // Export: a PNG that loads, an SVG with the migrations' names in it.
        QTemporaryDir out;
        QString error;
        QVERIFY2(view->exportTo(out.filePath(QStringLiteral("g.png")), &error), qPrintable(error));
        const QImage png(out.filePath(QStringLiteral("g.png")));
        QVERIFY(png.width() > 400 && png.height() > 200);
        QVERIFY2(view->exportTo(out.filePath(QStringLiteral("g.svg")), &error), qPrintable(error));
        QFile svg(out.filePath(QStringLiteral("g.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("0003_flowcontext"));
        QCOMPARE(view->selectedMigration(), QStringLiteral("auth.0001_initial")); // the selection came back
        // Unfolded: one lane per Django app, contenttypes before auth (auth needs it).
        panel.foldDjangoAction()->trigger();
        QCOMPARE(view->lanes(), (QStringList{QStringLiteral("contenttypes"), QStringLiteral("auth"), QStringLiteral("flows"),
                                             QStringLiteral("conversations")}));
        panel.foldDjangoAction()->trigger();

        // Timeline: applied ones left to right by time, unapplied after them.
        panel.timelineModeAction()->trigger();
        QCOMPARE(view->mode(), MigrationGraphView::Mode::Timeline);
        QVERIFY(view->nodePosition(QStringLiteral("contenttypes.0001_initial")).x()
                < view->nodePosition(QStringLiteral("flows.0003_flowcontext")).x());
        QVERIFY(view->nodePosition(QStringLiteral("flows.0003_flowcontext")).x()
                < view->nodePosition(QStringLiteral("flows.0099_from_other_branch")).x());
        QVERIFY(view->nodePosition(QStringLiteral("flows.0099_from_other_branch")).x()
                < view->nodePosition(QStringLiteral("flows.0002_auto_20261124_0227")).x());
        QCOMPARE(view->inconsistentEdgeCount(), 2);
        QVERIFY(rendersSomething(&panel));
        saveShot(&panel, QStringLiteral("timeline.png"));
    }

    // Timeline: rows applied within seconds are one batch (one migrate run); a run ten minutes
    // later is another, with the pause on the axis; an out-of-order row keeps its flag.
    void timelineGroupsRunsIntoBatches()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        const QList<std::pair<const char *, int>> rows = {{"a.0001_initial", 0}, {"a.0002_x", 1}, {"b.0001_initial", 2},
                                                          {"b.0002_y", 600}, {"a.0003_late", 601}};
        for (const auto &[key, secs] : rows) {
            MigrationNode n;
            n.app = QString::fromLatin1(key).section(QLatin1Char('.'), 0, 0);
            n.name = QString::fromLatin1(key).section(QLatin1Char('.'), 1);
            n.applied = true;
            graph.addNode(n);
            MigrationRow r;
            r.app = n.app;
            r.name = n.name;
            r.state = MigrationState::Applied;
            r.recordId = secs + 1;
            r.applied = kStart.addSecs(secs);
            r.outOfOrder = secs == 601;
            snapshot.rows << r;
        }
        MigrationGraphView view;
        view.resize(900, 400);
        view.setDataSynchronously(graph, snapshot);
        view.setMode(MigrationGraphView::Mode::Timeline);
        QCOMPARE(view.batches().size(), 2);
        QCOMPARE(view.batches().at(0).count, 3);
        QCOMPARE(view.batches().at(1).count, 2);
        QCOMPARE(view.batches().at(0).pauseAfterSecs, 598);
        QCOMPARE(view.batches().at(1).start, kStart.addSecs(600));
        QVERIFY(view.batches().at(1).startX > view.batches().at(0).endX + 34); // the pause is visible
        QVERIFY(view.nodePosition(QStringLiteral("b.0002_y")).x() < view.nodePosition(QStringLiteral("a.0003_late")).x());
        bool flagged = false;
        for (const MigrationGraphView::Node &n : view.nodes())
            flagged = flagged || (n.key == QLatin1String("a.0003_late") && n.outOfOrder);
        QVERIFY(flagged);
        QVERIFY(rendersSomething(&view));
    }

    // Lanes follow the apps' dependencies, not plan order or the alphabet.
    void lanesInDependencyOrder()
    {
        QList<MigrationGraphView::Node> nodes;
        auto node = [&](const char *key, QStringList deps) {
            MigrationGraphView::Node n;
            n.key = QString::fromLatin1(key);
            n.app = n.key.section(QLatin1Char('.'), 0, 0);
            n.name = n.key.section(QLatin1Char('.'), 1);
            n.dependencies = deps;
            nodes << n;
        };
        node("x.0001_initial", {});
        node("sessions.0001_initial", {});
        node("y.0001_initial", {});
        node("x.0002_needs_y", {QStringLiteral("x.0001_initial"), QStringLiteral("y.0001_initial")});
        QHash<QString, int> laneOf;
        const QStringList apps{QStringLiteral("x"), QStringLiteral("sessions"), QStringLiteral("y")};
        QCOMPARE(MigrationGraphView::laneOrder(nodes, apps, true, &laneOf),
                 (QStringList{MigrationGraphView::djangoLaneName(), QStringLiteral("y"), QStringLiteral("x")}));
        QCOMPARE(laneOf.value(QStringLiteral("x")), 2);
        QCOMPARE(MigrationGraphView::laneOrder(nodes, apps, false, &laneOf),
                 (QStringList{QStringLiteral("sessions"), QStringLiteral("y"), QStringLiteral("x")}));
        QCOMPARE(MigrationGraphView::shortKey(QStringLiteral("flows.0003_flowcontext")), QStringLiteral("flows.0003"));
    }

    // An orphan explains itself: its provenance under the box, in the tooltip and the caption.
    void orphanCaptionNamesItsProvenance()
    {
        StatusSnapshot snapshot;
        MigrationRow row;
        row.app = QStringLiteral("flows");
        row.name = QStringLiteral("0099_other_branch");
        row.state = MigrationState::Orphan;
        row.recordId = 1;
        row.applied = kStart;
        snapshot.rows << row;
        MigrationProvenance p;
        p.onBranches = {QStringLiteral("origin/feature")};
        p.deletedIn = {QStringLiteral("0123456789abcdef0123456789abcdef01234567"), kStart, QStringLiteral("Remove all migrations")};
        snapshot.provenance.insert(row.key(), p);
        MigrationGraphView view;
        view.setDataSynchronously(MigrationGraph(), snapshot);
        QVERIFY2(view.caption().startsWith(QStringLiteral("flows.0099 is recorded as applied but has no file (file on origin/feature · deleted in 0123456789 ")),
                 qPrintable(view.caption()));
        QVERIFY(view.nodeToolTip(row.key()).contains(QLatin1String("Its file is on origin/feature")));
        QVERIFY(view.nodeToolTip(row.key()).contains(QLatin1String("Remove all migrations")));
    }

    // The node menu offers the table's per-migration operations and the file; right-click
    // selects the node first (the table follows through migrationSelected()).
    void nodeMenuOffersPerMigrationActions()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(3, 10, 2, &graph, &snapshot);
        for (MigrationRow &row : snapshot.rows)
            row.file = QStringLiteral("%1/migrations/%2.py").arg(row.app, row.name);
        MigrationRow orphan;
        orphan.app = QStringLiteral("app_01");
        orphan.name = QStringLiteral("0099_gone");
        orphan.state = MigrationState::Orphan;
        orphan.applied = kStart;
        snapshot.rows << orphan;
        MigrationGraphView view;
        view.resize(900, 600);
        view.setData(graph, snapshot);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QString key = QStringLiteral("app_01.0003_step");
        std::unique_ptr<QMenu> menu(view.createNodeMenu(key));
        QVERIFY(menu);
        QStringList texts;
        QHash<QString, QAction *> byText;
        for (QAction *a : menu->actions()) {
            if (!a->isSeparator() && !a->text().isEmpty()) {
                texts << a->text();
                byText.insert(a->text(), a);
            }
        }
        const QStringList expected = {QStringLiteral("Open Migration &File"),
                                      QStringLiteral("Migrate app_01 Up To This Migration…"),
                                      QStringLiteral("Unapply Every Migration of app_01…"),
                                      QStringLiteral("Record app_01 Up To This Migration Without Running It (--fake)…"),
                                      QStringLiteral("Show Its SQL (sqlmigrate)")};
        for (const QString &t : expected)
            QVERIFY2(texts.contains(t), qPrintable(texts.join(QLatin1Char('|'))));

        QSignalSpy operations(&view, &MigrationGraphView::operationRequested);
        QSignalSpy files(&view, &MigrationGraphView::openFileRequested);
        using Values = QHash<QString, QString>;
        byText.value(expected.at(1))->trigger();
        byText.value(expected.at(2))->trigger();
        byText.value(expected.at(3))->trigger();
        byText.value(expected.at(4))->trigger();
        byText.value(expected.at(0))->trigger();
        QCOMPARE(operations.size(), 4);
        QCOMPARE(operations.at(0).at(0).toString(), QStringLiteral("migrate"));
        QCOMPARE(operations.at(0).at(1).value<Values>(),
                 (Values{{QStringLiteral("app"), QStringLiteral("app_01")}, {QStringLiteral("to"), QStringLiteral("0003_step")}}));
        QCOMPARE(operations.at(1).at(1).value<Values>(),
                 (Values{{QStringLiteral("app"), QStringLiteral("app_01")}, {QStringLiteral("to"), QStringLiteral("zero")}}));
        QCOMPARE(operations.at(2).at(1).value<Values>(),
                 (Values{{QStringLiteral("app"), QStringLiteral("app_01")}, {QStringLiteral("to"), QStringLiteral("0003_step")},
                         {QStringLiteral("fake"), QStringLiteral("1")}}));
        QCOMPARE(operations.at(3).at(0).toString(), QStringLiteral("sqlmigrate"));
        QCOMPARE(operations.at(3).at(1).value<Values>(),
                 (Values{{QStringLiteral("app"), QStringLiteral("app_01")}, {QStringLiteral("name"), QStringLiteral("0003_step")}}));
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.first().first().toString(), key);

        // A row without a file: nothing Django could run, no file to open.
        std::unique_ptr<QMenu> orphanMenu(view.createNodeMenu(QStringLiteral("app_01.0099_gone")));
        QVERIFY(orphanMenu);
        int enabled = 0;
        for (QAction *a : orphanMenu->actions())
            enabled += !a->isSeparator() && a->isEnabled() && !a->text().isEmpty() && a->text() != QLatin1String("app_01.0099") ? 1 : 0;
        QCOMPARE(enabled, 0);
        QVERIFY(!view.createNodeMenu(QStringLiteral("nope.0001")));

        // Right-click on a node: it is selected (migrationSelected) and its menu pops up.
        QSignalSpy selected(&view, &MigrationGraphView::migrationSelected);
        const QString other = QStringLiteral("app_02.0004_step");
        const QPoint at = view.mapFromScene(view.nodePosition(other));
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view.viewport()->mapToGlobal(at));
        QApplication::sendEvent(view.viewport(), &event);
        QCOMPARE(view.selectedMigration(), other);
        QVERIFY(!selected.isEmpty());
        QCOMPARE(selected.last().first().toString(), other);
        QMenu *popup = view.findChild<QMenu *>(QStringLiteral("graphNodeMenu"));
        QVERIFY(popup);
        QTRY_VERIFY(popup->isVisible());
        bool migrateOther = false;
        for (QAction *a : popup->actions())
            migrateOther = migrateOther || a->text() == QStringLiteral("Migrate app_02 Up To This Migration…");
        QVERIFY(migrateOther);
        popup->close();
    }

    // Enter in the panel's search centres on the first match, Enter again on the next; a search
    // without a match leaves the selection.
    void searchCentresOnNode()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(20, 50, 3, &graph, &snapshot);
        GraphPanel panel;
        panel.resize(900, 600);
        panel.setData(graph, snapshot);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        MigrationGraphView *view = panel.view();
        QSignalSpy selected(view, &MigrationGraphView::migrationSelected);
        QLineEdit *search = panel.searchEdit();
        QTest::keyClicks(search, QStringLiteral("APP_09.0030"));
        QTest::keyClick(search, Qt::Key_Return);
        const QString key = QStringLiteral("app_09.0030_step");
        QCOMPARE(view->selectedMigration(), key);
        QCOMPARE(selected.last().first().toString(), key);
        const QPointF centre = view->visibleSceneRect().center();
        const QPointF node = view->nodePosition(key);
        QVERIFY2(QLineF(centre, node).length() < 3, qPrintable(QStringLiteral("%1,%2 vs %3,%4").arg(centre.x()).arg(centre.y()).arg(node.x()).arg(node.y())));

        search->setText(QStringLiteral("0030_step"));
        QTest::keyClick(search, Qt::Key_Return);
        const QString first = view->selectedMigration();
        QVERIFY(first.endsWith(QLatin1String(".0030_step")));
        QTest::keyClick(search, Qt::Key_Return);
        const QString second = view->selectedMigration();
        QVERIFY(second.endsWith(QLatin1String(".0030_step")));
        QVERIFY2(second != first, qPrintable(first));
        QVERIFY(view->visibleSceneRect().contains(view->nodePosition(second)));

        search->setText(QStringLiteral("no_such_migration"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(view->selectedMigration(), second);
        QVERIFY(!search->styleSheet().isEmpty());
    }

    // Ctrl+0 fits; a graph whose full boxes would be unreadable at fit is shown in compact
    // lanes at a zoom where their labels are drawn; 1:1 goes back to the full boxes.
    void ctrlZeroFitsWithReadableCompactLanes()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(8, 12, 2, &graph, &snapshot);
        GraphPanel panel;
        panel.resize(900, 640);
        panel.setData(graph, snapshot);
        panel.show();
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        MigrationGraphView *view = panel.view();
        QVERIFY(!view->compactLanes());
        const QRectF full = view->scene()->sceneRect();
        const QSize vp = view->viewport()->size();
        const qreal fullFit = qMin(vp.width() / full.width(), vp.height() / full.height());
        QVERIFY2(fullFit < MigrationGraphView::FullLabelZoom, qPrintable(QString::number(fullFit)));

        view->setFocus();
        QTest::keyClick(view, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(view->compactLanes());
        QVERIFY(panel.compactLanesAction()->isChecked());
        QVERIFY2(view->zoom() >= MigrationGraphView::CompactLabelZoom, qPrintable(QString::number(view->zoom())));
        const qreal px = 3 / view->zoom(); // three pixels of rounding
        QVERIFY(view->visibleSceneRect().adjusted(-px, -px, px, px).contains(view->scene()->sceneRect()));
        QCOMPARE(view->nodeCount(), 96);
        // Every dependency still above its dependent; lanes narrower than the full boxes.
        for (const MigrationGraphView::Node &n : view->nodes()) {
            for (const QString &d : n.dependencies)
                QVERIFY(view->nodePosition(d).y() < view->nodePosition(n.key).y());
        }
        QVERIFY(view->scene()->sceneRect().width() < full.width() / 2);
        QVERIFY(!view->overview()->isVisible()); // all of it shows
        QVERIFY(rendersSomething(view));
        saveShot(&panel, QStringLiteral("graph-compact.png"));

        view->resetZoom();
        QVERIFY(!view->compactLanes());
        QCOMPARE(view->zoom(), 1.0);
        // The toggle chooses compact lanes by hand; 1:1 keeps that choice.
        panel.compactLanesAction()->trigger();
        QVERIFY(view->compactLanes());
        view->resetZoom();
        QVERIFY(view->compactLanes());
    }

    // The overview shows while the graph is larger than the view, frames the visible part and
    // moves the view where it is clicked.
    void overviewWhenLargerThanTheView()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(20, 50, 3, &graph, &snapshot);
        MigrationGraphView view;
        view.resize(700, 450);
        view.setData(graph, snapshot);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QWidget *overview = view.overview();
        QVERIFY(overview->isVisible());
        QVERIFY(overview->width() <= 204 && overview->height() <= 154);
        QVERIFY(view.viewport()->geometry().contains(overview->geometry()));
        QVERIFY(rendersSomething(overview));

        // A click in the middle of the overview centres the view on that part of the scene.
        const QRectF scene = view.scene()->sceneRect();
        const QPoint middle(overview->width() / 2, overview->height() / 2);
        QTest::mouseClick(overview, Qt::LeftButton, {}, middle);
        const QPointF centre = view.visibleSceneRect().center();
        QVERIFY2(qAbs(centre.x() - scene.center().x()) < scene.width() * 0.02
                     && qAbs(centre.y() - scene.center().y()) < scene.height() * 0.02,
                 qPrintable(QStringLiteral("%1,%2 vs %3,%4").arg(centre.x()).arg(centre.y()).arg(scene.center().x()).arg(scene.center().y())));

        view.fitAll();
        QVERIFY(!overview->isVisible());
        view.setZoom(1.0);
        QVERIFY(overview->isVisible());
        // A third of the view at most; a view too low for one (a docked strip) has none.
        view.resize(700, 100);
        QVERIFY(!overview->isVisible());
        view.resize(500, 400);
        QVERIFY(overview->isVisible());
        QVERIFY(overview->width() <= view.viewport()->width() / 3 + 2);
        QVERIFY(view.viewport()->geometry().contains(overview->geometry()));
        view.setDataSynchronously(MigrationGraph(), StatusSnapshot());
        QVERIFY(!overview->isVisible());
    }

    void ctrlWheelZooms()
    {
        MigrationGraph graph;
        StatusSnapshot snapshot;
        build(3, 10, 2, &graph, &snapshot);
        MigrationGraphView view;
        view.resize(600, 400);
        view.setData(graph, snapshot);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPointF at(200, 200);
        QWheelEvent plain(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &plain);
        QCOMPARE(view.zoom(), 1.0);
        QWheelEvent ctrl(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
                         Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &ctrl);
        QVERIFY2(view.zoom() > 1.1, qPrintable(QString::number(view.zoom())));
        QWheelEvent back(at, view.mapToGlobal(at), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::ControlModifier,
                         Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &back);
        QVERIFY(view.zoom() < 1.0);
    }
};

QTEST_MAIN(TestMigrationGraphView)
#include "tst_migrationgraphview.moc"
