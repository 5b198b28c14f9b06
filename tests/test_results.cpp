// Aggregation over seeds against hand-computed figures, run folders that must be left out,
// and the exported tables.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/comparison.h"
#include "core/errors.h"
#include "core/results.h"
#include "core/table_export.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeRun(const fs::path& dir, const std::string& method, int seed, double val, double test,
              const std::string& status = "finished", int format = 1) {
    fs::create_directories(dir);
    std::ofstream(dir / "config.json") << nlohmann::json{{"dataset", "toy"},
                                                         {"model", "resnet18"},
                                                         {"method", method},
                                                         {"seed", seed},
                                                         {"per_class", 50}};
    std::ofstream(dir / "result.json") << nlohmann::json{
        {"format", format},      {"status", status},           {"val_accuracy", val},
        {"test_accuracy", test}, {"test_accuracy_last", test}, {"seconds", 1.0},
        {"best_epoch", 3}};
}

}  // namespace

class TestResults : public QObject {
    Q_OBJECT
private slots:
    void intervalByHand() {
        // 76, 78, 80: mean 78, sd 2, half-width t(0.975, 2) * 2 / sqrt(3) = 4.303 * 1.1547
        // = 4.9687.
        const Interval i = summarize({76, 78, 80});
        QCOMPARE(i.n, 3);
        QCOMPARE(i.mean, 78.0);
        QCOMPARE(i.sd, 2.0);
        QVERIFY(std::abs(i.low - (78 - 4.9687)) < 1e-3);
        QVERIFY(std::abs(i.high - (78 + 4.9687)) < 1e-3);
        QCOMPARE(tQuantile975(1), 12.706);
        QVERIFY(std::abs(tQuantile975(60) - 2.000) < 0.003);
        const Interval one = summarize({42});
        QCOMPARE(one.sd, 0.0);
        QCOMPARE(one.low, 42.0);
    }

    void aggregatePairsSeedsAndLeavesOutBadRuns() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        writeRun(root / "baseline-seed0", "baseline", 0, 70, 60);
        writeRun(root / "baseline-seed1", "baseline", 1, 72, 64);
        writeRun(root / "mixup-seed0", "mixup", 0, 75, 63);
        writeRun(root / "mixup-seed1", "mixup", 1, 71, 69);
        writeRun(root / "mixup-seed2", "mixup", 2, 99, 99, "failed");
        writeRun(root / "old", "mixup", 3, 99, 99, "finished", 0);
        fs::create_directories(root / "half");
        std::ofstream(root / "half" / "config.json") << "{}";
        const RunScan scan = scanRuns(root.string());
        QCOMPARE(scan.runs.size(), size_t(4));
        QCOMPARE(scan.problems.size(), size_t(3));
        const auto rows = aggregate(scan.runs);
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(QString::fromStdString(rows[0].method), QString("baseline"));
        QCOMPARE(rows[1].test.mean, 66.0);
        // Paired by seed: (63 - 60, 69 - 64) = (3, 5): mean 4.
        QVERIFY(rows[1].testVsBaseline.has_value());
        QCOMPARE(rows[1].testVsBaseline->mean, 4.0);
        QVERIFY(!rows[0].testVsBaseline);

        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("| toy | resnet18 | mixup | 73.00 ± 2.83 | 66.00 ± 4.24 |") !=
                     std::string::npos,
                 md.c_str());
        QVERIFY(md.find("+4.00") != std::string::npos);
        QVERIFY(md.find("status 'failed'") != std::string::npos);
        QVERIFY(md.find("format 0") != std::string::npos);
        QVERIFY(md.find("unfinished") != std::string::npos);
        const std::string latex = exportTable(scan, rows, "latex");
        QVERIFY(latex.find("\\toprule") != std::string::npos &&
                latex.find("$66.00 \\pm 4.24$") != std::string::npos);
        const auto json = nlohmann::json::parse(exportTable(scan, rows, "json"));
        QCOMPARE(json["runs"].size(), size_t(4));
        QCOMPARE(json["left_out"].size(), size_t(3));
        const std::string csv = exportTable(scan, rows, "csv");
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 1L + 2 + 4);
        QVERIFY_THROWS_EXCEPTION(InputError, exportTable(scan, rows, "xls"));
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
