// fewdata-cli as a user meets it: exit codes and messages for bad input, and a tiny real run.
#include <QtTest>
#include <fstream>

class TestCli : public QObject {
    Q_OBJECT

    struct Outcome {
        int code;
        QString out, err;
    };
    Outcome cli(const QStringList& args) {
        QProcess p;
        p.start(qEnvironmentVariable("FEWDATA_CLI"), args);
        if (!p.waitForFinished(300000)) return {-1, {}, "timed out"};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(qEnvironmentVariable("FEWDATA_CLI")).isExecutable(),
                 "FEWDATA_CLI must name the fewdata-cli binary (ctest sets it)");
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("no subcommand") << QStringList{} << "subcommand";
        QTest::newRow("unknown flag")
            << QStringList{"train", "--out", "x", "--epoch", "3"} << "--epoch";
        QTest::newRow("missing --out") << QStringList{"train"} << "--out";
        QTest::newRow("bad number")
            << QStringList{"train", "--out", "x", "--epochs", "many"} << "many";
        QTest::newRow("zero epochs")
            << QStringList{"train", "--out", "x", "--epochs", "0"} << "'epochs'";
        QTest::newRow("unknown model")
            << QStringList{"train", "--out", "x", "--model", "vgg"} << "'vgg'";
        QTest::newRow("missing dataset")
            << QStringList{"train", "--out", "x", "--dataset", "/no/such/dir"}
            << "'/no/such/dir' does not exist";
        QTest::newRow("missing config")
            << QStringList{"train", "--out", "x", "--config", "/no/cfg.json"} << "/no/cfg.json";
        QTest::newRow("unknown preset")
            << QStringList{"compare", "--out", "x", "--preset", "table9"} << "paper-table1";
        QTest::newRow("features from nowhere")
            << QStringList{"train",   "--out",           "x",      "--method",
                           "reptile", "--features-from", "/no/run"}
            << "/no/run";
        QTest::newRow("features for an image method")
            << QStringList{"train", "--out", "x", "--method", "mixup", "--features-from", "/r"}
            << "'features_from'";
        QTest::newRow("predict from nowhere")
            << QStringList{"predict", "/no/run", "--images", "/no/imgs", "--output", "x"}
            << "/no/run";
        QTest::newRow("score missing file")
            << QStringList{"score", "/no/truth.csv", "/no/sub.csv"} << "/no/truth.csv";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, mustMention);
        QTemporaryDir tmp;
        for (auto& a : args)
            if (a == "x") a = tmp.filePath("run");
        const Outcome o = cli(args);
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(mustMention), qPrintable(o.err));
        QVERIFY2(!QFileInfo::exists(tmp.filePath("run")),
                 "a failed start must not leave a run folder");
    }

    void configKeyErrorNamesKeyAndFile() {
        QTemporaryDir tmp;
        const QString cfg = tmp.filePath("exp.json");
        std::ofstream(cfg.toStdString()) << R"({"epochs": 2, "learning_rate": 0.1})";
        const Outcome o = cli({"train", "--config", cfg, "--out", tmp.filePath("run")});
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains("'learning_rate'") && o.err.contains("exp.json"),
                 qPrintable(o.err));
    }

    void helpListsEveryOption() {
        const Outcome o = cli({"train", "--help"});
        QCOMPARE(o.code, 0);
        for (const char* f : {"--config", "--dataset", "--per-class", "--seed", "--model",
                              "--epochs", "--lr", "--batch", "--device", "--threads", "--out"})
            QVERIFY2(o.out.contains(f), f);
    }

    void compareResumesAndExports() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("cmp");
        const QStringList args{"compare",      "--methods", "baseline,cutmix",
                               "--seeds",      "1",         "--per-class",
                               "10",           "--epochs",  "1",
                               "--image-size", "12",        "--max-test",
                               "50",           "--out",     out};
        Outcome o = cli(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("| fashion-mnist | resnet18 | 10 | cutmix |"), qPrintable(o.out));
        // A run that stopped midway is set aside and rerun; the finished one is kept.
        QVERIFY(QFile::remove(out + "/cutmix-seed0/result.json"));
        const QDateTime baselineWritten =
            QFileInfo(out + "/baseline-seed0/result.json").lastModified();
        o = cli(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("baseline seed 0: done before, kept"), qPrintable(o.out));
        QVERIFY2(o.out.contains("set aside as"), qPrintable(o.out));
        QVERIFY(QFileInfo::exists(out + "/cutmix-seed0.interrupted-1/config.json"));
        QVERIFY(QFileInfo::exists(out + "/cutmix-seed0/result.json"));
        QCOMPARE(QFileInfo(out + "/baseline-seed0/result.json").lastModified(), baselineWritten);
        QVERIFY2(o.out.contains("cutmix-seed0.interrupted-1`: unfinished"), qPrintable(o.out));

        // Resuming with other settings would mix two experiments in one table: refused.
        QStringList other = args;
        other[other.indexOf("--epochs") + 1] = "2";
        const Outcome mismatch = cli(other);
        QCOMPARE(mismatch.code, 2);
        QVERIFY2(mismatch.err.contains("other settings (epochs)"), qPrintable(mismatch.err));
        QCOMPARE(cli({"compare", "--method", "mixup", "--out", tmp.filePath("x")}).code, 2);
        const QString table = tmp.filePath("t.tex");
        QCOMPARE(cli({"export", out, "--format", "latex", "--output", table}).code, 0);
        QVERIFY(QFileInfo(table).size() > 0);
        const Outcome again = cli({"export", out, "--format", "latex", "--output", table});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("never overwritten"), qPrintable(again.err));
        QCOMPARE(cli({"export", out, "--format", "xls"}).code, 2);
    }

    void tinyRunSucceedsThenRefusesToOverwrite() {
        QTemporaryDir tmp;
        const QString run = tmp.filePath("run");
        const QStringList args{"train", "--per-class", "10", "--epochs", "1", "--image-size",
                               "12",    "--max-test",  "50", "--seed",   "3", "--out",
                               run};
        const Outcome o = cli(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("epoch   1/1") && o.out.contains("finished: test"),
                 qPrintable(o.out));
        QFile f(run + "/result.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray result = f.readAll();
        for (const char* key : {"\"val_accuracy\"", "\"test_accuracy\"", "\"test_accuracy_last\"",
                                "\"seconds\"", "\"skipped_files\""})
            QVERIFY2(result.contains(key), key);
        const Outcome again = cli(args);
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("never overwritten"), qPrintable(again.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
