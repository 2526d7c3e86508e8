#include "console/secretmasker.h"

#include <QRandomGenerator>
#include <QtTest>

class TestSecretMasker : public QObject
{
    Q_OBJECT
private slots:
    void streaming_data();
    void streaming();
    void threePieces_data();
    void threePieces();
    void matchesPlainSearch();
    void ordinaryTextIsNotDelayed();
    void holdsBackOnlyWhatCanGrow();
};

namespace {

// The contract spelled out naively (leftmost occurrence, at one position the longest secret),
// to check the automaton against on random inputs.
QString naiveMask(const QStringList &secrets, const QString &text)
{
    QString out;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype best = -1;
        qsizetype bestLength = 0;
        for (const QString &s : secrets) {
            if (s.isEmpty())
                continue;
            const qsizetype at = text.indexOf(s, pos);
            if (at >= 0 && (best < 0 || at < best || (at == best && s.size() > bestLength))) {
                best = at;
                bestLength = s.size();
            }
        }
        if (best < 0)
            break;
        out += text.mid(pos, best - pos) + SecretMasker::mask();
        pos = best + bestLength;
    }
    return out + text.mid(pos);
}

QString feedPieces(const QStringList &secrets, const QStringList &pieces)
{
    SecretMasker masker(secrets);
    QString shown;
    for (const QString &piece : pieces)
        shown += masker.feed(piece);
    return shown + masker.finish();
}

} // namespace

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
    QTest::addRow("two secrets") << QStringList{QStringLiteral("hunter2"), QStringLiteral("Sentinel-Pw")}
                                 << QStringLiteral("a hunter2 b Sentinel-Pw c hunter2 hunter Sentinel-")
                                 << QStringLiteral("a %1 b %1 c %1 hunter Sentinel-").arg(m);
    QTest::addRow("three adjacent") << QStringList{QStringLiteral("ab"), QStringLiteral("cd"), QStringLiteral("ef")}
                                    << QStringLiteral("abcdefab.") << QStringLiteral("%1%1%1%1.").arg(m);
    QTest::addRow("overlap: leftmost wins") << QStringList{QStringLiteral("abc"), QStringLiteral("bcd")}
                                            << QStringLiteral("xabcdx bcdx") << QStringLiteral("x%1dx %1x").arg(m);
    QTest::addRow("longer one starts earlier") << QStringList{QStringLiteral("bc"), QStringLiteral("abcd")}
                                               << QStringLiteral("abcd abce") << QStringLiteral("%1 a%1e").arg(m);
    QTest::addRow("suffix of another") << QStringList{QStringLiteral("cdef"), QStringLiteral("def"), QStringLiteral("f")}
                                       << QStringLiteral("cdef def ef f") << QStringLiteral("%1 %1 e%1 %1").arg(m);
    QTest::addRow("self-overlapping") << QStringList{QStringLiteral("aab"), QStringLiteral("ab")}
                                      << QStringLiteral("aaab aaaab ab") << QStringLiteral("a%1 aa%1 %1").arg(m);
    QString many;
    QString manyMasked;
    for (int i = 0; i < 12; ++i) { // secrets recur many times, the quadratic case of issue 16
        many += QStringLiteral("p%1=hunter2;q=Sentinel-Pw|").arg(i);
        manyMasked += QStringLiteral("p%1=%2;q=%2|").arg(i).arg(m);
    }
    QTest::addRow("two secrets, many times") << QStringList{QStringLiteral("hunter2"), QStringLiteral("Sentinel-Pw")}
                                             << many << manyMasked;
}

void TestSecretMasker::threePieces_data()
{
    streaming_data();
}

// Split into three pieces at every pair of offsets: a secret can span a whole middle piece.
void TestSecretMasker::threePieces()
{
    QFETCH(QStringList, secrets);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    if (input.size() > 60)
        QSKIP("covered by the two-piece split");
    for (qsizetype a = 0; a <= input.size(); ++a) {
        for (qsizetype b = a; b <= input.size(); ++b) {
            const QStringList pieces{input.left(a), input.mid(a, b - a), input.mid(b)};
            QCOMPARE(feedPieces(secrets, pieces), expected);
        }
    }
}

// Random secrets and texts over a small alphabet (so secrets overlap and nest), fed whole and
// in random pieces, against the naive statement of the contract. U+0161 shares its low byte
// with 'a': the masker's skip tables are indexed by it.
void TestSecretMasker::matchesPlainSearch()
{
    QRandomGenerator random(16);
    const auto word = [&](int minLength, int maxLength) {
        QString w;
        for (int n = random.bounded(minLength, maxLength + 1); n > 0; --n)
            w += QChar(u"abc\u0161"[random.bounded(4)]);
        return w;
    };
    for (int round = 0; round < 3000; ++round) {
        QStringList secrets;
        for (int n = random.bounded(1, 4); n > 0; --n)
            secrets << word(1, 7);
        const QString text = word(0, 60);
        const QString expected = naiveMask(secrets, text);
        QCOMPARE(SecretMasker(secrets).apply(text), expected);
        QStringList pieces;
        for (qsizetype at = 0; at < text.size();) {
            const qsizetype n = random.bounded(1, 8);
            pieces << text.mid(at, n);
            at += n;
        }
        QCOMPARE(feedPieces(secrets, pieces), expected);
    }
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

// With several secrets only the longest end that could still become one of them waits.
void TestSecretMasker::holdsBackOnlyWhatCanGrow()
{
    SecretMasker masker({QStringLiteral("abcd"), QStringLiteral("cdxy"), QStringLiteral("q")});
    QCOMPARE(masker.feed(QStringLiteral("zzabc")), QStringLiteral("zz")); // "abc" and "c" may grow
    QCOMPARE(masker.feed(QStringLiteral("dx")), SecretMasker::mask()); // "abcd"; "x" waits, "cdx" may grow
    QCOMPARE(masker.feed(QStringLiteral("q cd")), QStringLiteral("x%1 ").arg(SecretMasker::mask()));
    QCOMPARE(masker.finish(), QStringLiteral("cd"));
}

QTEST_GUILESS_MAIN(TestSecretMasker)
#include "tst_secretmasker.moc"
