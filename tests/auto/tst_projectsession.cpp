// The project session without a window: what applying a project announces and in which order,
// a project refused while a plan runs, a folder that is no project, the latest open winning over
// a detection still running, and the compose variant detected off the GUI thread and announced.
#include "gui/projectsession.h"
#include "guitestsupport.h"
#include "testbed.h"
#include "project/composecli.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

namespace {

ProjectConfig config(const QString &root, TargetKind target = TargetKind::Local)
{
    ProjectConfig c;
    c.root = root;
    c.backendDir = root;
    c.target = target;
    c.db.host = QStringLiteral("127.0.0.1");
    c.db.port = 1; // nothing listens: the lock says so, nothing here waits for it
    c.db.name = QStringLiteral("hanna");
    c.db.user = QStringLiteral("hanna");
    return c;
}

} // namespace

class TestProjectSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid() && m_state.isValid()); }
    void announcesInOrder();
    void refusedWhilePlanRuns();
    void folderWithoutManagePy();
    void latestOpenWins();
    void composeVariantTravelsWithTheDetectedConfig();

private:
    // Every signal of session by name, in the order they came; messages' texts into messages.
    void listen(ProjectSession &session);
    QStringList m_signals;
    QStringList m_messages;
    QTemporaryDir m_tmp;
    GuiTest::IsolatedState m_state;
};

void TestProjectSession::listen(ProjectSession &session)
{
    m_signals.clear();
    m_messages.clear();
    connect(&session, &ProjectSession::projectChanged, this, [this](const ProjectConfig &, bool other) {
        m_signals << (other ? QStringLiteral("projectChanged(other)") : QStringLiteral("projectChanged(same)"));
    });
    connect(&session, &ProjectSession::cannotOpen, this, [this] { m_signals << QStringLiteral("cannotOpen"); });
    connect(&session, &ProjectSession::opened, this, [this] { m_signals << QStringLiteral("opened"); });
    connect(&session, &ProjectSession::unfinishedRuns, this, [this] { m_signals << QStringLiteral("unfinishedRuns"); });
    connect(&session, &ProjectSession::warningsChanged, this, [this] { m_signals << QStringLiteral("warningsChanged"); });
    connect(&session, &ProjectSession::ready, this, [this] { m_signals << QStringLiteral("ready"); });
    connect(&session, &ProjectSession::detectionFinished, this, [this] { m_signals << QStringLiteral("detectionFinished"); });
    connect(&session, &ProjectSession::message, this, [this](const QString &text) { m_messages << text; });
}

void TestProjectSession::announcesInOrder()
{
    ProjectSession session;
    listen(session);
    const ProjectConfig project = config(m_tmp.filePath(QStringLiteral("order")));
    session.openConfig(project, {QStringLiteral("No .env found")});
    QCOMPARE(m_signals, (QStringList{QStringLiteral("projectChanged(other)"), QStringLiteral("opened"),
                                     QStringLiteral("warningsChanged"), QStringLiteral("ready")}));
    QVERIFY(m_messages.contains(QStringLiteral("No .env found")));
    QVERIFY(m_messages.last().startsWith(QStringLiteral("Backend ")));
    QCOMPARE(session.config().root, project.root);
    QCOMPARE(session.savedOverrides().isEmpty(), true); // a caller's config has nothing saved

    m_signals.clear();
    session.openConfig(project);
    QCOMPARE(m_signals.value(0), QStringLiteral("projectChanged(same)"));
}

void TestProjectSession::refusedWhilePlanRuns()
{
    ProjectSession session;
    const ProjectConfig first = config(m_tmp.filePath(QStringLiteral("first")));
    session.openConfig(first);
    listen(session);
    session.setRunningPlan(QStringLiteral("Clear migration history"));
    session.openConfig(config(m_tmp.filePath(QStringLiteral("second"))));
    QVERIFY(m_signals.isEmpty());
    QCOMPARE(m_messages.size(), 1);
    QVERIFY2(m_messages.first().startsWith(QStringLiteral("Clear migration history is running")), qPrintable(m_messages.first()));
    QCOMPARE(session.config().root, first.root);

    session.setRunningPlan(QString());
    session.openConfig(config(m_tmp.filePath(QStringLiteral("second"))));
    QCOMPARE(session.config().root, m_tmp.filePath(QStringLiteral("second")));
}

void TestProjectSession::folderWithoutManagePy()
{
    QTemporaryDir empty;
    ProjectSession session;
    listen(session);
    QSignalSpy detecting(&session, &ProjectSession::detecting);
    QSignalSpy finished(&session, &ProjectSession::detectionFinished);
    session.openFolder(empty.path());
    QCOMPARE(detecting.size(), 1);
    QVERIFY(m_signals.isEmpty()); // detection runs off the GUI thread
    QVERIFY(finished.wait(30000));
    QCOMPARE(m_signals, (QStringList{QStringLiteral("projectChanged(other)"), QStringLiteral("cannotOpen"),
                                     QStringLiteral("detectionFinished")}));
    QVERIFY2(m_messages.join(u'\n').contains(QStringLiteral("manage.py")), qPrintable(m_messages.join(u'\n')));
    QVERIFY(!ProjectSession::recentProjects().contains(QDir(empty.path()).absolutePath()));
}

void TestProjectSession::latestOpenWins()
{
    QTemporaryDir folder;
    ProjectSession session;
    listen(session);
    session.openFolder(folder.path());
    const ProjectConfig chosen = config(m_tmp.filePath(QStringLiteral("chosen")));
    session.openConfig(chosen); // before the folder's detection came back
    QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
    QTest::qWait(100); // the detection's (dropped) answer
    QVERIFY(!m_signals.contains(QStringLiteral("detectionFinished")));
    QVERIFY(!m_signals.contains(QStringLiteral("cannotOpen")));
    QCOMPARE(session.config().root, chosen.root);
}

void TestProjectSession::composeVariantTravelsWithTheDetectedConfig()
{
    ComposeCli::setDetected(ComposeVariant::Standalone); // what `docker-compose version` would say
    const QString dir = TestBed::copyFixture(m_tmp.path(), QStringLiteral("variant"));
    QVERIFY(!dir.isEmpty());
    ProjectSession session;
    QList<ProjectConfig> opened;
    connect(&session, &ProjectSession::opened, this, [&opened](const ProjectConfig &c) { opened << c; });
    session.openFolder(dir);
    QVERIFY(opened.isEmpty()); // detected on the thread pool, never on this one
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 60000);
    QVERIFY(opened.first().target == TargetKind::Compose);
    QVERIFY(opened.first().composeVariant == ComposeVariant::Standalone);
    QVERIFY(session.config().composeVariant == ComposeVariant::Standalone);
    ComposeCli::reset();
}

QTEST_MAIN(TestProjectSession)
#include "tst_projectsession.moc"
