// Aggregation over seeds against hand-computed figures, run folders that must be left out,
// and the exported tables.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QtTest>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/csv.h"
#include "core/base/errors.h"
#include "core/base/npy_file.h"
#include "core/run/predictions_file.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/results/results.h"
#include "core/results/significance.h"
#include "core/results/table_export.h"
#include "core/run/comparison.h"
#include "test_helpers.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeRun(const fs::path& dir, const std::string& method, int seed, double val, double test,
              const std::string& status = "finished", int format = 1, int perClass = 50,
              const nlohmann::json& extraConfig = nlohmann::json::object(),
              const std::string& version = "") {
    fs::create_directories(dir);
    // Every key, as a run writes its config.json.
    nlohmann::json config = TrainConfig().toJson();
    config["dataset"] = "toy";
    config["model"] = "resnet18";
    config["method"] = method;
    config["seed"] = seed;
    config["per_class"] = perClass;
    for (const auto& [k, v] : extraConfig.items()) config[k] = v;
    std::ofstream(dir / "config.json") << config;
    nlohmann::json result{
        {"format", format},      {"status", status},           {"val_accuracy", val},
        {"test_accuracy", test}, {"test_accuracy_last", test}, {"seconds", 1.0},
        {"best_epoch", 3}};
    if (!version.empty()) result["workbench_version"] = version;
    std::ofstream(dir / "result.json") << result;
}

// A run's test predictions and every class's probability for them (4 images, 3 classes): what
// the seed ensembles read.
void writeTestProbabilities(const fs::path& dir, const std::vector<int64_t>& truth,
                            const std::vector<float>& probabilities,
                            const std::vector<std::string>& ids = {"a", "b", "c", "d"}) {
    Predictions p;
    const int64_t cols = int64_t(probabilities.size() / truth.size());
    for (size_t i = 0; i < truth.size(); ++i) {
        p.test.rows.push_back(int64_t(i));
        p.test.truth.push_back(truth[i]);
        int64_t best = 0;
        for (int64_t c = 1; c < cols; ++c)
            if (probabilities[i * size_t(cols) + size_t(c)] > probabilities[i * size_t(cols) + size_t(best)])
                best = c;
        p.test.predicted.push_back(best);
        p.test.pPredicted.push_back(probabilities[i * size_t(cols) + size_t(best)]);
        p.test.pTrue.push_back(probabilities[i * size_t(cols) + size_t(truth[i])]);
    }
    SplitIds s;
    s.test = ids;
    std::ofstream(dir / kPredictionsFile) << predictionsCsv(p, s, {"x", "y", "z"});
    std::ofstream(dir / kTestProbabilitiesFile, std::ios::binary)
        << npyBytes({int64_t(truth.size()), cols, probabilities});
}

using Recipes = std::vector<nlohmann::json>;

// `levels` folders named `name` nested in `top`: past PATH_MAX no path reaches the deepest, so
// listing it fails (ENAMETOOLONG) as an unreadable folder's does, for root too.
void makeNestedPastPathMax(const fs::path& top, int levels, const std::string& name) {
    fs::create_directories(top);
    int fd = ::open(top.c_str(), O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < levels && fd >= 0; ++i) {
        ::mkdirat(fd, name.c_str(), 0755);
        const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
        ::close(fd);
        fd = next;
    }
    QVERIFY(fd >= 0);
    ::close(fd);
}

// QTemporaryDir removes by path, which cannot reach the deepest of them.
void removeNested(const fs::path& top, int levels, const std::string& name) {
    std::vector<int> fds{::open(top.c_str(), O_RDONLY | O_DIRECTORY)};
    for (int i = 1; i < levels; ++i)
        fds.push_back(::openat(fds.back(), name.c_str(), O_RDONLY | O_DIRECTORY));
    for (int i = levels - 1; i >= 0; --i) {
        ::unlinkat(fds[size_t(i)], name.c_str(), AT_REMOVEDIR);
        ::close(fds[size_t(i)]);
    }
}

// scanRuns on a thread of its own: a scan that blocks (on a FIFO) fails the test instead of
// hanging it. The blocked thread is left behind; the test binary ends anyway.
bool scanWithin(const std::string& root, RunScan& out) {
    auto promise = std::make_shared<std::promise<RunScan>>();
    std::future<RunScan> done = promise->get_future();
    std::thread([promise, root] { promise->set_value(scanRuns(root)); }).detach();
    if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) return false;
    out = done.get();
    return true;
}

const RunProblem* problemOf(const RunScan& scan, const std::string& dirEnd) {
    for (const auto& p : scan.problems)
        if (p.dir.size() >= dirEnd.size() &&
            p.dir.compare(p.dir.size() - dirEnd.size(), dirEnd.size(), dirEnd) == 0)
            return &p;
    return nullptr;
}

const MethodRow& rowOf(const std::vector<MethodRow>& rows, const std::string& method,
                       const std::string& label) {
    for (const auto& r : rows)
        if (r.method == method && r.recipeLabel == label) return r;
    throw std::runtime_error("no row " + method + " / " + label);
}

}  // namespace

class TestResults : public QObject {
    Q_OBJECT
private slots:
    void csvQuotesAndReadsBackAnyName() {
        const std::vector<std::string> names = {"plain", "a,b.png", "say \"hi\"", "two\nlines",
                                                " padded ", "", "cr\r\nlf"};
        std::string text;
        for (const auto& n : names) text += csvField(n) + ",x\n";
        const auto records = parseCsv(text, "t.csv");
        QCOMPARE(records.size(), names.size());
        for (size_t i = 0; i < names.size(); ++i) {
            QCOMPARE(records[i].size(), size_t(2));
            QCOMPARE(QString::fromStdString(records[i][0]), QString::fromStdString(names[i]));
        }
        QCOMPARE(csvField("plain"), std::string("plain"));  // quoted only where needed
        // CRLF line ends, a trailing empty field, no final line break.
        const auto crlf = parseCsv("a,b\r\nc,", "t.csv");
        QCOMPARE(crlf.size(), size_t(2));
        QCOMPARE(crlf[1].size(), size_t(2));
        QVERIFY(crlf[1][1].empty());
        EXPECT_ERROR_MENTIONING(InputError, parseCsv("a\n\"open,b\nc", "t.csv"), "'t.csv' line 2",
                                "not closed");
        EXPECT_ERROR_MENTIONING(InputError, parseCsv("\"a\"b,c", "t.csv"), "line 1",
                                "after a closing quote");
    }

