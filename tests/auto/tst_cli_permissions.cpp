// "Permission denied on a folder" as a user meets it. Root reads every folder, so when the
// tests run as root the binary runs as `nobody` through runuser; otherwise as ourselves.
#include <QtTest>

#include <unistd.h>

class TestCliPermissions : public QObject
{
    Q_OBJECT
private slots:
    void unreadableProjectFolder();
    void unreadableMigrationsFolderIsReported();

private:
    int runStatus(const QString &project, QByteArray *err);
    QTemporaryDir m_tmp{QStringLiteral("/tmp/migrationdesk-perm-XXXXXX")};
};

int TestCliPermissions::runStatus(const QString &project, QByteArray *err)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_tmp.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.path());
    p.setProcessEnvironment(env);
    const QStringList args{QStringLiteral("status"), QStringLiteral("--project"), project,
                           QStringLiteral("--db-port"), QStringLiteral("1")};
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"),
                                                        QStringLiteral(MIGRATIONDESK_BINARY)} + args);
    else
        p.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
    if (!p.waitForFinished(30000))
        return -1;
    *err = p.readAllStandardError();
    return p.exitCode();
}

void TestCliPermissions::unreadableProjectFolder()
{
    QVERIFY(m_tmp.isValid());
    QFile::setPermissions(m_tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther);
    const QString project = m_tmp.filePath(QStringLiteral("locked project"));
    QVERIFY(QDir().mkpath(project + QStringLiteral("/backend")));
    QFile manage(project + QStringLiteral("/backend/manage.py"));
    QVERIFY(manage.open(QIODevice::WriteOnly));
    manage.close();
    QVERIFY(QFile::setPermissions(project, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QByteArray err;
    QCOMPARE(runStatus(project, &err), 2);
    QVERIFY2(err.contains("Permission denied"), err.constData());
    QVERIFY(err.contains("locked project"));
}

void TestCliPermissions::unreadableMigrationsFolderIsReported()
{
    // The project opens; one app's migrations folder cannot be read: the scan says so and
    // the run still ends with the database error (nothing listens on port 1), not a crash.
    const QString project = m_tmp.filePath(QStringLiteral("partly locked"));
    QVERIFY(QDir().mkpath(project + QStringLiteral("/backend/flows/migrations")));
    QFile manage(project + QStringLiteral("/backend/manage.py"));
    QVERIFY(manage.open(QIODevice::WriteOnly));
    manage.close();
    for (const QString &dir : {project, project + QStringLiteral("/backend"), project + QStringLiteral("/backend/flows")})
        QFile::setPermissions(dir, QFile::permissions(dir) | QFileDevice::ReadOther | QFileDevice::ExeOther);
    QVERIFY(QFile::setPermissions(project + QStringLiteral("/backend/flows/migrations"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QByteArray err;
    QCOMPARE(runStatus(project, &err), 2);
    QVERIFY2(err.contains("Permission denied: cannot read"), err.constData());
    QVERIFY(err.contains("flows/migrations"));
    QVERIFY2(err.contains("Cannot reach PostgreSQL"), err.constData());
}

QTEST_GUILESS_MAIN(TestCliPermissions)
#include "tst_cli_permissions.moc"
