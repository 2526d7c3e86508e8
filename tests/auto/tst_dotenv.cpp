#include "project/dotenvfile.h"
#include "project/variableinterpolator.h"

#include <QtTest>

class TestDotEnv : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void problemsAreReported();
    void interpolation_data();
    void interpolation();
};

void TestDotEnv::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    QTest::addRow("plain") << "DB_NAME=whatsappcrm_db" << "DB_NAME" << "whatsappcrm_db";
    QTest::addRow("comment line") << "# DB_NAME=nope\nDB_NAME=yes" << "DB_NAME" << "yes";
    QTest::addRow("export prefix") << "export DB_USER=hanna" << "DB_USER" << "hanna";
    QTest::addRow("CRLF") << "DB_USER=crlf\r\nDB_NAME=x\r\n" << "DB_USER" << "crlf";
    QTest::addRow("equals inside value") << "DATABASE_URL=postgres://u:p@h/db?sslmode=require&a=b"
                                         << "DATABASE_URL" << "postgres://u:p@h/db?sslmode=require&a=b";
    QTest::addRow("empty value") << "DB_PASSWORD=\nDB_USER=u" << "DB_PASSWORD" << "";
    QTest::addRow("spaces around =") << "DB_NAME = spaced  " << "DB_NAME" << "spaced";
    QTest::addRow("inline comment") << "DB_NAME=name # the name" << "DB_NAME" << "name";
    QTest::addRow("hash without space is data") << "DB_PASSWORD=pa#ss" << "DB_PASSWORD" << "pa#ss";
    QTest::addRow("single quotes literal") << "DB_PASSWORD='p$a\"ss # x'" << "DB_PASSWORD" << "p$a\"ss # x";
    QTest::addRow("double quotes with escapes") << "MSG=\"a\\nb \\\"q\\\"\"" << "MSG" << "a\nb \"q\"";
    QTest::addRow("double quotes keep hash") << "DB_PASSWORD=\"p # not comment\"" << "DB_PASSWORD"
                                             << "p # not comment";
    QTest::addRow("quoted then comment") << "DB_NAME='db' # trailing" << "DB_NAME" << "db";
    QTest::addRow("multi-line double quoted") << "KEY=\"line1\nline2\"\nNEXT=1" << "KEY" << "line1\nline2";
    QTest::addRow("line after multi-line") << "KEY=\"line1\nline2\"\nNEXT=1" << "NEXT" << "1";
    QTest::addRow("interpolates earlier key") << "USER=me\nDB_USER=${USER}_db" << "DB_USER" << "me_db";
    QTest::addRow("default when unset") << "DB_PORT=${PORT:-5432}" << "DB_PORT" << "5432";
    QTest::addRow("no interpolation in single") << "A=1\nB='${A}'" << "B" << "${A}";
    QTest::addRow("later key wins") << "A=1\nA=2" << "A" << "2";
    QTest::addRow("BOM") << QStringLiteral("\uFEFFDB_NAME=bom") << "DB_NAME" << "bom";
    QTest::addRow("unicode value") << QStringLiteral("GREETING=grüße 🚀") << "GREETING"
                                   << QStringLiteral("grüße 🚀");
}

void TestDotEnv::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    const DotEnvFile env = DotEnvFile::parse(text);
    QVERIFY2(env.contains(key), qPrintable(env.keys().join(QLatin1Char(','))));
    QCOMPARE(env.value(key), expected);
}

void TestDotEnv::problemsAreReported()
{
    const DotEnvFile env = DotEnvFile::parse(QStringLiteral("GOOD=1\nthis is not an assignment\nBAD=\"open\n"));
    QCOMPARE(env.value(QStringLiteral("GOOD")), QStringLiteral("1"));
    QCOMPARE(env.problems().size(), 2);
    QVERIFY(!env.contains(QStringLiteral("BAD")));
    QVERIFY(!env.contains(QStringLiteral("this")));
}

void TestDotEnv::interpolation_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("hasError");
    QTest::addRow("plain") << "${SET}" << "value" << false;
    QTest::addRow("bare dollar name") << "$SET/x" << "value/x" << false;
    QTest::addRow("default unset") << "${UNSET:-5432}:5432" << "5432:5432" << false;
    QTest::addRow("default empty with colon") << "${EMPTY:-d}" << "d" << false;
    QTest::addRow("default empty without colon") << "${EMPTY-d}" << "" << false;
    QTest::addRow("default set") << "${SET:-d}" << "value" << false;
    QTest::addRow("nested default") << "${UNSET:-${SET}}" << "value" << false;
    QTest::addRow("alt") << "${SET:+alt}" << "alt" << false;
    QTest::addRow("alt unset") << "${UNSET:+alt}" << "" << false;
    QTest::addRow("required missing") << "${UNSET:?need it}" << "" << true;
    QTest::addRow("escaped dollar") << "$$SET" << "$SET" << false;
    QTest::addRow("unterminated") << "${SET" << "${SET" << true;
}

void TestDotEnv::interpolation()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(bool, hasError);
    const VariableInterpolator interpolator([](const QString &name, QString *value) {
        if (name == QLatin1String("SET")) {
            *value = QStringLiteral("value");
            return true;
        }
        if (name == QLatin1String("EMPTY")) {
            value->clear();
            return true;
        }
        return false;
    });
    QString error;
    QCOMPARE(interpolator.expand(text, &error), expected);
    QCOMPARE(!error.isEmpty(), hasError);
}

QTEST_GUILESS_MAIN(TestDotEnv)
#include "tst_dotenv.moc"
