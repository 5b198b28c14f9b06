// fewdata-cli as a user meets it: exit codes and messages for bad input, and a tiny real run.
#include <torch/torch.h>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

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

    static nlohmann::json readJson(const QString& path) {
        std::ifstream in(path.toStdString());
        return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    }

    // Every file of a run folder is whole: JSON parses, each metrics line parses, each .pt
    // loads. A temporary file of an interrupted write may remain, never a damaged target.
    static QString brokenFileIn(const QString& dir) {
        for (const QFileInfo& f : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
            const QString name = f.fileName();
            if (name.contains(".tmp-")) continue;
            if (name.endsWith(".json") && readJson(f.filePath()).is_discarded()) return name;
            if (name.endsWith(".jsonl")) {
                std::ifstream in(f.filePath().toStdString());
                for (std::string line; std::getline(in, line);)
                    if (nlohmann::json::parse(line, nullptr, false).is_discarded()) return name;
            }
            if (name.endsWith(".pt")) {
                try {
                    torch::serialize::InputArchive a;
                    a.load_from(f.filePath().toStdString());
                } catch (const c10::Error&) {
                    return name;
                }
            }
        }
        return {};
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
        QTest::newRow("K list: below 2")
            << QStringList{"compare", "--out", "x", "--per-class", "5,1"} << "K = 1";
        QTest::newRow("K list: twice")
            << QStringList{"compare", "--out", "x", "--per-class", "5,10,5"} << "listed twice";
        QTest::newRow("K list: above the smallest class")
            << QStringList{"compare", "--out", "x", "--per-class", "10,7000"} << "K = 7000";
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

    void listPresetsShowsEveryKey() {
        const Outcome o = cli({"compare", "--list-presets"});
        QCOMPARE(o.code, 0);
        for (const char* text : {"paper-table1:", "paper-table2:", "fmnist-table1:",
                                 "fmnist-table2:", "model = resnet50", "lr = 0.1",
                                 "schedule = step", "gnn_classes = 10"})
            QVERIFY2(o.out.contains(text), text);
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
        // Each run says what made it.
        const auto made = readJson(out + "/baseline-seed0/result.json");
        const QString version = QString::fromStdString(made["workbench_version"].get<std::string>());
        QVERIFY2(version.startsWith("0.") && cli({"--version"}).out.contains(version),
                 qPrintable(version));
        QVERIFY(made["threads"].get<int>() >= 1);
        QVERIFY(!made["torch_version"].get<std::string>().empty());
        // A run that stopped after a checkpoint continues from it; the finished one is kept.
        QVERIFY(QFile::remove(out + "/cutmix-seed0/result.json"));
        const QDateTime baselineWritten =
            QFileInfo(out + "/baseline-seed0/result.json").lastModified();
        o = cli(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("baseline K 10 seed 0: done before, kept"), qPrintable(o.out));
        QVERIFY2(o.out.contains("cutmix K 10 seed 0: interrupted after epoch 1, resuming"),
                 qPrintable(o.out));
        QVERIFY(readJson(out + "/cutmix-seed0/result.json")["resumed_from_epoch"] == 1);
        // One without a checkpoint is set aside and rerun.
        for (const char* f : {"result.json", "training_state.pt", "training_state.json"})
            QVERIFY(QFile::remove(out + "/cutmix-seed0/" + f));
        o = cli(args);
        QCOMPARE(o.code, 0);
        QVERIFY2(o.out.contains("set aside as"), qPrintable(o.out));
        QVERIFY(QFileInfo::exists(out + "/cutmix-seed0.interrupted-1/config.json"));
        QVERIFY(QFileInfo::exists(out + "/cutmix-seed0/result.json"));
        QCOMPARE(QFileInfo(out + "/baseline-seed0/result.json").lastModified(), baselineWritten);
        QVERIFY2(o.out.contains("cutmix-seed0.interrupted-1`: unfinished"), qPrintable(o.out));

        // Resuming with other settings would mix two experiments in one table: refused.
        QStringList other = args;
        other[other.indexOf("--epochs") + 1] = "2";
        QFile plan(out + "/plan.json");
        QVERIFY(plan.open(QIODevice::ReadOnly));
        const QByteArray planBefore = plan.readAll();
        plan.close();
        const Outcome mismatch = cli(other);
        QCOMPARE(mismatch.code, 2);
        QVERIFY2(mismatch.err.contains("other settings (epochs)"), qPrintable(mismatch.err));
        QVERIFY(plan.open(QIODevice::ReadOnly));
        QCOMPARE(plan.readAll(), planBefore);  // the refused request changed nothing
        plan.close();
        // A folder without plan.json (an older version's): the kept runs refuse it.
        QVERIFY(QFile::remove(out + "/plan.json"));
        const Outcome old = cli(other);
        QCOMPARE(old.code, 2);
        QVERIFY2(old.err.contains("other settings (epochs)"), qPrintable(old.err));
        QVERIFY(!QFileInfo::exists(out + "/plan.json"));
        QCOMPARE(cli({"compare", "--method", "mixup", "--out", tmp.filePath("x")}).code, 2);
        const QString table = tmp.filePath("t.tex");
        QCOMPARE(cli({"export", out, "--format", "latex", "--output", table}).code, 0);
        QVERIFY(QFileInfo(table).size() > 0);
        const Outcome again = cli({"export", out, "--format", "latex", "--output", table});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("never overwritten"), qPrintable(again.err));
        QCOMPARE(cli({"export", out, "--format", "xls"}).code, 2);
    }

    // The reliability promise: a run killed with SIGKILL in the middle of an epoch leaves only
    // whole files, and `train --resume` ends with exactly the figures of an uninterrupted run
    // on the same seed (CPU, fixed thread count: deterministic).
    void killedRunResumesToTheSameResult() {
        QTemporaryDir tmp;
        const QStringList args{"--per-class",
                               "10",
                               "--epochs",
                               "6",
                               "--image-size",
                               "16",
                               "--batch",
                               "16",
                               "--max-test",
                               "200",
                               "--seed",
                               "5",
                               "--threads",
                               "2",
                               "--checkpoint-seconds",
                               "0"};
        const QString full = tmp.filePath("full"), part = tmp.filePath("part");
        QCOMPARE(cli(QStringList{"train"} + args + QStringList{"--out", full}).code, 0);

        QProcess p;
        p.start(qEnvironmentVariable("FEWDATA_CLI"),
                QStringList{"train"} + args + QStringList{"--out", part});
        auto epochsWritten = [&] {
            QFile f(part + "/metrics.jsonl");
            return f.open(QIODevice::ReadOnly) ? int(f.readAll().count('\n')) : 0;
        };
        QVERIFY(QTest::qWaitFor([&] { return epochsWritten() >= 2; }, 120000));
        QTest::qWait(150);  // into the next epoch
        p.kill();           // SIGKILL: no handler runs, nothing is flushed
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY2(!QFileInfo::exists(part + "/result.json"), "killed before it finished");
        const int atKill = epochsWritten();
        QVERIFY(atKill >= 2 && atKill < 6);
        const QString broken = brokenFileIn(part);
        QVERIFY2(broken.isEmpty(), qPrintable(broken));

        // Only the execution keys may change on resume; a finished run cannot be resumed.
        const Outcome refused = cli({"train", "--resume", part, "--epochs", "9"});
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.err.contains("'epochs' cannot change"), qPrintable(refused.err));
        const Outcome resumed = cli({"train", "--resume", part, "--threads", "2"});
        QCOMPARE(resumed.code, 0);
        QVERIFY(brokenFileIn(part).isEmpty());
        QVERIFY(QDir(part).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden).isEmpty());

        const nlohmann::json a = readJson(full + "/result.json"),
                             b = readJson(part + "/result.json");
        QVERIFY(b["resumed_from_epoch"].get<int>() >= 1);
        for (const char* key : {"val_accuracy", "test_accuracy", "test_accuracy_last", "best_epoch",
                                "steps_completed", "test_confusion"})
            QVERIFY2(a[key] == b[key], key);
        // The curve too, epoch by epoch (timings aside), with no epoch twice.
        std::ifstream fa((full + "/metrics.jsonl").toStdString()),
            fb((part + "/metrics.jsonl").toStdString());
        int lines = 0;
        for (std::string la, lb; std::getline(fa, la);) {
            QVERIFY(std::getline(fb, lb));
            auto ja = nlohmann::json::parse(la), jb = nlohmann::json::parse(lb);
            for (const char* key : {"epoch", "train_loss", "val_loss", "val_accuracy", "best"})
                QVERIFY2(ja[key] == jb[key],
                         qPrintable(QString("epoch %1 %2").arg(lines + 1).arg(key)));
            ++lines;
        }
        std::string extra;
        QVERIFY(!std::getline(fb, extra));
        QCOMPARE(lines, 6);

        const Outcome again = cli({"train", "--resume", part});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.contains("has finished"), qPrintable(again.err));
    }

    // A full disk while the model is saved: a clear error naming the file, exit 3, and a
    // consistent folder (whole files, a failed result.json, no temporary left behind).
    void diskFullKeepsAConsistentFolder() {
        QTemporaryDir tmp;
        const QString mount = tmp.filePath("small");
        QDir().mkpath(mount);
        if (QProcess::execute("mount", {"-t", "tmpfs", "-o", "size=2m", "tmpfs", mount}) != 0)
            QSKIP("needs root to mount a small tmpfs");
        const QString run = mount + "/run";
        const Outcome o = cli({"train", "--per-class", "10", "--epochs", "1", "--image-size", "16",
                               "--max-test", "50", "--out", run});
        const QString broken = brokenFileIn(run);
        const QStringList left = QDir(run).entryList(QDir::Files | QDir::Hidden);
        const nlohmann::json result = readJson(run + "/result.json");
        QProcess::execute("umount", {mount});
        QCOMPARE(o.code, 3);
        const QString said = o.out + o.err;
        QVERIFY2(said.contains("No space left on device") && said.contains("best_model.pt'"),
                 qPrintable(said));
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
        QVERIFY2(left.filter(".tmp-").isEmpty(), qPrintable(left.join(' ')));
        QVERIFY(left.contains("config.json") && left.contains("manifest.json"));
        QCOMPARE(result.value("status", ""), std::string("failed"));
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
