// The command line as a Linux user meets it: the real binary, no display, no database needed.
// --help/--version and every command's help, JSON errors, --dry-run refusals, colours only on a
// terminal (a real pty), and the generated completion scripts and man page run by bash, zsh, man.
#include "cli/commandregistry.h"
#include "testbed.h"

#include <QtTest>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

namespace {

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

// The environment of a headless session: no display, no platform plugin, a private config.
QProcessEnvironment headlessEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "NO_COLOR",
                             "MIGRATIONDESK_SUPERUSER_PASSWORD", "MIGRATIONDESK_DB_PASSWORD"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("MIGRATIONDESK_STATE_DIR"), home + QStringLiteral("/state"));
    env.insert(QStringLiteral("TERM"), QStringLiteral("xterm-256color"));
    return env;
}

Run runBinary(const QStringList &args, const QProcessEnvironment &env)
{
    Run r;
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
    if (!p.waitForFinished(60000))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2; // -2: crashed (abort)
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestCliBasics : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void helpAndVersionWithoutDisplay();
    void everyCommandHasHelp_data();
    void everyCommandHasHelp();
    void windowWithoutDisplayFailsCleanly();
    void unknownCommandIsAnError();
    void jsonErrorsAreObjectsOnStdout_data();
    void jsonErrorsAreObjectsOnStdout();
    void dryRunOfRefusedPlanExitsTwo();
    void coloursOnlyOnATerminal();
    void bashCompletion_data();
    void bashCompletion();
    void zshCompletion();
    void manPage();

private:
    Run run(const QStringList &args) { return runBinary(args, headlessEnvironment(m_tmp.path())); }
    // Runs with stderr on a pseudo-terminal (stdout stays a pipe); returns what the pty saw.
    QByteArray stderrOnTerminal(const QStringList &args, const QProcessEnvironment &env, int *code);
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_tmp;
    QString m_project; // a fixture copy whose .env points at port 1: nothing listens there
};

void TestCliBasics::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    DbSettings nowhere;
    nowhere.host = QStringLiteral("127.0.0.1");
    nowhere.port = 1;
    nowhere.name = QStringLiteral("no_database");
    nowhere.user = QStringLiteral("nobody");
    nowhere.password = QStringLiteral("sentinel-cli-secret-7731");
    m_project = TestBed::copyFixture(m_tmp.path(), QStringLiteral("cli basics"), nowhere);
    QVERIFY(!m_project.isEmpty());
}

QString TestCliBasics::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_tmp.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return path;
}