    void predictionsFileRoundTrip() {
        Predictions p;
        p.test.rows = {0, 2};
        p.test.truth = {1, 0};
        p.test.predicted = {1, 2};
        p.test.pPredicted = {0.75f, 0.5f};
        p.test.pTrue = {0.75f, 0.125f};
        p.train.rows = {5};  // beyond the ids: named by split and position
        p.train.truth = {0};
        p.train.predicted = {0};
        p.train.pPredicted = {1.0f};
        p.train.pTrue = {1.0f};
        SplitIds ids;
        ids.test = {"img/a,b.png", "x", "img/\"q\".png"};
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("predictions.csv").toStdString();
        std::ofstream(path) << predictionsCsv(p, ids, {"cat", "dog"});
        const auto rows = readPredictions(path);
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(QString::fromStdString(rows[0].id), QString("train:5"));
        QCOMPARE(QString::fromStdString(rows[1].id), QString("img/a,b.png"));
        QCOMPARE(QString::fromStdString(rows[2].id), QString("img/\"q\".png"));
        QCOMPARE(QString::fromStdString(rows[1].trueClass), QString("dog"));
        QCOMPARE(QString::fromStdString(rows[2].predictedClass), QString("2"));  // no name
        QCOMPARE(rows[2].pTrue, 0.125);
        QVERIFY(rows[1].correct() && !rows[2].correct());
        std::ofstream(path) << "id,split\nx,test\n";
        EXPECT_ERROR_MENTIONING(InputError, readPredictions(path), "predictions.csv",
                                "not a predictions file");
        std::ofstream(path) << predictionsCsv(p, ids, {"cat", "dog"}) << "y,test,1,dog,0,cat,1.5,0\n";
        EXPECT_ERROR_MENTIONING(InputError, readPredictions(path), "record 5", "in range");
    }

    void intervalByHand() {
        // 76, 78, 80: mean 78, sd 2, half-width t(0.975, 2) * 2 / sqrt(3) = 4.303 * 1.1547
        // = 4.9687.
        const Interval i = summarize({76, 78, 80});
        QCOMPARE(i.n, 3);
        QCOMPARE(i.mean, 78.0);
        QCOMPARE(i.sd, 2.0);
        QVERIFY(std::abs(i.low - (78 - 4.9687)) < 1e-3);
        QVERIFY(std::abs(i.high - (78 + 4.9687)) < 1e-3);
        QVERIFY(std::abs(tQuantile975(1) - 12.7062) < 1e-4);
        QVERIFY(std::abs(tQuantile975(2) - 4.3027) < 1e-4);
        QVERIFY(std::abs(tQuantile975(60) - 2.000) < 0.003);
        const Interval one = summarize({42});
        QCOMPARE(one.sd, 0.0);
        QCOMPARE(one.low, 42.0);
    }

