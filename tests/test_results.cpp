// Aggregation over seeds against hand-computed figures, run folders that must be left out,
// and the exported tables.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/run/comparison.h"
#include "core/base/errors.h"
#include "core/results/results.h"
#include "core/results/table_export.h"

using namespace fewdata;
namespace fs = std::filesystem;

namespace {

void writeRun(const fs::path& dir, const std::string& method, int seed, double val, double test,
              const std::string& status = "finished", int format = 1, int perClass = 50) {
    fs::create_directories(dir);
    std::ofstream(dir / "config.json") << nlohmann::json{{"dataset", "toy"},
                                                         {"model", "resnet18"},
                                                         {"method", method},
                                                         {"seed", seed},
                                                         {"per_class", perClass}};
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
        QVERIFY(std::abs(rows[2].testVsBaseline->high - (4 + 12.706)) < 1e-6);
        QVERIFY(!rows[1].testVsBaseline);

        const std::string md = exportTable(scan, rows, "md");
        QVERIFY2(md.find("| toy | resnet18 | 50 | mixup | 73.00 ± 2.83 | 66.00 ± 4.24 |") !=
                     std::string::npos,
                 md.c_str());
        QVERIFY(md.find("+4.00") != std::string::npos);
        QVERIFY(md.find("same dataset, model, K, method and seed") != std::string::npos);
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
