// Reading finished run folders and aggregating them over seeds: mean, standard deviation and a
// 95 % t-interval per method, and each method's paired difference to the baseline.
#pragma once

#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/results/seed_ensemble.h"

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
    nlohmann::json recipe;  // config/recipe.h: what the run learned with, the seed aside
    // Provenance from result.json ("" / 0 when an older version did not write it).
    std::string version, torchVersion, device;
    int threads = 0;
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
// so is a second run of the same recipe and seed.
RunScan scanRuns(const std::string& root);

struct Interval {
    int n = 0;
    double mean = 0, sd = 0, low = 0, high = 0;  // sd 0 and low = high = mean when n < 2
};

// Mean, sd and the 95 % Student-t interval, the interval clipped to [lowest, highest]: an
// accuracy's to [0, 100], a difference of two accuracies' to [-100, 100] (with few seeds and a
// large spread the t-interval reaches past what an accuracy can be).
Interval summarize(const std::vector<double>& values,
                   double lowest = -std::numeric_limits<double>::infinity(),
                   double highest = std::numeric_limits<double>::infinity());

// A method against the baseline of its table (same dataset, model, K and recipe, the method's
// own keys aside), paired by seed.
struct PairedTest {
    double pT = 1;     // paired t-test, two-sided
    double pPerm = 1;  // sign-flip permutation test, two-sided (exact up to 20 seeds)
    double pHolm = 1;  // pPerm, Holm-Bonferroni adjusted across the methods of the table
    int family = 1;    // the methods Holm adjusted across (this one included)
};

// The differences runs[i] - reference[j] of test accuracy over the seeds both ran: their
// interval (clipped to [-100, 100]) and, from 2 pairs, the paired tests (pHolm not set yet).
struct PairedDifference {
    int pairs = 0;
    std::optional<Interval> difference;
    std::optional<PairedTest> significance;
};
// The seed-by-seed differences of `figure` (the best-validation test accuracy, or the last
// epoch's).
PairedDifference pairedBySeed(const std::vector<RunRecord>& runs,
                              const std::vector<RunRecord>& reference,
                              double RunRecord::*figure = &RunRecord::testAccuracy);

struct MethodRow {
    std::string dataset, model, method;
    int perClass = 0;
    nlohmann::json recipe;  // the recipe every run of the row shares
    // The keys in which this row's recipe differs from the scan's other recipes ("epochs=30");
    // empty when the folder holds one recipe.
    std::string recipeLabel;
    Interval val, test, testLast;
    std::optional<Interval> testVsBaseline;   // paired by seed: same protocol split per seed
    std::optional<PairedTest> significance;   // with testVsBaseline, from 2 pairs up
    // "<workbench version> (LibTorch <version>)" of its runs, sorted; "unknown" where a run of
    // an older version did not record it.
    std::vector<std::string> versions;
    std::map<std::string, Interval> figures;  // every figure that all runs of the row report
    std::vector<RunRecord> runs;
    // The average of the seeds' test probabilities (two seeds or more), or why there is none.
    std::optional<SeedEnsemble> ensemble;
    std::string ensembleMissing;
};

// One row per dataset, model, K, recipe and method: the baseline first within each dataset,
// model, K and shared recipe (recipe.h), then the methods in name order. Reads each row's
// test_probabilities.npy files for its seed ensemble.
std::vector<MethodRow> aggregate(const std::vector<RunRecord>& runs,
                                 const std::string& baseline = "baseline");

}  // namespace fewdata