    // A t-interval of few seeds with a wide spread reaches past 100 %: clipped, as a difference
    // of two accuracies is to [-100, 100]; the mean and sd are left as they are.
    void intervalsAreClippedToWhatAnAccuracyCanBe() {
        // 100, 100, 90: mean 96.67, sd 5.77, half-width 4.303 * 5.77 / sqrt(3) = 14.34.
        const Interval clipped = summarize({100, 100, 90}, 0, 100);
        QCOMPARE(clipped.high, 100.0);
        QVERIFY(std::abs(clipped.low - (96.6667 - 14.3422)) < 1e-3);
        QVERIFY(std::abs(clipped.mean - 96.6667) < 1e-3);
        QVERIFY(summarize({100, 100, 90}).high > 110);  // unclipped by default
        QVERIFY(summarize({3, 5, 90}, 0, 100).low == 0.0);
        const Interval diff = summarize({-99, 99}, -100, 100);
        QCOMPARE(diff.low, -100.0);
        QCOMPARE(diff.high, 100.0);

        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 100, 100);
        writeRun(root / "baseline-seed1", "baseline", 1, 100, 100);
        writeRun(root / "baseline-seed2", "baseline", 2, 90, 90);
        const RunScan scan = scanRuns(root.string());
        const auto rows = aggregate(scan.runs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].test.high, 100.0);
        QCOMPARE(rows[0].val.high, 100.0);
        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("[82.32, 100.00]") != std::string::npos, md.c_str());
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        QCOMPARE(json["summary"][0]["test"]["ci95"][1].get<double>(), 100.0);
    }

    // A folder that cannot be listed is named with the reason; the scan goes on past it (it
    // stopped there, and the table showed 1 of 6 runs with nothing left out).
    void unreadableFoldersAreLeftOutWithTheReason() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        for (int s = 0; s < 3; ++s) {
            writeRun(root / ("a-" + std::to_string(s)) / "baseline", "baseline", s, 70, 60);
            writeRun(root / ("z-" + std::to_string(s)) / "mixup", "mixup", s, 70, 62);
        }
        const std::string name(200, 'd');
        const int levels = 25;  // 25 x 201 bytes: past PATH_MAX (4096)
        makeNestedPastPathMax(root / "m-deep", levels, name);
        const bool unprivileged = ::geteuid() != 0;  // root reads a mode-000 folder anyway
        if (unprivileged) {
            writeRun(root / "m-locked" / "run", "baseline", 9, 70, 60);
            fs::permissions(root / "m-locked", fs::perms::none);
        }
        const RunScan scan = scanRuns(root.string());
        removeNested(root / "m-deep", levels, name);
        if (unprivileged) fs::permissions(root / "m-locked", fs::perms::owner_all);
        QCOMPARE(scan.runs.size(), size_t(6));
        QCOMPARE(scan.problems.size(), size_t(unprivileged ? 2 : 1));
        const RunProblem& deep = scan.problems[0];
        QVERIFY2(deep.dir.find("m-deep/" + name) != std::string::npos, deep.dir.c_str());
        QVERIFY2(deep.reason.find("cannot read this folder") != std::string::npos &&
                     deep.reason.find("too long") != std::string::npos,
                 deep.reason.c_str());
        if (unprivileged) {
            const RunProblem* locked = problemOf(scan, "m-locked");
            QVERIFY(locked);
            QVERIFY2(locked->reason.find("Permission denied") != std::string::npos,
                     locked->reason.c_str());
        }
        const std::string md = exportTable(scan, aggregate(scan.runs), "md");
        QVERIFY2(md.find("Left out:") != std::string::npos &&
                     md.find("cannot read this folder") != std::string::npos,
                 md.c_str());
    }

    // One bad run is left out, named, and the table stands: a folder named result.json (it made
    // the whole export fail with an unnamed "Is a directory") and a FIFO (it hung the export).
    void aFolderOrFifoAsResultJsonIsLeftOut() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 60);
        writeRun(root / "baseline-seed1", "baseline", 1, 70, 62);
        fs::remove(root / "baseline-seed1" / "result.json");
        fs::create_directories(root / "baseline-seed1" / "result.json");
        writeRun(root / "baseline-seed2", "baseline", 2, 70, 64);
        fs::remove(root / "baseline-seed2" / "result.json");
        QCOMPARE(::mkfifo((root / "baseline-seed2" / "result.json").c_str(), 0644), 0);
        RunScan scan;
        QVERIFY2(scanWithin(root.string(), scan), "the scan blocked on the FIFO");
        QCOMPARE(scan.runs.size(), size_t(1));
        QCOMPARE(scan.problems.size(), size_t(2));
        QVERIFY2(scan.problems[0].reason.find("baseline-seed1/result.json") != std::string::npos &&
                     scan.problems[0].reason.find("folder") != std::string::npos,
                 scan.problems[0].reason.c_str());
        QVERIFY2(scan.problems[1].reason.find("FIFO") != std::string::npos,
                 scan.problems[1].reason.c_str());
        const auto json = nlohmann::json::parse(exportTable(scan, aggregate(scan.runs), "json"));
        QCOMPARE(json["left_out"].size(), size_t(2));
        QCOMPARE(json["runs"].size(), size_t(1));
    }

    // A dataset path is the user's: a '|' or a line break in it must not split a Markdown row.
    void markdownCellsKeepToTheirRow() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 60, "finished", 1, 50,
                 {{"dataset", "/data/a|b\nc"}});
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.runs.size(), size_t(1));
        const std::string md = exportTable(scan, aggregate(scan.runs), "md");
        QVERIFY2(md.find("| /data/a\\|b\\nc | resnet18 | 50 | baseline |") != std::string::npos,
                 md.c_str());
        std::istringstream lines(md);
        for (std::string line; std::getline(lines, line);)
            QVERIFY2(line.rfind("c |", 0) != 0, md.c_str());
    }

    void aggregatePairsSeedsAndLeavesOutBadRuns() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 60);
        writeRun(root / "baseline-seed1", "baseline", 1, 72, 64);
        writeRun(root / "mixup-seed0", "mixup", 0, 75, 63);
        writeRun(root / "mixup-seed1", "mixup", 1, 71, 69);
        writeRun(root / "baseline-seed7", "baseline", 7, 70, 62);  // no mixup partner: unpaired
        writeRun(root / "zz-copy-of-mixup-seed1", "mixup", 1, 10, 10);  // duplicate: left out
        writeRun(root / "k10", "mixup", 0, 50, 50, "finished", 1, 10);  // another K: its own row
        writeRun(root / "mixup-seed2", "mixup", 2, 99, 99, "failed");
        writeRun(root / "old", "mixup", 3, 99, 99, "finished", 0);
        fs::create_directories(root / "half");
        std::ofstream(root / "half" / "config.json") << "{}";
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.runs.size(), size_t(6));
        QCOMPARE(scan.problems.size(), size_t(4));
        const auto rows = aggregate(scan.runs);
        QCOMPARE(rows.size(), size_t(3));  // K 10 mixup; K 50 baseline, mixup
        QCOMPARE(rows[0].perClass, 10);
        QVERIFY(!rows[0].testVsBaseline);  // no K 10 baseline to compare with
        QCOMPARE(QString::fromStdString(rows[1].method), QString("baseline"));
        QCOMPARE(rows[1].test.n, 3);
        QCOMPARE(rows[2].test.mean, 66.0);
        // Paired by seed: (63 - 60, 69 - 64) = (3, 5): mean 4, sd sqrt(2), half-width
        // 12.706 * sqrt(2) / sqrt(2) = 12.706; unpaired means would give 66 - 62 = 4 but with
        // three baseline runs a different interval.
        QVERIFY(rows[2].testVsBaseline.has_value());
        QCOMPARE(rows[2].testVsBaseline->n, 2);
        QCOMPARE(rows[2].testVsBaseline->mean, 4.0);
        QVERIFY(std::abs(rows[2].testVsBaseline->high - (4 + 12.7062)) < 1e-4);
        QVERIFY(!rows[1].testVsBaseline);

        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("| toy | resnet18 | 50 | mixup | 73.00 ± 2.83 | 66.00 ± 4.24 |") !=
                     std::string::npos,
                 md.c_str());
        QVERIFY(md.find("+4.00") != std::string::npos);
        QVERIFY(md.find("same recipe and seed as") != std::string::npos);
        QVERIFY(md.find("status 'failed'") != std::string::npos);
        QVERIFY(md.find("format 0") != std::string::npos);
        QVERIFY(md.find("unfinished") != std::string::npos);
        const std::string latex = exportTable(scan, rows, "latex");
        QVERIFY(latex.find("\\toprule") != std::string::npos &&
                latex.find("$66.00 \\pm 4.24$") != std::string::npos);
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        QCOMPARE(json["runs"].size(), size_t(6));
        QCOMPARE(json["left_out"].size(), size_t(4));
        QCOMPARE(json["summary"][2]["test_vs_baseline"]["mean"].get<double>(), 4.0);
        QCOMPARE(json["summary"][2]["test"]["sd"].get<double>(), rows[2].test.sd);
        const std::string csv = exportTable(scan, rows, "csv");
        std::istringstream lines(csv);
        std::vector<std::vector<std::string>> table;
        for (std::string line; std::getline(lines, line);) {
            std::vector<std::string> fields;
            std::istringstream ls(line);
            for (std::string f; std::getline(ls, f, ',');) fields.push_back(f);
            if (!line.empty() && line.back() == ',') fields.push_back("");
            table.push_back(fields);
        }
        QCOMPARE(table.size(), size_t(1 + 3 + 6));
        for (const auto& row : table) QCOMPARE(row.size(), table[0].size());
        const auto column = [&](const std::string& name) {
            return size_t(std::find(table[0].begin(), table[0].end(), name) - table[0].begin());
        };
        QCOMPARE(table[3][column("test_mean")], std::string("66.0000"));
        QCOMPARE(table[3][column("test_vs_baseline")], std::string("4.0000"));
        QCOMPARE(table[4][column("kind")], std::string("run"));
        QVERIFY_THROWS_EXCEPTION(InputError, exportTable(scan, rows, "xls"));
    }

    // Runs of two recipes in one folder: two rows each, labelled by the key they differ in,
    // and every difference to the baseline paired within its own recipe only.
    void twoRecipesAreKeptApart() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const nlohmann::json e30{{"epochs", 30}}, e60{{"epochs", 60}};
        writeRun(root / "a/baseline-seed0", "baseline", 0, 70, 60, "finished", 1, 50, e30);
        writeRun(root / "a/baseline-seed1", "baseline", 1, 70, 62, "finished", 1, 50, e30);
        writeRun(root / "a/mixup-seed0", "mixup", 0, 70, 61, "finished", 1, 50, e30);
        writeRun(root / "a/mixup-seed1", "mixup", 1, 70, 64, "finished", 1, 50, e30);
        // The same seeds with 60 epochs: not duplicates, and not averaged with the 30-epoch runs.
        writeRun(root / "b/baseline-seed0", "baseline", 0, 70, 70, "finished", 1, 50, e60);
        writeRun(root / "b/baseline-seed1", "baseline", 1, 70, 72, "finished", 1, 50, e60);
        writeRun(root / "b/mixup-seed0", "mixup", 0, 70, 75, "finished", 1, 50, e60);
        writeRun(root / "b/mixup-seed1", "mixup", 1, 70, 79, "finished", 1, 50, e60);
        // A mixup of another alpha is a recipe of its own, paired with the same baseline
        // (the baseline does not read mix_alpha).
        writeRun(root / "c/mixup-seed0", "mixup", 0, 70, 50, "finished", 1, 50,
                 {{"epochs", 30}, {"mix_alpha", 0.2}});
        // A baseline whose config sets mix_alpha is the same recipe as the 30-epoch baseline.
        writeRun(root / "c/baseline-seed2", "baseline", 2, 70, 64, "finished", 1, 50,
                 {{"epochs", 30}, {"mix_alpha", 0.2}}, "0.1.0+other");
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.problems.size(), size_t(0));
        const auto rows = aggregate(scan.runs);
        QCOMPARE(rows.size(), size_t(5));
        const MethodRow& base30 = rowOf(rows, "baseline", "epochs=30");
        QCOMPARE(base30.test.n, 3);
        QCOMPARE(base30.test.mean, 62.0);
        QCOMPARE(base30.versions.size(), size_t(2));  // "0.1.0+other" and unknown
        const MethodRow& mix30 = rowOf(rows, "mixup", "epochs=30, mix_alpha=1.0");
        const MethodRow& mix60 = rowOf(rows, "mixup", "epochs=60, mix_alpha=1.0");
        const MethodRow& mixAlpha = rowOf(rows, "mixup", "epochs=30, mix_alpha=0.2");
        // 61 - 60, 64 - 62 = 1, 2; 75 - 70, 79 - 72 = 5, 7: never 61 - 70 or 75 - 60.
        QCOMPARE(mix30.testVsBaseline->mean, 1.5);
        QCOMPARE(mix60.testVsBaseline->mean, 6.0);
        QCOMPARE(mixAlpha.testVsBaseline->mean, -10.0);
        QCOMPARE(mixAlpha.testVsBaseline->n, 1);
        QVERIFY(!mixAlpha.significance);  // one pair: no test
        // One baseline per recipe and the two 30-epoch mixups are one family of Holm's.
        QVERIFY(mix30.significance && mix60.significance);
        QCOMPARE(mix30.significance->pPerm, 0.5);  // +1, +2: 2 of 4 sign flips reach |3|
        QCOMPARE(mix30.significance->pHolm, 0.5);  // alone in its family
        QCOMPARE(mix30.significance->family, 1);
        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("| toy | resnet18 | 50 | epochs=60, mix_alpha=1.0 | mixup |") !=
                     std::string::npos,
                 md.c_str());
        QVERIFY2(
            md.find("mixes runs of workbench versions 0.1.0+other, unknown") != std::string::npos,
            md.c_str());
        QVERIFY2(
            md.find("Recipes (rows of different recipes are never averaged") != std::string::npos,
            md.c_str());
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        for (const auto& row : json["summary"])
            QVERIFY(row["recipe"]["epochs"].get<int>() == 30 ||
                    row["recipe"]["epochs"].get<int>() == 60);
    }

    // A run of an older version: its config.json lacks the balanced-batch keys (and its batch
    // of 30 would not pass today's balanced-batch rules). It is read, not left out; its recipe
    // says "not recorded" for what it lacks; a comparison does not take it for a run of today.
    void anOlderRunIsReadAndNotMistakenForToday() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        nlohmann::json old = TrainConfig().toJson();
        for (const char* k : {"balanced_batches", "batch_classes", "batch_images_per_class"})
            old.erase(k);
        old["method"] = "supcon";
        old["batch_size"] = 30;
        old["dataset"] = "toy";
        old["retired_key"] = 1;  // a key this version does not know
        writeRun(root / "supcon-seed0", "supcon", 0, 70, 60);
        std::ofstream(root / "supcon-seed0" / "config.json") << old;
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.problems.size(), size_t(0));
        QVERIFY(scan.runs[0].recipe["balanced_batches"].is_null());
        QCOMPARE(scan.runs[0].recipe["batch_size"].get<int>(), 30);
        QVERIFY(!scan.runs[0].recipe.contains("retired_key"));
        old.erase("retired_key");
        old["batch_size"] = 32;
        writeRun(root / "supcon-seed1", "supcon", 1, 70, 60);
        std::ofstream(root / "supcon-seed1" / "config.json") << old;
        TrainConfig planned = TrainConfig::fromJson(
            {{"method", "supcon"}, {"batch_size", 32}, {"dataset", "toy"}, {"seed", 1}});
        const auto diff = configDifferences((root / "supcon-seed1").string(), planned);
        QVERIFY(std::find(diff.begin(), diff.end(), "balanced_batches (not recorded)") !=
                diff.end());
        // Siamese networks on cached features do not balance: the keys are not in the recipe.
        TrainConfig siamese;
        siamese.method = "siamese-contrastive";
        QVERIFY(!recipeOf(siamese).contains("balanced_batches"));
        siamese.siamese_input = "images";
        QVERIFY(recipeOf(siamese).contains("balanced_batches"));
        TrainConfig mixup;
        mixup.method = "mixup";
        QVERIFY(!recipeOf(mixup).contains("balanced_batches"));
    }

    // A gnn run written before gnn_graph existed trained on the paper's graph: it is read as
    // mean-distance (the key's absentMeans), so it stays a run of today's default recipe; the
    // neighbour count is part of a recipe only on the k-nearest graph.
    void aGnnRunFromBeforeTheGraphKeyIsThePapersGraph() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        nlohmann::json old = TrainConfig().toJson();
        old.erase("gnn_graph");
        old.erase("gnn_neighbours");
        old["method"] = "gnn";
        old["dataset"] = "toy";
        old["seed"] = 0;
        writeRun(root / "gnn-seed0", "gnn", 0, 70, 60);
        std::ofstream(root / "gnn-seed0" / "config.json") << old;
        const nlohmann::json stored = recipeOfStored(old);
        QCOMPARE(stored["gnn_graph"].get<std::string>(), std::string("mean-distance"));
        QVERIFY(!stored.contains("gnn_neighbours"));
        TrainConfig planned = TrainConfig::fromJson({{"method", "gnn"}, {"dataset", "toy"}});
        QCOMPARE(stored, recipeOf(planned));
        const fs::path run = root / "gnn-seed0";
        QCOMPARE(configDifferences(run.string(), planned), std::vector<std::string>{});
        // Another neighbour count changes nothing on the paper's graph...
        planned.gnn_neighbours = 25;
        QCOMPARE(configDifferences(run.string(), planned), std::vector<std::string>{});
        QCOMPARE(recipeOf(planned), stored);
        // ...but the k-nearest graph is another recipe, its k part of it.
        planned.gnn_graph = "knn";
        const auto knn = configDifferences(run.string(), planned);
        QVERIFY(std::find(knn.begin(), knn.end(), "gnn_graph") != knn.end());
        QCOMPARE(recipeOf(planned)["gnn_neighbours"].get<int>(), 25);
        // A key without absentMeans stays "not recorded" (the older run may have trained
        // otherwise).
        old.erase("gnn_hidden");
        QVERIFY(recipeOfStored(old)["gnn_hidden"].is_null());
    }

    void pValuesByHand() {
        // 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt 3) = 3.4641 on 2 degrees of freedom, whose
        // CDF is 1/2 + t / (2 sqrt(2 + t^2)): p = 1 - 3.4641 / sqrt(14) = 0.074180.
        QVERIFY(std::abs(pairedTTestP({1, 2, 3}) - 0.074180) < 1e-5);
        QCOMPARE(pairedTTestP({0, 0, 0}), 1.0);
        QCOMPARE(pairedTTestP({2, 2, 2}), 0.0);
        QCOMPARE(pairedTTestP({5}), 1.0);
        // Sign flips of 1, 2, 3: |sums| 6, 4, 2, 0, 0, 2, 4, 6: two of eight reach 6.
        QCOMPARE(signFlipP({1, 2, 3}), 0.25);
        // 2, -1, 3, 4 (sum 8): only +-(2 + 1 + 3 + 4) = 10 and +-8 reach it: 4 of 16.
        QCOMPARE(signFlipP({2, -1, 3, 4}), 0.25);
        // Six positive: only all-plus and all-minus: 2 / 64.
        QCOMPARE(signFlipP({1, 1, 2, 2, 3, 3}), 2.0 / 64);
        // 22 differences: sampled, not listed; all positive, so about 2 / 2^22 (never 0).
        const double sampled = signFlipP(std::vector<double>(22, 1.0));
        QVERIFY(sampled > 0 && sampled < 1e-5);
    }

    void holmOnAKnownSet() {
        // Sorted 0.01, 0.03, 0.04, 0.2 times 4, 3, 2, 1: 0.04, 0.09, 0.08 -> 0.09 (monotone), 0.2.
        const auto h = holmAdjusted({0.01, 0.04, 0.03, 0.2});
        QCOMPARE(h.size(), size_t(4));
        QVERIFY(std::abs(h[0] - 0.04) < 1e-12);
        QVERIFY(std::abs(h[1] - 0.09) < 1e-12);
        QVERIFY(std::abs(h[2] - 0.09) < 1e-12);
        QVERIFY(std::abs(h[3] - 0.2) < 1e-12);
        QCOMPARE(holmAdjusted({0.6, 0.7})[1], 1.0);  // capped at 1
        // 2 / 2^n < 0.05 from n = 6; times 7 methods (0.05 / 7): 2 / 2^n < 0.00714 from n = 9.
        QCOMPARE(minimumSignFlipSeeds(1), 6);
        QCOMPARE(minimumSignFlipSeeds(7), 9);
    }

    void seedsNeededGrowWithTheSpread() {
        // The normal approximation ((1.96 + 0.84) sd / delta)^2 is a lower bound; the t-test
        // needs a few more at small n.
        for (double sd : {0.5, 1.0, 2.0, 3.0}) {
            const int n = seedsForDifference(1.0, sd);
            const double normal = std::pow((1.96 + 0.8416) * sd, 2);
            QVERIFY2(n >= normal && n <= normal + 4, qPrintable(QString::number(n)));
        }
        QCOMPARE(seedsForDifference(1.0, 0.0), 0);
    }

    void perClassListsAndTheirErrors() {
        QCOMPARE(parsePerClassList("5,10,20,50"), (std::vector<int>{5, 10, 20, 50}));
        EXPECT_ERROR_MENTIONING(InputError, parsePerClassList("1,5"), "K = 1", "below 2");
        EXPECT_ERROR_MENTIONING(InputError, parsePerClassList("5,10,5"), "K = 5", "twice");
        EXPECT_ERROR_MENTIONING(InputError, parsePerClassList("5,ten"), "'ten'");
        const std::vector<std::pair<std::string, size_t>> sizes = {{"cat", 30}, {"dog", 12}};
        EXPECT_ERROR_MENTIONING(InputError, checkPerClassFits({5, 20}, sizes, false), "K = 20",
                                "'dog'", "12");
        checkPerClassFits({5, 12}, sizes, false);
        checkPerClassFits({20}, sizes, true);  // --take-all: a short class gives what it has
        // ... but every class then gives all it has, whatever K: a list would be one run.
        EXPECT_ERROR_MENTIONING(InputError, checkPerClassFits({5, 20}, sizes, true),
                                "take_all_available");

        TrainConfig base;
        const auto plan = planComparison(base, {"reptile", "baseline"}, 2, "/out", {5, 10});
        QCOMPARE(plan.size(), size_t(8));
        QCOMPARE(plan[0].dir, std::string("/out/baseline-k5-seed0"));
        QCOMPARE(plan[3].config.per_class, 10);
        QCOMPARE(plan[3].config.features_from, std::string("/out/baseline-k10-seed0"));
        QCOMPARE(plan[7].dir, std::string("/out/reptile-k10-seed1"));
        // One K keeps the folders of before, so an earlier comparison resumes.
        QCOMPARE(planComparison(base, {"baseline"}, 1, "/out", {20})[0].dir,
                 std::string("/out/baseline-seed0"));
    }

    void learningCurveTable() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        for (int k : {5, 10})
            for (int s : {0, 1}) {
                const std::string suffix = "-k" + std::to_string(k) + "-seed" + std::to_string(s);
                writeRun(root / ("baseline" + suffix), "baseline", s, 50, 40 + k + s, "finished", 1,
                         k);
                writeRun(root / ("mixup" + suffix), "mixup", s, 50, 42 + k + s, "finished", 1, k);
            }
        const RunScan scan = scanRuns(root.string());
        const auto rows = aggregate(scan.runs);
        const auto curves = learningCurves(rows);
        QCOMPARE(curves.size(), size_t(2));
        QCOMPARE(curves[0].method, std::string("baseline"));
        QCOMPARE(curves[0].points.size(), size_t(2));
        QCOMPARE(curves[0].points[1].perClass, 10);
        QCOMPARE(curves[0].points[1].test.mean, 50.5);
        QCOMPARE(curves[1].points[0].test.mean, 47.5);
        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("| toy | resnet18 | mixup | 47.50 [") != std::string::npos, md.c_str());
        QVERIFY(md.find("| K = 5 | K = 10 |") != std::string::npos);
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        QCOMPARE(json["learning_curves"].size(), size_t(2));
    }

    void presetsAreCompleteRecipes() {
        const ComparisonPreset& paper = findPreset("paper-table1");
        const nlohmann::json r = presetRecipe(paper, "baseline");
        QCOMPARE(r["model"].get<std::string>(), std::string("resnet50"));
        QCOMPARE(r["image_size"].get<int>(), 224);
        QCOMPARE(r["lr"].get<double>(), 0.1);
        QCOMPARE(r["schedule"].get<std::string>(), std::string("step"));
        QCOMPARE(r["step_epochs"].get<int>(), 30);
        // Every Learning key of the table is set by each preset, with a source.
        for (const auto& p : comparisonPresets())
            for (const ConfigKey& k : configTable())
                if (k.role == KeyRole::Learning && std::string(k.key) != "seed" &&
                    std::string(k.key) != "method" &&
                    !(std::string(k.key) == "dataset" && p.datasetFromUser)) {
                    QVERIFY2(p.config.contains(k.key), (p.name + ": " + k.key).c_str());
                    QVERIFY2(p.sources.count(k.key), (p.name + ": " + k.key).c_str());
                }
        const std::string listing = describePresets();
        QVERIFY(listing.find("fmnist-table1") != std::string::npos);
        QVERIFY(listing.find("weight_decay = 0.0001  [VIPriors toolkit") != std::string::npos);
        // A table names the preset its recipe is, or the keys it changed.
        nlohmann::json mixup = presetRecipe(findPreset("fmnist-table1"), "mixup");
        QCOMPARE(recipeOrigin(Recipes{mixup}), std::string("preset fmnist-table1"));
        mixup["epochs"] = 60;
        QCOMPARE(recipeOrigin(Recipes{mixup}), std::string("preset fmnist-table1 with epochs=60"));
        // A GNN run tells Table 2's preset from Table 1's, which has no GNN subset.
        const nlohmann::json gnn = presetRecipe(findPreset("fmnist-table2"), "gnn");
        QCOMPARE(recipeOrigin(Recipes{gnn, presetRecipe(findPreset("fmnist-table2"), "baseline")}),
                 std::string("preset fmnist-table2"));
        nlohmann::json vipriors = presetRecipe(paper, "baseline");
        vipriors["dataset"] = "/data/vipriors";  // the paper's presets take the user's dataset
        QCOMPARE(recipeOrigin(Recipes{vipriors}), std::string("preset paper-table1"));
    }

    // Found by fuzz_run_folder: a damaged result.json with bytes that are not UTF-8 made the
    // parser's message (which quotes them) break the JSON export. It is a reported problem.
    void aDamagedRunWithBinaryBytesIsReported() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 60);
        fs::create_directories(root / "baseline-seed1");
        std::ofstream(root / "baseline-seed1" / "result.json", std::ios::trunc)
            << "{\"status\": \"finished\", \xFC\xFD";
        std::ofstream(root / "baseline-seed1" / "config.json") << "{}";
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.runs.size(), size_t(1));
        QCOMPARE(scan.problems.size(), size_t(1));
        const auto json = nlohmann::json::parse(exportTable(scan, aggregate(scan.runs), "json"));
        QCOMPARE(json["left_out"].size(), size_t(1));
        QVERIFY(json["left_out"][0]["dir"].get<std::string>().find("baseline-seed1") !=
                std::string::npos);
    }

    void npyRoundTripAndRefusals() {
        const FloatMatrix m{2, 3, {0.5f, 0.25f, 0.25f, 0.f, 1.f, 0.f}};
        const std::string bytes = npyBytes(m);
        QCOMPARE(bytes.size() % 64, size_t(24));  // header padded to 64; then 6 floats
        QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
        const FloatMatrix back = parseNpy(bytes, "p.npy");
        QCOMPARE(back.rows, int64_t(2));
        QCOMPARE(back.cols, int64_t(3));
        QCOMPARE(back.at(1, 1), 1.f);
        QCOMPARE(back.at(0, 2), 0.25f);
        EXPECT_ERROR_MENTIONING(InputError, parseNpy("PK\x03\x04", "p.npy"), "p.npy", "magic");
        EXPECT_ERROR_MENTIONING(InputError, parseNpy(bytes.substr(0, bytes.size() - 4), "p.npy"),
                                "p.npy", "bytes of data for shape (2, 3)");
        std::string f8 = bytes;
        f8.replace(f8.find("<f4"), 3, "<f8");
        EXPECT_ERROR_MENTIONING(InputError, parseNpy(f8, "p.npy"), "p.npy", "float32");
        std::string cut = bytes.substr(0, 20);
        EXPECT_ERROR_MENTIONING(InputError, parseNpy(cut, "p.npy"), "p.npy", "cut short");
        EXPECT_ERROR_MENTIONING(InputError, parseNpy(bytes + "xxxx", "p.npy"), "p.npy",
                                "bytes of data for shape (2, 3)");
        // A header padded to 65,000 bytes is still one numpy writes and reads.
        std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }";
        header += std::string(65000 - header.size() - 1, ' ') + "\n";
        std::string padded = "\x93NUMPY\x01";
        padded += '\0';
        padded += char(header.size() & 0xff);
        padded += char(header.size() >> 8);
        const float two[] = {0.25f, 0.75f};
        padded += header + std::string(reinterpret_cast<const char*>(two), sizeof two);
        QCOMPARE(parseNpy(padded, "p.npy").at(0, 1), 0.75f);
        QCOMPARE(parseNpy(npyBytes({3, 0, {}}), "p.npy").rows, int64_t(3));
    }

    // Two seeds each right on 2 of 4 images; their averaged probabilities are right on 3
    // (worked out by hand per image below). A run of another recipe is never averaged in.
    void seedEnsembleAveragesProbabilities() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const std::vector<int64_t> truth = {0, 1, 2, 0};
        writeRun(root / "mixup-seed0", "mixup", 0, 70, 50);
        writeRun(root / "mixup-seed1", "mixup", 1, 70, 50);
        // image (truth): seed 0 -> argmax | seed 1 -> argmax | sum -> argmax
        // a (0): .6 .3 .1 -> 0 right | .25 .45 .30 -> 1 | .85 .75 .40 -> 0 right
        // b (1): .1 .8 .1 -> 1 right | .5 .1 .4 -> 0     | .6 .9 .5 -> 1 right
        // c (2): .5 .1 .4 -> 0       | .0 .1 .9 -> 2 right | .5 .2 1.3 -> 2 right
        // d (0): .1 .2 .7 -> 2       | .6 .3 .1 -> 0 right | .7 .5 .8 -> 2
        writeTestProbabilities(root / "mixup-seed0", truth,
                               {.6f, .3f, .1f, .1f, .8f, .1f, .5f, .1f, .4f, .1f, .2f, .7f});
        writeTestProbabilities(root / "mixup-seed1", truth,
                               {.25f, .45f, .3f, .5f, .1f, .4f, .0f, .1f, .9f, .6f, .3f, .1f});
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 50);
        writeRun(root / "baseline-seed1", "baseline", 1, 70, 50);
        writeTestProbabilities(root / "baseline-seed0", truth,
                               {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0});
        // Tested on other images: no ensemble, said so.
        writeTestProbabilities(root / "baseline-seed1", truth,
                               {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, {"a", "b", "c", "e"});
        // Another recipe's mixup run, with files that would change the average: a row of its own.
        writeRun(root / "mixup-lr-seed2", "mixup", 2, 70, 50, "finished", 1, 50, {{"lr", 0.2}});
        writeTestProbabilities(root / "mixup-lr-seed2", truth, std::vector<float>(12, 0.25f));
        writeRun(root / "cutmix-seed0", "cutmix", 0, 70, 50);
        writeRun(root / "cutmix-seed1", "cutmix", 1, 70, 50);
        writeTestProbabilities(root / "cutmix-seed0", truth, std::vector<float>(12, 0.25f));
        RunScan scan;
        QVERIFY(scanWithin(root.string(), scan));
        const auto rows = aggregate(scan.runs);
        auto rowAt = [&](const std::string& method, double lr) -> const MethodRow& {
            for (const auto& r : rows)
                if (r.method == method && r.recipe.value("lr", 0.0) == lr) return r;
            throw std::runtime_error("no row " + method);
        };
        const MethodRow& mixup = rowAt("mixup", 0.05);
        QVERIFY2(mixup.ensemble.has_value(), mixup.ensembleMissing.c_str());
        QCOMPARE(mixup.ensemble->seeds, 2);  // not the lr 0.2 run
        QCOMPARE(mixup.ensemble->test, 75.0);
        QCOMPARE(mixup.ensemble->singleSeedMean, 50.0);
        QVERIFY(!rowAt("mixup", 0.2).ensemble);
        const MethodRow& baseline = rowAt("baseline", 0.05);
        QVERIFY(!baseline.ensemble);
        QVERIFY2(baseline.ensembleMissing.find("different images") != std::string::npos,
                 baseline.ensembleMissing.c_str());
        const MethodRow& cutmix = rowAt("cutmix", 0.05);
        QVERIFY(!cutmix.ensemble);
        QVERIFY2(cutmix.ensembleMissing.find("cutmix-seed1") != std::string::npos &&
                     cutmix.ensembleMissing.find(kTestProbabilitiesFile) != std::string::npos,
                 cutmix.ensembleMissing.c_str());
        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find(" | mixup | 2 | 75.00 | 50.00 | +25.00 |") != std::string::npos,
                 md.c_str());
        QVERIFY2(md.find("No ensemble for baseline") != std::string::npos &&
                     md.find("toy, resnet18, K = 50): the seeds were tested on different") !=
                         std::string::npos,
                 md.c_str());
        const auto j = nlohmann::json::parse(exportTable(scan, rows, "json"));
        bool found = false;
        for (const auto& row : j["summary"])
            if (row["method"] == "mixup" && row.contains("ensemble")) {
                QVERIFY(!found);  // one mixup row has one
                found = true;
                QCOMPARE(row["ensemble"]["test"].get<double>(), 75.0);
                QCOMPARE(row["ensemble"]["single_seed_mean"].get<double>(), 50.0);
            }
        QVERIFY(found);
        QVERIFY(exportTable(scan, rows, "csv").find("ensemble,toy,resnet18,50,mixup,,2,,,75.0000,") !=
                std::string::npos);
    }

    void table2FromGnnRuns() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        // Two seeds: CNN 80 / 82 on test, MLP 70 / 74, GNN 84 / 88.
        const double cnn[] = {80, 82}, mlp[] = {70, 74}, gnn[] = {84, 88};
        for (int s = 0; s < 2; ++s) {
            const fs::path d = root / ("gnn-seed" + std::to_string(s));
            writeRun(d, "gnn", s, 90, gnn[s]);
            auto result = nlohmann::json::parse(std::ifstream(d / "result.json"));
            result["figures"] = {{"cnn_val_accuracy", 85.0},
                                 {"cnn_test_accuracy", cnn[s]},
                                 {"mlp_val_accuracy", 75.0},
                                 {"mlp_test_accuracy", mlp[s]},
                                 {"graph_edges", 1000.0 + s}};
            std::ofstream(d / "result.json") << result;
        }
        writeRun(root / "baseline-seed0", "baseline", 0, 85, 80);
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.problems.size(), size_t(0));
        const auto rows = aggregate(scan.runs);
        const MethodRow& g = rows[1];
        QCOMPARE(QString::fromStdString(g.method), QString("gnn"));
        QCOMPARE(g.figures.at("cnn_test_accuracy").mean, 81.0);
        QCOMPARE(g.figures.at("graph_edges").mean, 1000.5);
        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("Table 1") != std::string::npos && md.find("Table 2") != std::string::npos,
                 md.c_str());
        // Table 1 holds the baseline only; GNN rows are paired with the CNN per run: +4, +6.
        QVERIFY2(md.find("| Baseline (CNN, same nodes) | 85.00 ± 0.00 | 81.00 ± 1.41 |") !=
                     std::string::npos,
                 md.c_str());
        QVERIFY2(md.find("| GNN | 90.00 ± 0.00 | 86.00 ± 2.83 |") != std::string::npos, md.c_str());
        QVERIFY2(md.find("+5.00 [") != std::string::npos, md.c_str());
        QVERIFY2(md.find("-9.00 [") != std::string::npos, md.c_str());  // MLP: -10, -8
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        QCOMPARE(json["summary"][1]["figures"]["mlp_test_accuracy"]["mean"].get<double>(), 72.0);
        QCOMPARE(json["runs"][1]["figures"]["cnn_test_accuracy"].get<double>(), 80.0);
        const std::string csv = exportTable(scan, rows, "csv");
        QVERIFY2(csv.find("table2,toy,resnet18,50,GNN,,2,90.0000,0.0000,86.0000,2.8284") !=
                     std::string::npos,
                 csv.c_str());
        QVERIFY(exportTable(scan, rows, "latex").find("Table 2") != std::string::npos);
    }

    void comparisonPlanAndResume() {
        TrainConfig base;
        base.seed = 10;
        const auto plan = planComparison(base, {"baseline", "cutmix"}, 2, "/out");
        QCOMPARE(plan.size(), size_t(4));
        QCOMPARE(plan[1].config.method, std::string("cutmix"));
        QCOMPARE(plan[2].config.seed, 11);
        QCOMPARE(plan[3].dir, std::string("/out/cutmix-seed11"));
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 planComparison(base, {"baseline", "dropout"}, 1, "/out"));

        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        QVERIFY(runFolderState((root / "none").string()) == RunFolderState::Missing);
        writeRun(root / "done", "baseline", 0, 1, 1);
        QVERIFY(runFolderState((root / "done").string()) == RunFolderState::Done);
        fs::create_directories(root / "cut");
        std::ofstream(root / "cut" / "config.json") << "{}";
        QVERIFY(runFolderState((root / "cut").string()) == RunFolderState::Interrupted);
        QCOMPARE(setAside((root / "cut").string()), (root / "cut.interrupted-1").string());
        QVERIFY(fs::exists(root / "cut.interrupted-1" / "config.json"));
        QVERIFY(!fs::exists(root / "cut"));
    }
};

QTEST_APPLESS_MAIN(TestResults)
#include "test_results.moc"
