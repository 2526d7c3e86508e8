// The status command's output without a database: the streamed JSON against QJsonDocument
// (the golden reference), and the text mode's local times against QDateTime::toLocalTime().
#include "cli/localtimeformatter.h"
#include "cli/statuscommand.h"
#include "cli/statusjsonwriter.h"
#include "project/projectconfig.h"
#include "status/statussnapshot.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>
#include <QtTest>

#include <ctime>

Q_DECLARE_METATYPE(StatusSnapshot)

class TestStatusOutput : public QObject
{
    Q_OBJECT
private slots:
    void jsonMatchesQJsonDocument_data();
    void jsonMatchesQJsonDocument();
    void localTimes_data();
    void localTimes();
};

namespace {

MigrationRow row(const QString &app, const QString &name, MigrationState state, const QDateTime &applied,
                 const QString &file)
{
    MigrationRow r;
    r.app = app;
    r.name = name;
    r.state = state;
    r.applied = applied;
    r.file = file;
    return r;
}

ProjectConfig config()
{
    ProjectConfig c;
    c.root = QStringLiteral("/home/dev/hanna \"crm\"\\ café");
    c.composeFile = QStringLiteral("docker-compose.yml");
    c.backendDir = QStringLiteral("whatsappcrm_backend");
    c.db.host = QStringLiteral("127.0.0.1");
    c.db.port = 55432;
    c.db.name = QStringLiteral("whatsappcrm_db");
    c.db.user = QStringLiteral("crm");
    c.db.password = QStringLiteral("Sentinel-Never-Printed");
    return c;
}

void setTimeZone(const QByteArray &tz)
{
    qputenv("TZ", tz);
    tzset();
}

} // namespace

void TestStatusOutput::jsonMatchesQJsonDocument_data()
{
    QTest::addColumn<StatusSnapshot>("snapshot");
    const QDateTime t(QDate(2026, 3, 29), QTime(0, 59, 59, 7), Qt::UTC);
    StatusSnapshot empty;
    empty.historyTableMissing = true;
    QTest::addRow("no rows, no history table") << empty;

    StatusSnapshot odd;
    odd.rows << row(QStringLiteral("flows"), QStringLiteral("0001_initial"), MigrationState::Applied, t,
                    QStringLiteral("whatsappcrm_backend/flows/migrations/0001_initial.py"))
             << row(QStringLiteral("flows"), QStringLiteral("0002_pending"), MigrationState::Pending, {},
                    QStringLiteral("whatsappcrm_backend/flows/migrations/0002_pending.py"))
             << row(QStringLiteral("auth"), QStringLiteral("0001_initial"), MigrationState::External, t.addMSecs(993), {})
             << row(QStringLiteral("caf\u00e9"), QStringLiteral("0001_\u00fcber_\U0001F680"), MigrationState::Orphan,
                    t.addYears(-30), {})
             << row(QStringLiteral("q\"uote\\back"), QStringLiteral("tab\tnl\ncr\rff\fbs\bnul") + QChar(0) + QChar(0x1f)
                        + QChar(0x7f) + QStringLiteral("</script>"),
                    MigrationState::Inconsistent, t.toOffsetFromUtc(3600), QStringLiteral("a/b"))
             << row(QStringLiteral("say\"hi\""), QStringLiteral("back\\slash"), MigrationState::Applied, t,
                    QStringLiteral("only\"quotes\""))
             << row(QStringLiteral("old"), QStringLiteral("0001"), MigrationState::Applied,
                    QDateTime(QDate(999, 1, 2), QTime(3, 4, 5), Qt::UTC), QStringLiteral("x"))
             << row(QStringLiteral("lone"), QStringLiteral("surrogate") + QChar(0xd800), MigrationState::Applied,
                    QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59, 999), Qt::UTC), QStringLiteral("y"))
             << row(QStringLiteral("before"), QStringLiteral("epoch"), MigrationState::Applied,
                    QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 999), Qt::UTC), QStringLiteral("z"))
             << row(QStringLiteral("leap"), QStringLiteral("2000"), MigrationState::Applied,
                    QDateTime(QDate(2000, 2, 29), QTime(12, 0), Qt::UTC), QStringLiteral("z"))
             << row(QStringLiteral("leap"), QStringLiteral("1900"), MigrationState::Applied,
                    QDateTime(QDate(1900, 3, 1), QTime(0, 0, 0, 1), Qt::UTC), QStringLiteral("z"));
    QTest::addRow("escapes, nulls, odd times") << odd;

    StatusSnapshot many; // more than one 64 KiB flush
    for (int i = 0; i < 3000; ++i) {
        many.rows << row(QStringLiteral("app%1").arg(i % 7), QStringLiteral("%1_migration").arg(i, 4, 10, QLatin1Char('0')),
                         MigrationState(i % int(MigrationState::StateCount)), i % 5 ? t.addSecs(-i * 3571) : QDateTime(),
                         i % 3 ? QStringLiteral("backend/app/migrations/%1.py").arg(i) : QString());
        // The declared edges and the out-of-order flag, in both of the writer's shapes.
        for (int d = 0; d < i % 4; ++d)
            many.rows.last().dependencies << QStringLiteral("app%1.%2_dep\"q").arg(d).arg(i);
        many.rows.last().outOfOrder = i % 11 == 0;
        if (i % 13 == 0) { // git provenance: added, and for some deleted and elsewhere
            MigrationProvenance p;
            p.addedIn = {QStringLiteral("%1").arg(i, 40, 10, QLatin1Char('a')), t.addSecs(-i), QStringLiteral("Add \"%1\"").arg(i)};
            if (i % 26 == 0) {
                p.deletedIn = {QStringLiteral("d%1").arg(i), t, QStringLiteral("Remove all migrations")};
                p.onBranches = {QStringLiteral("feature/x"), QStringLiteral("origin/feature/x")};
            }
            many.provenance.insert(many.rows.last().key(), p);
        }
    }
    QTest::addRow("3000 rows") << many;
}

