// Reading finished run folders and aggregating them over seeds: mean, standard deviation and a
// 95 % t-interval per method, and each method's paired difference to the baseline.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fewdata {

struct RunRecord {
    std::string dir;
    std::string dataset, model, method;
    int seed = 0;
    int perClass = 0;
    double valAccuracy = 0, testAccuracy = 0, testAccuracyLast = 0, seconds = 0;
    int bestEpoch = 0;
    std::map<std::string, double> figures;  // result.json "figures" (stages, GNN references)
    std::vector<std::vector<int64_t>> testConfusion;  // rows: true class; empty if not written
    std::vector<int64_t> testConfusionClasses;  // dataset class of each row; empty: all in order
};

struct RunProblem {
    std::string dir;
    std::string reason;  // why it is left out of every table
};

struct RunScan {
    std::vector<RunRecord> runs;  // sorted by folder
    std::vector<RunProblem> problems;
};

// Every folder under `root` (or `root` itself) holding a config.json or result.json. A run
// that is unfinished, failed, of another format or unreadable is a problem, never averaged in;
// so is a second run of the same dataset, model, K, method and seed.
RunScan scanRuns(const std::string& root);

struct Interval {
    int n = 0;
    double mean = 0, sd = 0, low = 0, high = 0;  // sd, low, high: 0 when n < 2
};

// Two-sided 95 % Student-t quantile for `df` degrees of freedom.
double tQuantile975(int df);
Interval summarize(const std::vector<double>& values);

struct MethodRow {
    std::string dataset, model, method;
    int perClass = 0;
    Interval val, test, testLast;
    std::optional<Interval> testVsBaseline;   // paired by seed: same protocol split per seed
    std::map<std::string, Interval> figures;  // every figure that all runs of the row report
    std::vector<RunRecord> runs;
};

// One row per (dataset, model, K, method), baseline first, then in name order.
std::vector<MethodRow> aggregate(const std::vector<RunRecord>& runs,
                                 const std::string& baseline = "baseline");

}  // namespace fewdata
