#include "console/secretmasker.h"

#include <QtTest>

class TestSecretMasker : public QObject
{
    Q_OBJECT
private slots:
    void streaming_data();
    void streaming();
    void ordinaryTextIsNotDelayed();
};

void TestSecretMasker::streaming_data()
{
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    const QString m = SecretMasker::mask();
    QTest::addRow("one secret") << QStringList{QStringLiteral("hunter2")} << QStringLiteral("pw=hunter2;ok")
                                << QStringLiteral("pw=%1;ok").arg(m);
    QTest::addRow("twice") << QStringList{QStringLiteral("s3")} << QStringLiteral("s3 and s3") << QStringLiteral("%1 and %1").arg(m);
    QTest::addRow("prefix of another") << QStringList{QStringLiteral("abc"), QStringLiteral("abcdef")}
                                       << QStringLiteral("x abcdef y abc z") << QStringLiteral("x %1 y %1 z").arg(m);
    QTest::addRow("almost a secret") << QStringList{QStringLiteral("Sentinel-9")} << QStringLiteral("Sentinel-8 Sentinel-")
                                     << QStringLiteral("Sentinel-8 Sentinel-");
    QTest::addRow("non-ASCII") << QStringList{QStringLiteral("пароль✓")} << QStringLiteral("→пароль✓←")
                               << QStringLiteral("→%1←").arg(m);
    QTest::addRow("no secrets") << QStringList{} << QStringLiteral("plain") << QStringLiteral("plain");
}

// Every input fed whole, split at every offset, and character by character gives one result.
void TestSecretMasker::streaming()
{
    QFETCH(QStringList, secrets);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(SecretMasker(secrets).apply(input), expected);
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        SecretMasker masker(secrets);
        QString shown = masker.feed(input.left(cut));
        shown += masker.feed(input.mid(cut));
        shown += masker.finish();
        QCOMPARE(shown, expected);
    }
    SecretMasker masker(secrets);
    QString shown;
    for (const QChar c : input) {
        const QString part = masker.feed(QString(c));
        for (const QString &secret : secrets)
            QVERIFY(!part.contains(secret));
        shown += part;
    }
    QCOMPARE(shown + masker.finish(), expected);
}

void TestSecretMasker::ordinaryTextIsNotDelayed()
{
    SecretMasker masker({QStringLiteral("Sentinel-Password")});
    QCOMPARE(masker.feed(QStringLiteral("Password: ")), QStringLiteral("Password: "));
    QCOMPARE(masker.feed(QStringLiteral("progress 42% Sent")), QStringLiteral("progress 42% ")); // "Sent" may grow
    QCOMPARE(masker.feed(QStringLiteral("ence")), QStringLiteral("Sentence"));
}

QTEST_GUILESS_MAIN(TestSecretMasker)
#include "tst_secretmasker.moc"
