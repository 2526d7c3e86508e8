// GitProvenanceReader on a real git repository with a real bare remote: the commit that added each
// file, and for rows whose file is gone, the commit that deleted it and the branches (local and
// remote) that still have it — in a fixed number of git processes, whatever the migrations.
#include "git/gitprovenance.h"
#include "testbed.h"

#include <QTemporaryDir>
#include <QtTest>

class TestGitProvenance : public QObject
{
    Q_OBJECT
private slots:
    void addedDeletedAndElsewhere();
    void notARepository();
    void parseLogKeepsOldestAddAndNewestDelete();

private:
    bool git(const QString &dir, const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
        env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(dir);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("git"), args);
        if (!p.waitForFinished(30000) || p.exitCode() != 0) {
            qWarning("git %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAll().constData());
            return false;
        }
        return true;
    }
    static bool write(const QString &path, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    }
};

void TestGitProvenance::addedDeletedAndElsewhere()
{
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("project"));
    const QString m = root + QStringLiteral("/backend/flows/migrations/");
    QVERIFY(write(root + QStringLiteral("/backend/manage.py"), "# manage\n"));
    QVERIFY(write(m + QStringLiteral("__init__.py"), ""));
    QVERIFY(write(m + QStringLiteral("0001_initial.py"), "class Migration: pass\n"));
    QVERIFY(write(m + QStringLiteral("0002_step.py"), "class Migration: pass\n"));
    QString error;
    QVERIFY2(TestBed::initGitRepo(root, tmp.filePath(QStringLiteral("remote.git")), &error), qPrintable(error));
    // feature: adds 0003; main: removes 0002 after origin/main got it.
    QVERIFY(git(root, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("feature")}));
    QVERIFY(write(m + QStringLiteral("0003_feature.py"), "class Migration: pass\n"));
    QVERIFY(git(root, {QStringLiteral("add"), QStringLiteral("-A")}));
    QVERIFY(git(root, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Feature migration")}));
    QVERIFY(git(root, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")}));
    QVERIFY(git(root, {QStringLiteral("rm"), QStringLiteral("-q"), QStringLiteral("backend/flows/migrations/0002_step.py")}));
    QVERIFY(git(root, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Remove all migrations")}));

    const QHash<QString, QString> files{{QStringLiteral("flows.0001_initial"), QStringLiteral("backend/flows/migrations/0001_initial.py")}};
    const QStringList orphans{QStringLiteral("flows.0002_step"), QStringLiteral("flows.0003_feature"), QStringLiteral("flows.0099_never")};
    const GitProvenance p = GitProvenanceReader::read(root, root + QStringLiteral("/backend"), files, orphans);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.isRepository);

    const MigrationProvenance first = p.byKey.value(QStringLiteral("flows.0001_initial"));
    QCOMPARE(first.addedIn.subject, QStringLiteral("Initial commit"));
    QCOMPARE(first.addedIn.hash.size(), 40);
    QVERIFY(first.addedIn.date.isValid());
    QVERIFY(first.deletedIn.isNull());

    const MigrationProvenance removed = p.byKey.value(QStringLiteral("flows.0002_step"));
    QCOMPARE(removed.deletedIn.subject, QStringLiteral("Remove all migrations"));
    QCOMPARE(removed.addedIn.subject, QStringLiteral("Initial commit"));
    QCOMPARE(removed.onBranches, (QStringList{QStringLiteral("feature"), QStringLiteral("origin/main")}));
    QCOMPARE(removed.path, QStringLiteral("backend/flows/migrations/0002_step.py"));

    const MigrationProvenance elsewhere = p.byKey.value(QStringLiteral("flows.0003_feature"));
    QCOMPARE(elsewhere.addedIn.subject, QStringLiteral("Feature migration"));
    QVERIFY(elsewhere.deletedIn.isNull());
    QCOMPARE(elsewhere.onBranches, QStringList{QStringLiteral("feature")});

    QVERIFY(!p.byKey.contains(QStringLiteral("flows.0099_never")));
    // log + for-each-ref + one ls-tree per branch (main, feature, origin/main): not per migration.
    QCOMPARE(p.gitCalls, 5);
}

void TestGitProvenance::notARepository()
{
    QTemporaryDir tmp;
    QVERIFY(write(tmp.filePath(QStringLiteral("b/a/migrations/0001_initial.py")), "x\n"));
    const GitProvenance p = GitProvenanceReader::read(tmp.path(), tmp.filePath(QStringLiteral("b")),
                                                      {{QStringLiteral("a.0001_initial"), QStringLiteral("b/a/migrations/0001_initial.py")}},
                                                      {QStringLiteral("a.0002_gone")});
    QVERIFY(!p.isRepository);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.byKey.isEmpty());
    QCOMPARE(p.gitCalls, 1);
}

void TestGitProvenance::parseLogKeepsOldestAddAndNewestDelete()
{
    // newest first: deleted, re-added, deleted, added
    QByteArray log;
    auto commit = [&log](const char *hash, int time, const char *subject) {
        log += '\x01' + QByteArray(hash) + '\x02' + QByteArray::number(time) + '\x02' + subject + '\0' + '\n';
    };
    auto entry = [&log](char status, const char *path) { log += status + QByteArray(1, '\0') + path + '\0'; };
    commit("dddd", 400, "Delete again");
    entry('D', "a/migrations/0001.py");
    commit("cccc", 300, "Re-add");
    entry('A', "a/migrations/0001.py");
    commit("bbbb", 200, "Delete");
    entry('D', "a/migrations/0001.py");
    commit("aaaa", 100, "Add it");
    entry('A', "a/migrations/0001.py");
    entry('A', "a/migrations/0002.py");
    const auto h = GitProvenanceReader::parseLog(log);
    QCOMPARE(h.size(), 2);
    const auto one = h.value(QStringLiteral("a/migrations/0001.py"));
    QCOMPARE(one.added.hash, QStringLiteral("aaaa"));
    QCOMPARE(one.deleted.hash, QStringLiteral("dddd"));
    QCOMPARE(one.deleted.subject, QStringLiteral("Delete again"));
    QCOMPARE(one.deleted.date, QDateTime::fromSecsSinceEpoch(400, Qt::UTC));
    QVERIFY(one.deletedLast);
    QVERIFY(!h.value(QStringLiteral("a/migrations/0002.py")).deletedLast);
}

QTEST_GUILESS_MAIN(TestGitProvenance)
#include "tst_gitprovenance.moc"