void TestCliBasics::helpAndVersionWithoutDisplay()
{
    // The window's parser used to run after QApplication: --help without a display aborted (134).
    const Run help = run({QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    QVERIFY2(help.out.startsWith("Usage: migrationdesk [options]"), help.out.constData());
    for (const CliCommand &c : CommandRegistry::all())
        QVERIFY2(help.out.contains("  " + c.name.toUtf8() + " "), qPrintable(c.name));
    QVERIFY(help.out.contains("--project <DIR>"));
    QVERIFY(help.err.isEmpty());

    const Run version = run({QStringLiteral("--version")});
    QCOMPARE(version.code, 0);
    QCOMPARE(version.out, QByteArray("migrationdesk " MIGRATIONDESK_VERSION "\n"));
    QCOMPARE(run({QStringLiteral("-v")}).out, version.out);
    QCOMPARE(run({QStringLiteral("--project"), m_project, QStringLiteral("-h")}).code, 0);
}

void TestCliBasics::everyCommandHasHelp_data()
{
    QTest::addColumn<QString>("command");
    for (const CliCommand &c : CommandRegistry::all())
        QTest::addRow("%s", qPrintable(c.name)) << c.name;
}

void TestCliBasics::everyCommandHasHelp()
{
    QFETCH(QString, command);
    const Run help = run({command, QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    QVERIFY2(help.out.startsWith("Usage: migrationdesk " + command.toUtf8() + " [options]"), help.out.constData());
    const CliCommand *c = CommandRegistry::find(command);
    QVERIFY(help.out.contains(c->summary.toUtf8()));
    for (const QCommandLineOption &o : c->options)
        QVERIFY2(help.out.contains("--" + o.names().constLast().toUtf8()), qPrintable(o.names().constLast()));
    if (command != QLatin1String("help")) // `help X` is `X --help`
        QCOMPARE(run({QStringLiteral("help"), command}).out, help.out);
}

void TestCliBasics::windowWithoutDisplayFailsCleanly()
{
    const Run r = run({QStringLiteral("--project"), m_project});
    QCOMPARE(r.code, 2); // not 134 (Qt's abort when no platform plugin starts)
    QVERIFY2(r.err.contains("no display"), r.err.constData());
    QVERIFY(r.err.contains("migrationdesk --help"));
}

void TestCliBasics::unknownCommandIsAnError()
{
    const Run r = run({QStringLiteral("stauts")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("no command \"stauts\""), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestCliBasics::jsonErrorsAreObjectsOnStdout_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("code");
    const QString python = QString::fromLatin1(TestBed::kPython);
    QTest::addRow("status, database down") << QStringList{QStringLiteral("status"), QStringLiteral("--json"),
                                                          QStringLiteral("--project"), QString()}
                                           << QStringLiteral("unavailable");
    QTest::addRow("doctor, database down")
        << QStringList{QStringLiteral("doctor"), QStringLiteral("--json"), QStringLiteral("--target"),
                       QStringLiteral("local"), QStringLiteral("--python"), python, QStringLiteral("--project"), QString()}
        << QStringLiteral("unavailable");
    QTest::addRow("status, unknown flag") << QStringList{QStringLiteral("status"), QStringLiteral("--json"),
                                                         QStringLiteral("--no-such-flag")}
                                          << QStringLiteral("usage");
    QTest::addRow("status, no project") << QStringList{QStringLiteral("status"), QStringLiteral("--json"),
                                                       QStringLiteral("--project"), QStringLiteral("/nonexistent/x")}
                                        << QStringLiteral("project");
    QTest::addRow("backups, bad port") << QStringList{QStringLiteral("backups"), QStringLiteral("--json"),
                                                      QStringLiteral("--db-port"), QStringLiteral("x"),
                                                      QStringLiteral("--project"), QString()}
                                       << QStringLiteral("project");
    QTest::addRow("run, unknown operation") << QStringList{QStringLiteral("run"), QStringLiteral("nonsense"),
                                                           QStringLiteral("--json")}
                                            << QStringLiteral("usage");
    QTest::addRow("run, destructive without --yes")
        << QStringList{QStringLiteral("run"), QStringLiteral("delete-files"), QStringLiteral("--json"),
                       QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"), python,
                       QStringLiteral("--project"), QString()}
        << QStringLiteral("confirmation-required");
}

void TestCliBasics::jsonErrorsAreObjectsOnStdout()
{
    QFETCH(QStringList, args);
    QFETCH(QString, code);
    for (QString &a : args) {
        if (a.isEmpty())
            a = m_project;
    }
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QJsonParseError parseError;
    const QJsonObject o = QJsonDocument::fromJson(r.out, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, r.out.constData());
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("error"));
    QCOMPARE(o.value(QStringLiteral("schemaVersion")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("code")).toString(), code);
    QCOMPARE(o.value(QStringLiteral("exitCode")).toInt(), 2);
    QVERIFY(!o.value(QStringLiteral("error")).toString().isEmpty());
    QVERIFY(!r.out.contains("sentinel-cli-secret-7731"));
    QVERIFY(!r.err.contains("sentinel-cli-secret-7731"));
}

void TestCliBasics::dryRunOfRefusedPlanExitsTwo()
{
    // No username and no MIGRATIONDESK_SUPERUSER_PASSWORD: createsuperuser has two blockers.
    const QStringList base{QStringLiteral("run"), QStringLiteral("createsuperuser"), QStringLiteral("--dry-run"),
                           QStringLiteral("--target"), QStringLiteral("local"), QStringLiteral("--python"),
                           QString::fromLatin1(TestBed::kPython), QStringLiteral("--project"), m_project};
    const Run refused = run(base);
    QCOMPARE(refused.code, 2);
    QVERIFY2(refused.out.contains("manage.py createsuperuser --noinput"), refused.out.constData()); // still the plan
    QVERIFY(refused.err.contains("would refuse: The superuser needs a username"));
    QVERIFY2(refused.err.contains("dry run: createsuperuser would be refused (2 blockers); nothing ran."),
             refused.err.constData());

    const Run json = run(base + QStringList{QStringLiteral("--json")});
    QCOMPARE(json.code, 2);
    const QJsonObject o = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(o.value(QStringLiteral("code")).toString(), QStringLiteral("refused"));
    QCOMPARE(o.value(QStringLiteral("blockers")).toArray().size(), 2);
    QVERIFY(o.value(QStringLiteral("plan")).toString().contains(QStringLiteral("createsuperuser --noinput")));

    // With what it needs, the same dry run is a plan, exit 0.
    QProcessEnvironment env = headlessEnvironment(m_tmp.path());
    env.insert(QStringLiteral("MIGRATIONDESK_SUPERUSER_PASSWORD"), QStringLiteral("sentinel-superuser-5521"));
    const Run ok = runBinary(base + QStringList{QStringLiteral("--username"), QStringLiteral("admin"), QStringLiteral("--json")}, env);
    QCOMPARE(ok.code, 0);
    const QJsonObject plan = QJsonDocument::fromJson(ok.out).object();
    QCOMPARE(plan.value(QStringLiteral("kind")).toString(), QStringLiteral("plan"));
    QCOMPARE(plan.value(QStringLiteral("dryRun")).toBool(), true);
    QVERIFY(plan.value(QStringLiteral("blockers")).toArray().isEmpty());
    QVERIFY(!ok.out.contains("sentinel-superuser-5521"));
}

QByteArray TestCliBasics::stderrOnTerminal(const QStringList &args, const QProcessEnvironment &env, int *code)
{
    int master = -1;
    int slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        return "openpty failed";
    QProcess p;
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([slave] { ::dup2(slave, STDERR_FILENO); });
    p.start(QStringLiteral(MIGRATIONDESK_BINARY), args);
    const bool finished = p.waitForFinished(60000);
    ::close(slave);
    *code = finished ? p.exitCode() : -1;
    QByteArray seen;
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    char buffer[4096];
    for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
        seen.append(buffer, n);
    ::close(master);
    return seen;
}

void TestCliBasics::coloursOnlyOnATerminal()
{
    const QStringList args{QStringLiteral("status"), QStringLiteral("--project"), m_project};
    int code = 0;
    const QByteArray terminal = stderrOnTerminal(args, headlessEnvironment(m_tmp.path()), &code);
    QCOMPARE(code, 2);
    QVERIFY2(terminal.contains("\x1b[1;31merror:\x1b[0m Cannot reach PostgreSQL"), terminal.constData());

    QProcessEnvironment noColor = headlessEnvironment(m_tmp.path());
    noColor.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    const QByteArray plain = stderrOnTerminal(args, noColor, &code);
    QCOMPARE(code, 2);
    QVERIFY2(plain.contains("error: Cannot reach PostgreSQL"), plain.constData());
    QVERIFY(!plain.contains('\x1b'));

    QProcessEnvironment dumb = headlessEnvironment(m_tmp.path());
    dumb.insert(QStringLiteral("TERM"), QStringLiteral("dumb"));
    QVERIFY(!stderrOnTerminal(args, dumb, &code).contains('\x1b'));

    const Run piped = run(args); // a pipe is not a terminal
    QVERIFY(piped.err.contains("error: Cannot reach PostgreSQL"));
    QVERIFY(!piped.err.contains('\x1b'));
}

void TestCliBasics::bashCompletion_data()
{
    QTest::addColumn<QString>("line");   // the words typed, the last one being completed
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("command") << QStringLiteral("migrationdesk st") << QStringList{QStringLiteral("status")};
    QTest::addRow("top-level option") << QStringLiteral("migrationdesk --ver") << QStringList{QStringLiteral("--version")};
    QTest::addRow("operation") << QStringLiteral("migrationdesk run makem") << QStringList{QStringLiteral("makemigrations")};
    QTest::addRow("command option") << QStringLiteral("migrationdesk run --dry") << QStringList{QStringLiteral("--dry-run")};
    QTest::addRow("after the window's option") << QStringLiteral("migrationdesk --project x doc")
                                               << QStringList{QStringLiteral("doctor")};
    QTest::addRow("option value") << QStringLiteral("migrationdesk status --target ")
                                  << QStringList{QStringLiteral("compose"), QStringLiteral("local")};
    QTest::addRow("shell") << QStringLiteral("migrationdesk completion z") << QStringList{QStringLiteral("zsh")};
    QTest::addRow("json flag") << QStringLiteral("migrationdesk backups --js") << QStringList{QStringLiteral("--json")};
}

void TestCliBasics::bashCompletion()
{
    QFETCH(QString, line);
    QFETCH(QStringList, expected);
    const Run script = run({QStringLiteral("completion"), QStringLiteral("bash")});
    QCOMPARE(script.code, 0);
    const QString completion = writeFile(QStringLiteral("migrationdesk.bash"), script.out);
    QVERIFY(!completion.isEmpty());
    // What bash does on Tab: COMP_WORDS/COMP_CWORD set, the function called, COMPREPLY read.
    QStringList words = line.split(QLatin1Char(' '));
    QString quoted;
    for (const QString &w : words)
        quoted += QStringLiteral(" '%1'").arg(w);
    const QString driver = writeFile(QStringLiteral("drive-completion.bash"),
                                     QStringLiteral("source \"$1\"\nCOMP_WORDS=(%1)\nCOMP_CWORD=%2\n_migrationdesk\n"
                                                    "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
                                         .arg(quoted, QString::number(words.size() - 1))
                                         .toUtf8());
    QString output;
    QCOMPARE(TestBed::run(QStringLiteral("bash"), {QStringLiteral("--norc"), QStringLiteral("--noprofile"), driver, completion},
                          QString(), QProcessEnvironment::systemEnvironment(), &output),
             0);
    QStringList offered = output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    offered.sort();
    QCOMPARE(offered, expected);
}

void TestCliBasics::zshCompletion()
{
    const Run script = run({QStringLiteral("completion"), QStringLiteral("zsh")});
    QCOMPARE(script.code, 0);
    QVERIFY(script.out.startsWith("#compdef migrationdesk\n"));
    for (const CliCommand &c : CommandRegistry::all()) {
        QVERIFY2(script.out.contains("'" + c.name.toUtf8() + ":"), qPrintable(c.name));
        for (const QCommandLineOption &o : c.options)
            QVERIFY2(script.out.contains("'--" + o.names().constLast().toUtf8()), qPrintable(o.names().constLast()));
    }
    QVERIFY(script.out.contains("(compose local)"));
    QVERIFY(script.out.contains("(bash zsh)"));
    const QString file = writeFile(QStringLiteral("_migrationdesk"), script.out);
    if (QStandardPaths::findExecutable(QStringLiteral("zsh")).isEmpty())
        QSKIP("zsh is not installed (packaging/setup-debian.sh installs it): syntax not checked");
    QString output;
    QCOMPARE(TestBed::run(QStringLiteral("zsh"), {QStringLiteral("-n"), file}, QString(),
                          QProcessEnvironment::systemEnvironment(), &output),
             0);
    QVERIFY2(output.isEmpty(), qPrintable(output));
}

void TestCliBasics::manPage()
{
    const Run page = run({QStringLiteral("manpage")});
    QCOMPARE(page.code, 0);
    QVERIFY(page.out.startsWith(".TH MIGRATIONDESK 1"));
    const QString file = writeFile(QStringLiteral("migrationdesk.1"), page.out);
    if (QStandardPaths::findExecutable(QStringLiteral("man")).isEmpty())
        QSKIP("man is not installed (packaging/setup-debian.sh installs man-db)");
    QProcess man;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MANWIDTH"), QStringLiteral("100"));
    env.insert(QStringLiteral("MAN_KEEP_FORMATTING"), QString());
    man.setProcessEnvironment(env);
    man.start(QStringLiteral("man"), {QStringLiteral("--warnings"), QStringLiteral("-E"), QStringLiteral("UTF-8"),
                                      QStringLiteral("-l"), file});
    QVERIFY(man.waitForFinished(30000));
    QCOMPARE(man.exitCode(), 0);
    const QString text = QString::fromUtf8(man.readAllStandardOutput());
    const QString warnings = QString::fromUtf8(man.readAllStandardError());
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings));
    QVERIFY(text.contains(QStringLiteral("migrationdesk - show and repair")));
    for (const CliCommand &c : CommandRegistry::all()) {
        QVERIFY2(text.contains(QStringLiteral("migrationdesk ") + c.name), qPrintable(c.name));
        for (const QCommandLineOption &o : c.options)
            QVERIFY2(text.contains(QStringLiteral("--") + o.names().constLast()), qPrintable(o.names().constLast()));
    }
    QVERIFY(text.contains(QStringLiteral("NO_COLOR")));
}

QTEST_GUILESS_MAIN(TestCliBasics)
#include "tst_cli_basics.moc"