void TestStatusOutput::jsonMatchesQJsonDocument()
{
    QFETCH(StatusSnapshot, snapshot);
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(StatusJsonWriter::write(config(), snapshot, &buffer));
    // The streamed text parses to the reference document (its counts come after the rows).
    QJsonParseError parseError;
    const QJsonDocument streamed = QJsonDocument::fromJson(buffer.data(), &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QCOMPARE(streamed.object(), statusToJson(config(), snapshot));
    // Each row as QJsonDocument indents it, byte for byte (the escapes are Qt's).
    const QJsonArray rows = statusToJson(config(), snapshot).value(QStringLiteral("migrations")).toArray();
    for (const QJsonValue &row : rows) {
        QByteArray indented = QJsonDocument(row.toObject()).toJson(QJsonDocument::Indented);
        indented.chop(1);
        indented.replace('\n', "\n        ");
        QVERIFY2(buffer.data().contains("        " + indented), indented.constData());
    }
    QVERIFY(buffer.data().endsWith("}\n"));
    QVERIFY(!buffer.data().contains("Sentinel-Never-Printed"));
}

void TestStatusOutput::localTimes_data()
{
    QTest::addColumn<QByteArray>("tz");
    QTest::addRow("UTC") << QByteArrayLiteral("UTC");
    QTest::addRow("Berlin, two DST changes a year") << QByteArrayLiteral("Europe/Berlin");
    QTest::addRow("St John's, -3:30") << QByteArrayLiteral("America/St_Johns");
    QTest::addRow("Lord Howe, half-hour DST") << QByteArrayLiteral("Australia/Lord_Howe");
}

// Every 17 minutes for three years, and each second around every transition, must read as
// toLocalTime() reads it.
void TestStatusOutput::localTimes()
{
    QFETCH(QByteArray, tz);
    const QByteArray saved = qgetenv("TZ");
    setTimeZone(tz);
    QVERIFY2(QTimeZone::systemTimeZone().id() == tz || tz == "UTC", QTimeZone::systemTimeZone().id().constData());
    const QDateTime first(QDate(2023, 1, 1), QTime(0, 0), Qt::UTC);
    const QDateTime last = first.addYears(3);
    QList<QDateTime> times;
    for (QDateTime t = first; t <= last; t = t.addSecs(17 * 60 + 3))
        times << t;
    const auto transitions = QTimeZone::systemTimeZone().transitions(first, last);
    for (const QTimeZone::OffsetData &d : transitions) {
        for (int s = -3; s <= 3; ++s)
            times << d.atUtc.addSecs(s);
    }
    times << first << last << first.addMSecs(-1) << last.addMSecs(1) << QDateTime(QDate(1950, 6, 1), QTime(12, 0), Qt::UTC);
    const LocalTimeFormatter formatter(first, last);
    for (const QDateTime &t : std::as_const(times))
        QCOMPARE(formatter.format(t), t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(formatter.format(QDateTime()), QString());
    if (tz != "UTC")
        QVERIFY(!transitions.isEmpty());
    setTimeZone(saved);
}

QTEST_GUILESS_MAIN(TestStatusOutput)
#include "tst_statusoutput.moc"
