// fewdata-cli as a user meets it: exit codes and messages for bad input, and a tiny real run.
#include <sys/stat.h>
#include <torch/torch.h>

#include <QtTest>

#include "test_helpers.h"
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

class TestCli : public QObject {
    Q_OBJECT

    using Outcome = testhelp::CliOutcome;
    Outcome cli(const QStringList& args, int timeoutMs = 300000) {
        return testhelp::runCli(args, timeoutMs);
    }

    static void writeText(const QString& path, const std::string& text) {
        std::ofstream(path.toStdString(), std::ios::binary) << text;
    }

    // One tiny finished run for the predict tests, trained once.
    QTemporaryDir shared_;
    QString trainedRun() {
        const QString run = shared_.filePath("run");
        if (!QFileInfo::exists(run + "/result.json"))
            cli({"train", "--per-class", "10", "--epochs", "1", "--image-size", "12",
                 "--max-test", "50", "--seed", "1", "--out", run});
        return run;
    }

    // A copy of the tiny run with its manifest changed by `edit`.
    QString runWithManifest(const QString& name,
                            const std::function<void(nlohmann::json&)>& edit) {
        const QString from = trainedRun(), to = shared_.filePath(name);
        QDir().mkpath(to);
        for (const char* f : {"result.json", "config.json", "best_model.pt"})
            QFile::copy(from + "/" + f, to + "/" + f);
        nlohmann::json manifest = readJson(from + "/manifest.json");
        edit(manifest);
        writeText(to + "/manifest.json", manifest.dump());
        return to;
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
        // The output is checked before the run is read and its images predicted.
        QTest::newRow("predict into a missing folder")
            << QStringList{"predict", "/no/run", "--images", "/no/imgs", "--output", "x/p.csv"}
            << "/run/p.csv'";
        // 2,000,000,000 seeds ran out of memory while planned (exit 3).
        QTest::newRow("too many seeds")
            << QStringList{"compare", "--out", "x", "--seeds", "2000000000"} << "--seeds";
        QTest::newRow("no seeds") << QStringList{"compare", "--out", "x", "--seeds", "0"}
                                  << "--seeds 0";
        // The second seed would wrap to a negative one.
        QTest::newRow("seeds past the largest int")
            << QStringList{"compare", "--out", "x", "--seed", "2147483647", "--seeds", "2"}
            << "--seed 2147483647 with --seeds 2";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, mustMention);
        QTemporaryDir tmp;
        for (auto& a : args)
            if (a == "x" || a.startsWith("x/")) a = tmp.filePath("run") + a.mid(1);
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

