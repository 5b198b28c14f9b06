// The German translation covers every user-visible string of the GUI as the sources stand
// now (lupdate is run on them afresh), keeps each placeholder, and the compiled .qm loads.
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Message {
    QString context, source, translation;
    bool unfinished = false;
};

QList<Message> readTs(const QString& path) {
    QList<Message> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return out;
    QXmlStreamReader xml(&f);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            m = Message{context, {}, {}, false};
        } else if (name == QLatin1String("source")) {
            m.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            const auto type = xml.attributes().value("type");
            m.unfinished = !type.isEmpty();  // unfinished, vanished or obsolete
            m.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            out.append(m);
        }
    }
    return out;
}

QSet<QString> placeholders(const QString& s) {
    QSet<QString> p;
    static const QRegularExpression re("%\\d+");
    for (auto it = re.globalMatch(s); it.hasNext();) p.insert(it.next().captured());
    return p;
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void germanCoversEveryString() {
        const QList<Message> committed = readTs(FEWDATA_SOURCE_DIR "/translations/fewdata_de.ts");
        QVERIFY(committed.size() > 100);
        QHash<QString, Message> byKey;
        for (const Message& m : committed) {
            QVERIFY2(!m.unfinished && !m.translation.trimmed().isEmpty(),
                     qPrintable("untranslated: " + m.context + " / " + m.source));
            QVERIFY2(placeholders(m.source) == placeholders(m.translation),
                     qPrintable("placeholders differ: " + m.source + " -> " + m.translation));
            byKey.insert(m.context + "\n" + m.source, m);
        }

        // The strings in the sources today, found by lupdate itself.
        QTemporaryDir tmp;
        const QString fresh = tmp.filePath("fresh_de.ts");
        QProcess lupdate;
        lupdate.start(FEWDATA_LUPDATE, {"-locations", "none", FEWDATA_SOURCE_DIR "/app",
                                        FEWDATA_SOURCE_DIR "/widgets", "-ts", fresh});
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);
        const QList<Message> current = readTs(fresh);
        QVERIFY(current.size() > 100);
        QStringList missing;
        for (const Message& m : current)
            if (!byKey.contains(m.context + "\n" + m.source))
                missing << m.context + ": " + m.source;
        QVERIFY2(missing.isEmpty(),
                 qPrintable("not in fewdata_de.ts (run the fewdata_lupdate target): " +
                            missing.join(" | ")));
    }

    void compiledTranslationLoads() {
        QTranslator t;
        QVERIFY(t.load(FEWDATA_DE_QM));
        const QString page = t.translate("fewdata::MainWindow", "Dataset");
        QVERIFY(!page.isEmpty());
        QVERIFY(page != "Dataset");
        QVERIFY(!t.translate("fewdata::MainWindow", "&File").isEmpty());
    }

    // --help is made before any window: the language must be chosen before the parser, and
    // Qt's own option texts come from the system's qtbase translation.
    void helpFollowsTheLanguage() {
        auto help = [](const QString& lang) {
            QProcess p;
            p.start(FEWDATA_GUI, {"--lang", lang, "--help"});
            if (!p.waitForFinished(60000)) return QString("(did not finish)");
            return QString::fromUtf8(p.readAllStandardOutput());
        };
        const QString de = help("de"), en = help("en");
        QVERIFY2(de.contains("Bildklassifikation bei knappen Daten"), qPrintable(de));
        QVERIFY2(de.contains("Zeigt Hilfe"), qPrintable(de));  // qtbase_de
        QVERIFY2(en.contains("Image classification when data is scarce"), qPrintable(en));
        QVERIFY2(en.contains("Displays help"), qPrintable(en));
    }
};

QTEST_APPLESS_MAIN(TestTranslations)
#include "test_translations.moc"
