#include "core/results/results.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"
#include "core/results/significance.h"
#include "core/train/train_events.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace fs = std::filesystem;

namespace fewdata {
namespace {

constexpr int kResultFormat = 1;

// The figures a run reports are accuracies in percent ("cnn_test_accuracy") unless named
// otherwise.
bool isAccuracy(const std::string& figure) {
    const std::string suffix = "accuracy";
    return figure.size() >= suffix.size() &&
           figure.compare(figure.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool readJson(const fs::path& p, nlohmann::json& out, std::string& error) {
    try {
        out = readJsonFile(p.string());
    } catch (const InputError& e) {
        error = e.what();
        return false;
    }
    return true;
}

// Fills `r` from one run folder or explains why it cannot be used.
std::string readRun(const fs::path& dir, RunRecord& r) {
    nlohmann::json result, config;
    std::string error;
    std::error_code ec;
    if (!fs::exists(dir / "result.json", ec)) return "unfinished: no result.json";
    if (!readJson(dir / "result.json", result, error) ||
        !readJson(dir / "config.json", config, error))
        return error;
    try {
        if (result.value("format", 0) != kResultFormat)
            return "result.json has format " +
                   jsonText(result.value("format", nlohmann::json(nullptr))) +
                   "; this version reads format " + std::to_string(kResultFormat);
        const std::string status = result.at("status").get<std::string>();
        if (statusFromName(status) != RunStatus::Finished)
            return "status '" + status + "'" +
                   (result.contains("message") ? ": " + result["message"].get<std::string>() : "");
        r.dir = dir.string();
        r.dataset = config.at("dataset").get<std::string>();
        r.model = config.at("model").get<std::string>();
        r.method = config.at("method").get<std::string>();
        r.seed = config.at("seed").get<int>();
        r.perClass = config.at("per_class").get<int>();
        r.valAccuracy = result.at("val_accuracy").get<double>();
        r.testAccuracy = result.at("test_accuracy").get<double>();
        r.testAccuracyLast = result.at("test_accuracy_last").get<double>();
        // A damaged value would pull a mean anywhere (and invert its clipped interval).
        for (const char* key : {"val_accuracy", "test_accuracy", "test_accuracy_last"}) {
            const double v = result[key].get<double>();
            if (!(v >= 0 && v <= 100))
                return std::string("result.json: ") + key + " = " + jsonText(result[key]) +
                       " is not an accuracy in [0, 100]";
        }
        r.version = result.value("workbench_version", "");
        r.torchVersion = result.value("torch_version", "");
        r.device = result.value("device", "");
        r.threads = result.value("threads", 0);
        r.seconds = result.at("seconds").get<double>();
        r.bestEpoch = result.at("best_epoch").get<int>();
        if (result.contains("figures"))
            for (const auto& [k, v] : result["figures"].items()) r.figures[k] = v.get<double>();
        if (result.contains("test_confusion")) {
            r.testConfusion = result["test_confusion"].get<std::vector<std::vector<int64_t>>>();
            // A damaged matrix is dropped, not the run: its accuracies still stand.
            for (const auto& row : r.testConfusion)
                if (row.size() != r.testConfusion.size()) {
                    r.testConfusion.clear();
                    break;
                }
            if (result.contains("test_confusion_classes")) {
                r.testConfusionClasses =
                    result["test_confusion_classes"].get<std::vector<int64_t>>();
                if (r.testConfusionClasses.size() != r.testConfusion.size())
                    r.testConfusionClasses.clear();
            }
        }
        r.recipe = recipeOfStored(config);
    } catch (const nlohmann::json::exception& e) {
        return std::string("missing or ill-typed field: ") + e.what();
    } catch (const InputError& e) {
        return std::string("config.json: ") + e.what();
    }
    return {};
}

// Every folder under `root`, `root` included, without following links into other trees (a
// link to a run folder is still a run). A folder that cannot be listed is a problem of its
// own: the runs it may hold are not silently missing from the table.
void collectRunFolders(const fs::path& root, std::vector<fs::path>& dirs,
                       std::vector<RunProblem>& unreadable) {
    auto isRun = [](const fs::path& d) {
        std::error_code e;
        return fs::exists(d / "config.json", e) || fs::exists(d / "result.json", e);
    };
    // A stack, not recursion: a folder tree may be deeper than the call stack.
    std::vector<fs::path> pending{root};
    if (isRun(root)) dirs.push_back(root);
    while (!pending.empty()) {
        const fs::path dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code e;
            if (!it->is_directory(e)) continue;
            if (isRun(it->path())) dirs.push_back(it->path());
            if (!it->is_symlink(e)) pending.push_back(it->path());
        }
        if (ec)
            unreadable.push_back(
                {dir.string(), "cannot read this folder (" + ec.message() +
                                   "); runs inside it, if any, are not in the table"});
    }
}

}  // namespace

RunScan scanRuns(const std::string& root) {
    RunScan scan;
    std::vector<fs::path> dirs;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        scan.problems.push_back({root, "not a folder"});
        return scan;
    }
    collectRunFolders(root, dirs, scan.problems);
    std::sort(dirs.begin(), dirs.end());
    std::map<std::pair<std::string, int>, std::string> firstOf;
    for (const auto& d : dirs) {
        RunRecord r;
        std::string problem = readRun(d, r);
        if (problem.empty()) {
            const auto [it, fresh] =
                firstOf.emplace(std::make_pair(recipeText(r.recipe), r.seed), r.dir);
            if (!fresh) problem = "same recipe and seed as " + it->second;
        }
        if (problem.empty())
            scan.runs.push_back(r);
        else
            scan.problems.push_back({d.string(), problem});
    }
    std::stable_sort(scan.problems.begin(), scan.problems.end(),
                     [](const RunProblem& a, const RunProblem& b) { return a.dir < b.dir; });
    return scan;
}

Interval summarize(const std::vector<double>& v, double lowest, double highest) {
    Interval s;
    s.n = static_cast<int>(v.size());
    if (v.empty()) return s;
    for (double x : v) s.mean += x;
    s.mean /= s.n;
    s.low = s.high = s.mean;
    if (s.n < 2) return s;
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / (s.n - 1));
    const double half = tQuantile975(s.n - 1) * s.sd / std::sqrt(double(s.n));
    s.low = std::max(lowest, s.mean - half);
    s.high = std::min(highest, s.mean + half);
    return s;
}