    // --config naming a folder aborted (exit 134), a FIFO blocked, a deep nesting overflowed
    // the stack: each is bad input naming the file, at once.
    void hostileConfigFiles_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("folder") << "folder" << "is a folder";
        QTest::newRow("FIFO") << "fifo" << "is a FIFO";
        QTest::newRow("nested 100,000 deep") << "deep" << "nested more than";
    }
    void hostileConfigFiles() {
        QFETCH(QString, kind);
        QFETCH(QString, mustMention);
        QTemporaryDir tmp;
        const QString cfg = tmp.filePath("cfg.json");
        if (kind == "folder") QVERIFY(QDir().mkpath(cfg));
        if (kind == "fifo") QCOMPARE(::mkfifo(cfg.toUtf8().constData(), 0644), 0);
        if (kind == "deep") writeText(cfg, std::string(100000, '[') + std::string(100000, ']'));
        const Outcome o = cli({"train", "--config", cfg, "--out", tmp.filePath("run")}, 60000);
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(cfg) && o.err.contains(mustMention), qPrintable(o.err));
        QVERIFY(!QFileInfo::exists(tmp.filePath("run")));
        // The same as a run's config.json under predict.
        const QString run = tmp.filePath("fake-run");
        QVERIFY(QDir().mkpath(run));
        writeText(run + "/result.json", R"({"status": "finished"})");
        QCOMPARE(std::rename(cfg.toUtf8().constData(), (run + "/config.json").toUtf8().constData()),
                 0);
        const Outcome p = cli({"predict", run, "--images", tmp.path(), "--output",
                               tmp.filePath("p.csv")},
                              60000);
        QCOMPARE(p.code, 2);
        QVERIFY2(p.err.contains(run + "/config.json") && p.err.contains(mustMention),
                 qPrintable(p.err));
    }

    // A FIFO as a run's manifest.json is named, not waited on.
    void fifoManifestEndsPredict() {
        QTemporaryDir tmp;
        const QString run = tmp.filePath("fake-run");
        QVERIFY(QDir().mkpath(run));
        writeText(run + "/result.json", R"({"status": "finished"})");
        writeText(run + "/config.json", "{}");
        QCOMPARE(::mkfifo((run + "/manifest.json").toUtf8().constData(), 0644), 0);
        const Outcome o =
            cli({"predict", run, "--images", tmp.path(), "--output", tmp.filePath("p.csv")},
                60000);
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(run + "/manifest.json") && o.err.contains("FIFO"),
                 qPrintable(o.err));
    }

    // predict trusted the run's files: a model of another class count predicted classes the
    // run does not have, a std of 0 made every prediction 0, a huge cache allocated 23 GB.
    // Each is refused naming the file and what is wrong, before any image is read.
    void predictChecksTheRunItLoads_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("model of another class count")
            << "classes" << "best_model.pt" << "has shape [10, 512]";
        QTest::newRow("std 0") << "std" << "manifest.json" << "normalize_std";
        QTest::newRow("std beyond a float") << "huge" << "manifest.json" << "normalize_std";
        QTest::newRow("huge cache") << "cache" << "manifest.json" << "60000 x 60000";
        QTest::newRow("unknown stem") << "stem" << "manifest.json" << "'tiny'";
    }
    void predictChecksTheRunItLoads() {
        QFETCH(QString, change);
        QFETCH(QString, file);
        QFETCH(QString, mustMention);
        QVERIFY(QFileInfo::exists(trainedRun() + "/best_model.pt"));
        const QString run = runWithManifest(change, [&](nlohmann::json& m) {
            if (change == "classes") m["classes"] = {"a", "b", "c"};
            if (change == "std") m["setup"]["normalize_std"] = {0.0};
            if (change == "huge") m["setup"]["normalize_std"] = {1e39};
            if (change == "cache") m["setup"]["cache"] = {1, 60000, 60000};
            if (change == "stem") m["setup"]["stem"] = "tiny";
        });
        QTemporaryDir tmp;
        cv::imwrite(tmp.filePath("a.png").toStdString(), cv::Mat(20, 20, CV_8UC1, cv::Scalar(9)));
        const Outcome o = cli(
            {"predict", run, "--images", tmp.path(), "--output", tmp.filePath("p.csv")}, 120000);
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(run + "/" + file) && o.err.contains(mustMention),
                 qPrintable(o.err));
        QVERIFY(!QFileInfo::exists(tmp.filePath("p.csv")));
    }

    // File names with a comma or a line break: predict quotes them (RFC 4180) and score reads
    // them back; unquoted, score rejected the workbench's own CSV.
    void predictionsOfAnyFileNameRoundTripThroughScore() {
        const QString run = trainedRun();
        QTemporaryDir tmp;
        const QString images = tmp.filePath("imgs");
        QVERIFY(QDir().mkpath(images));
        const QStringList names = {"a,b.png", "new\nline.png", "plain.png"};
        for (int i = 0; i < names.size(); ++i)
            QVERIFY(cv::imwrite((images + "/" + names[i]).toStdString(),
                                cv::Mat(28, 28, CV_8UC1, cv::Scalar(40 * i))));
        const QString csv = tmp.filePath("pred.csv");
        const Outcome p = cli({"predict", run, "--images", images, "--output", csv}, 120000);
        QCOMPARE(p.code, 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("\"a,b.png\",") && text.contains("\"new\nline.png\","),
                 text.constData());
        const Outcome s = cli({"score", csv, csv}, 60000);
        QCOMPARE(s.code, 0);
        QVERIFY2(s.out.contains("100.00% (3 of 3"), qPrintable(s.out + s.err));
    }

    // A header alone scored 0.00 % with exit 0; ids listed are shown with control characters
    // escaped.
    void scoreRefusesNothingToScoreAndEscapesIds() {
        QTemporaryDir tmp;
        const QString header = tmp.filePath("header.csv"), full = tmp.filePath("full.csv");
        writeText(header, "Image IDs,Predictions\n");
        writeText(full, "Image IDs,Predictions\n\"x\x1b[2Jy.png\",1\n");
        const Outcome o = cli({"score", header, header}, 60000);
        QCOMPARE(o.code, 2);
        QVERIFY2(o.err.contains(header) && o.err.contains("nothing to score"), qPrintable(o.err));
        const Outcome missing = cli({"score", full, header}, 60000);
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains(header), qPrintable(missing.err));
        writeText(header, "Image IDs,Predictions\nother.png,1\n");
        const Outcome listed = cli({"score", full, header}, 60000);
        QCOMPARE(listed.code, 3);
        QVERIFY2(listed.out.contains("x\\x1b[2Jy.png") && !listed.out.contains('\x1b'),
                 qPrintable(listed.out));
    }

    // 1024 threads on a few cores turned seconds into minutes: capped at the cores, said once,
    // and result.json records what was used.
    void threadsAboveTheCoresAreCapped() {
        const int cores = QThread::idealThreadCount();
        if (cores >= 1024) QSKIP("needs a machine with fewer than 1024 cores");
        QTemporaryDir tmp;
        const QString run = tmp.filePath("run");
        const Outcome o = cli({"train", "--per-class", "10", "--epochs", "1", "--image-size", "12",
                               "--max-test", "50", "--threads", "1024", "--out", run});
        QCOMPARE(o.code, 0);
        QVERIFY2(o.err.count("note: threads 1024 is more than the") == 1, qPrintable(o.err));
        const int used = readJson(run + "/result.json")["threads"].get<int>();
        QVERIFY2(used >= 1 && used < 1024, qPrintable(QString::number(used)));
        QVERIFY2(o.err.contains(QString("cores this process may use; using %1").arg(used)),
                 qPrintable(o.err));
    }

    // `| head -1` killed the training through SIGPIPE at its next line: now the printing stops
    // and the run finishes.
    void aClosedStdoutDoesNotEndTheRun() {
        QTemporaryDir tmp;
        const QString run = tmp.filePath("run");
        QProcess sh;
        sh.start("bash", {"-c",
                          "\"$0\" train --per-class 10 --epochs 2 --image-size 12 --max-test 50 "
                          "--out \"$1\" | head -1; echo \"status ${PIPESTATUS[0]}\" >&2",
                          qEnvironmentVariable("FEWDATA_CLI"), run});
        QVERIFY(sh.waitForFinished(300000));
        const QString out = QString::fromUtf8(sh.readAllStandardOutput());
        const QString err = QString::fromUtf8(sh.readAllStandardError());
        QVERIFY2(out.startsWith("run ") && out.count('\n') == 1, qPrintable(out));
        QVERIFY2(err.contains("status 0"), qPrintable(err));
        QCOMPARE(readJson(run + "/result.json").value("status", ""), std::string("finished"));
    }

    // The first SIGTERM ends a run while it reads its dataset (a FIFO among the images once
    // blocked it there, and the signal was only noted): exit 4, cancelled.
    void firstSigtermEndsARunWhileItReadsItsData() {
        QTemporaryDir tmp;
        const QString data = tmp.filePath("data");
        for (const char* c : {"cat", "dog"}) {
            QVERIFY(QDir().mkpath(data + "/" + c));
            for (int i = 0; i < 200; ++i)
                cv::imwrite((data + "/" + c + "/" + QString::number(i) + ".png").toStdString(),
                            cv::Mat(64, 64, CV_8UC3, cv::Scalar(i, 2 * i % 256, 7)));
        }
        QCOMPARE(::mkfifo((data + "/dog/zz.png").toUtf8().constData(), 0644), 0);
        const QString run = tmp.filePath("run");
        QProcess p;
        p.start(qEnvironmentVariable("FEWDATA_CLI"),
                {"train", "--dataset", data, "--per-class", "100", "--epochs", "200", "--out",
                 run});
        // The run folder is claimed before the images are read.
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(run); }, 120000));
        p.terminate();  // SIGTERM, once
        QVERIFY2(p.waitForFinished(60000), "the first SIGTERM did not end the run");
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 4);
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
