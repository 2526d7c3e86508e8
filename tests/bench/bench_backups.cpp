// The Backups panel at 100, 300 and 1,000 backups (each a 64 KiB dump, a history snapshot,
// three migration files and its manifest, made by the test bed with BackupStore's own writer):
// the longest GUI-thread stall (5 ms heartbeat) from opening the project until the list is
// painted, and again for the reload after a destructive run added one backup, beside the
// reference of the same read done synchronously on the GUI thread as the panel used to
// (listAll + totalSize + setBackups + paint), measured in the same run.
//
// Usage: bench_backups    (QT_QPA_PLATFORM=offscreen is set when unset)
#include "gui/backupmodel.h"
#include "gui/backupspanel.h"
#include "safety/backupstore.h"
#include "testbed.h"
#include "benchsupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace {

// The former reload(): everything on the GUI thread, then the paint.
qint64 synchronousStall(const ProjectConfig &config, BackupModel *model, QWidget *view)
{
    QElapsedTimer t;
    t.start();
    const BackupStore store(config);
    model->setBackups(store.listAll());
    volatile qint64 total = store.totalSize();
    (void)total;
    view->repaint();
    QCoreApplication::processEvents();
    return t.elapsed();
}

// Ours: from the call until the list shows the folder and has painted.
qint64 asyncStall(BackupsPanel *panel, const std::function<void()> &start, qint64 *readyMs)
{
    StallMeter meter;
    QEventLoop loop;
    const auto connection = QObject::connect(panel, &BackupsPanel::loaded, &loop, [&] {
        QTimer::singleShot(30, &loop, &QEventLoop::quit); // let the view repaint
    });
    QElapsedTimer t;
    t.start();
    meter.start();
    start();
    loop.exec();
    const qint64 stall = meter.stop();
    *readyMs = t.elapsed() - 30;
    QObject::disconnect(connection);
    return stall;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir tmp;
    qputenv("MIGRATIONDESK_STATE_DIR", QFile::encodeName(tmp.filePath(QStringLiteral("state"))));

    std::printf("backups panel: longest GUI-thread stall until the list is painted (goal <= 50 ms)\n");
    std::printf("%8s %-22s %10s %10s %22s %9s\n", "backups", "", "stall ms", "ready ms", "sync read (former) ms", "ratio");
    bool met = true;
    for (const int count : {100, 300, 1000}) {
        ProjectConfig config;
        config.root = tmp.filePath(QStringLiteral("project%1").arg(count));
        config.db.name = QStringLiteral("hanna");
        QString error;
        if (TestBed::makeBackups(config, count, 64 * 1024, &error).size() != count) {
            std::fprintf(stderr, "setup failed: %s\n", qPrintable(error));
            return 1;
        }

        // Reference first (it also warms the page cache for both).
        BackupModel referenceModel;
        QTreeView referenceView;
        referenceView.setModel(&referenceModel);
        referenceView.resize(900, 500);
        referenceView.show();
        QCoreApplication::processEvents();
        const qint64 referenceOpen = synchronousStall(config, &referenceModel, &referenceView);

        BackupsPanel panel;
        panel.resize(900, 640);
        panel.show();
        QCoreApplication::processEvents();
        qint64 ready = 0;
        const qint64 open = asyncStall(&panel, [&] { panel.setProject(config); }, &ready);
        if (panel.model()->rowCount() != count) {
            std::fprintf(stderr, "listed %d of %d backups\n", panel.model()->rowCount(), count);
            return 1;
        }
        std::printf("%8d %-22s %10lld %10lld %22lld %8.3fx\n", count, "open project", open, ready, referenceOpen,
                    double(open) / double(std::max<qint64>(1, referenceOpen)));

        // A destructive run leaves one more backup: the owner reloads.
        TestBed::makeBackups(config, 1, 64 * 1024, &error, count);
        const qint64 referenceReload = synchronousStall(config, &referenceModel, &referenceView);
        const qint64 reload = asyncStall(&panel, [&] { panel.reload(); }, &ready);
        if (panel.model()->rowCount() != count + 1) {
            std::fprintf(stderr, "reload listed %d of %d backups\n", panel.model()->rowCount(), count + 1);
            return 1;
        }
        std::printf("%8d %-22s %10lld %10lld %22lld %8.3fx\n", count + 1, "reload after a run", reload, ready,
                    referenceReload, double(reload) / double(std::max<qint64>(1, referenceReload)));
        met = met && open <= 50 && reload <= 50;
    }
    std::printf("goal (no stall > 50 ms): %s\n", met ? "met" : "MISSED");
    return 0;
}