PairedDifference pairedBySeed(const std::vector<RunRecord>& runs,
                              const std::vector<RunRecord>& reference, double RunRecord::*figure) {
    std::map<int, double> bySeed;
    for (const auto& r : reference) bySeed[r.seed] = r.*figure;
    std::vector<double> diffs;
    for (const auto& r : runs)
        if (bySeed.count(r.seed)) diffs.push_back(r.*figure - bySeed[r.seed]);
    PairedDifference d;
    d.pairs = int(diffs.size());
    if (!diffs.empty()) d.difference = summarize(diffs, -100, 100);
    if (diffs.size() >= 2) {
        PairedTest t;
        t.pT = pairedTTestP(diffs);
        t.pPerm = signFlipP(diffs);
        d.significance = t;
    }
    return d;
}

std::vector<MethodRow> aggregate(const std::vector<RunRecord>& runs, const std::string& baseline) {
    // Grouped by dataset, model, K and the Learning keys the methods share (the baseline
    // first), then by method and the method's own keys.
    using Key =
        std::tuple<std::string, std::string, int, std::string, int, std::string, std::string>;
    auto keyOf = [&](const std::string& dataset, const std::string& model, int k,
                     const nlohmann::json& recipe, const std::string& method) {
        return Key{dataset,
                   model,
                   k,
                   recipeText(sharedRecipeOf(recipe)),
                   method == baseline ? 0 : 1,
                   method,
                   recipeText(recipe)};
    };
    std::map<Key, MethodRow> rows;
    for (const auto& r : runs) {
        auto& row = rows[keyOf(r.dataset, r.model, r.perClass, r.recipe, r.method)];
        row.dataset = r.dataset;
        row.model = r.model;
        row.perClass = r.perClass;
        row.method = r.method;
        row.recipe = r.recipe;
        row.runs.push_back(r);
    }
    std::vector<nlohmann::json> recipes;
    for (const auto& [key, row] : rows) recipes.push_back(row.recipe);
    // Dataset, model and K are columns of their own; the method is the row's name.
    const std::vector<std::string> labelKeys =
        differingKeys(recipes, {"dataset", "model", "per_class", "method"});

    std::vector<MethodRow> out;
    for (auto& [key, row] : rows) {
        std::vector<double> val, test, last;
        std::set<std::string> versions;
        for (const auto& r : row.runs) {
            val.push_back(r.valAccuracy);
            test.push_back(r.testAccuracy);
            last.push_back(r.testAccuracyLast);
            versions.insert((r.version.empty() ? "unknown" : r.version) +
                            (r.torchVersion.empty() ? "" : " (LibTorch " + r.torchVersion + ")"));
        }
        row.val = summarize(val, 0, 100);
        row.test = summarize(test, 0, 100);
        row.testLast = summarize(last, 0, 100);
        row.versions.assign(versions.begin(), versions.end());
        row.recipeLabel = recipeLabel(row.recipe, labelKeys);
        for (const auto& [name, unused] : row.runs.front().figures) {
            std::vector<double> values;
            for (const auto& r : row.runs)
                if (r.figures.count(name)) values.push_back(r.figures.at(name));
            if (values.size() == row.runs.size())
                row.figures[name] = isAccuracy(name) ? summarize(values, 0, 100) : summarize(values);
        }
        // The GNN's nodes may be a subset of the classes: its own references are in Table 2.
        if (row.method != baseline && !isTransductive(row.method)) {
            // The baseline of the same shared recipe: its method keys are none of this row's.
            const MethodRow* base = nullptr;
            for (const auto& [otherKey, other] : rows)
                if (other.method == baseline && std::get<3>(otherKey) == std::get<3>(key) &&
                    other.dataset == row.dataset && other.model == row.model &&
                    other.perClass == row.perClass)
                    base = &other;
            if (base) {
                const PairedDifference d = pairedBySeed(row.runs, base->runs);
                row.testVsBaseline = d.difference;
                row.significance = d.significance;
            }
        }
        if (row.runs.size() >= 2) row.ensemble = seedEnsemble(row.runs, row.ensembleMissing);
        out.push_back(row);
    }
    // Holm across the methods tested against one baseline (one table: dataset, model, K,
    // shared recipe).
    std::map<std::tuple<std::string, std::string, int, std::string>, std::vector<size_t>> families;
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].significance)
            families[{out[i].dataset, out[i].model, out[i].perClass,
                      recipeText(sharedRecipeOf(out[i].recipe))}]
                .push_back(i);
    for (const auto& [unused, members] : families) {
        std::vector<double> p;
        for (size_t i : members) p.push_back(out[i].significance->pPerm);
        const std::vector<double> adjusted = holmAdjusted(p);
        for (size_t j = 0; j < members.size(); ++j) {
            out[members[j]].significance->pHolm = adjusted[j];
            out[members[j]].significance->family = int(members.size());
        }
    }
    return out;
}

}  // namespace fewdata
