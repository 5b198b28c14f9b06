#include "cli_tune.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli_compare.h"
#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"
#include "core/results/results.h"
#include "core/run/comparison.h"
#include "core/run/study.h"
#include "core/run/successive_halving.h"
#include "core/run/tune_folder.h"
#include "core/run/tune_space.h"
#include "slurm_wait.h"

namespace fs = std::filesystem;

namespace fewdata {
namespace {

constexpr int kMaxTrials = 1000;
constexpr int kMaxRungs = 10;
// The image stage's runs that every trial of a method on cached features reads, one per seed.
constexpr const char* kFeatureStudy = "features";

struct SeedRun {
    int seed = 0;
    std::string dir;  // relative to the tune folder
    TuneRunFigures figures;
};

// What one search needs while it runs and when it reports.
struct Search {
    const TuneCommand& cmd;
    std::string dir;
    TuneSpace space;
    TrainConfig base;
    int rungs = 1;
    // What the rungs shorten: epochs, or for a method on cached features the key of its stage
    // on features (its image stage then trains once per seed, in DIR/features, for them all).
    std::string budgetKey = "epochs";
    bool onFeatures = false;
    std::vector<nlohmann::json> values;  // each trial's draw
    std::vector<TrainConfig> configs;    // each trial's full config
    std::map<std::pair<int, int>, std::vector<SeedRun>> runs;  // (trial, rung) -> its seeds
};

std::string shortValue(const nlohmann::json& v) {
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
        return buf;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// "lr=0.0123, epochs=30" in the space's order.
std::string valuesLabel(const Search& s, int trial) {
    std::string out;
    for (const TuneDimension& d : s.space.dimensions)
        out += (out.empty() ? "" : ", ") + d.key + "=" + shortValue(s.values[size_t(trial)][d.key]);
    return out;
}

int budgetOf(const Search& s, const TrainConfig& c) {
    return c.toJson().at(s.budgetKey).get<int>();
}

// A trial at a rung is a one-method study of its recipe at the rung's budget, in its own
// folder, so a Slurm array task runs its entries with `compare --task` as a study's.
StudySpec trialSpec(const Search& s, int trial, int budget) {
    StudySpec spec;
    nlohmann::json config = s.configs[size_t(trial)].toJson();
    config[s.budgetKey] = budget;
    spec.base = TrainConfig::fromJson(config);
    spec.methods = {s.base.method};
    spec.seeds = s.cmd.seeds;
    // From DIR/rung-<k>/trial-<i>: the runs of DIR/features.
    if (s.onFeatures) spec.featuresStudy = (fs::path("..") / ".." / kFeatureStudy).string();
    return spec;
}

// The study of the image stage's runs, one per seed, that a search on cached features reads.
StudySpec featureSpec(const Search& s) {
    StudySpec spec;
    spec.base = s.base;
    spec.base.method = methodInfo(s.base.method).imageStage;
    spec.methods = {spec.base.method};
    spec.seeds = s.cmd.seeds;
    return spec;
}

std::vector<PlannedRun> rungPlan(const Search& s, int trial, int rung, int epochs) {
    try {
        return planStudy(trialSpec(s, trial, epochs), tuneTrialDir(s.dir, rung, trial));
    } catch (const InputError& e) {
        throw InputError("rung " + std::to_string(rung + 1) + "/" + std::to_string(s.rungs) +
                         " trains trial " + std::to_string(trial) + " (" + valuesLabel(s, trial) +
                         ") with " + s.budgetKey + " = " + std::to_string(epochs) + ": " +
                         e.what());
    }
}

// The trial's folder with its plan.json (as compare records one), ready for its runs; says so.
std::vector<PlannedRun> recordTrial(const Search& s, int trial, int rung, int epochs) {
    std::printf("rung %d/%d, trial %d (%s): %s %d x %d seed(s)\n", rung + 1, s.rungs, trial,
                valuesLabel(s, trial).c_str(), s.budgetKey.c_str(), epochs, s.cmd.seeds);
    const std::vector<PlannedRun> plan = rungPlan(s, trial, rung, epochs);
    checkKeptRuns(plan);
    const std::string dir = tuneTrialDir(s.dir, rung, trial);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw InputError("cannot create '" + dir + "': " + ec.message());
    recordStudySpec(dir, trialSpec(s, trial, epochs));
    return plan;
}

TrialScore scoreOf(const std::vector<SeedRun>& runs) {
    TrialScore score;
    double accuracy = 0, loss = 0;
    bool lossKnown = true;
    for (const SeedRun& r : runs) {
        if (!r.figures.finished) score.failed = true;
        accuracy += r.figures.valAccuracy;
        lossKnown = lossKnown && r.figures.valLoss >= 0;
        loss += r.figures.valLoss;
    }
    score.valAccuracy = score.failed ? 0 : accuracy / double(runs.size());
    if (!score.failed && lossKnown) score.valLoss = loss / double(runs.size());
    return score;
}

// The trial's runs at the rung as the search reads them back, and its score.
TrialScore scoreTrial(Search& s, int trial, int rung, const std::vector<PlannedRun>& plan) {
    std::vector<SeedRun>& seeds = s.runs[{trial, rung}];
    seeds.clear();
    for (const PlannedRun& r : plan)
        seeds.push_back(
            {r.seed, fs::path(r.dir).lexically_relative(s.dir).string(), readTuneRun(r.dir)});
    return scoreOf(seeds);
}

// Every run of `plan` trained (or kept, or resumed) here, one after another.
void runAllHere(const std::vector<PlannedRun>& plan, const std::atomic<bool>& cancel) {
    std::fflush(stdout);
    std::vector<size_t> todo(plan.size());
    for (size_t i = 0; i < plan.size(); ++i) todo[i] = i;
    // The runs' lines name their validation figures only: test is for the chosen recipe.
    if (runPlannedHere(plan, todo, cancel, /*showTest=*/false) == 4) throw Cancelled();
}

// Studies of the search as Slurm arrays, waited for. No table job: a search shows no test
// figure but the chosen recipe's. Two more submissions for runs that left the queue
// unfinished (a node that went away).
void runOnSlurm(const Search& s, const std::vector<WaitedStudy>& studies, const std::string& label,
                const std::atomic<bool>& cancel) {
    std::fflush(stdout);
    SlurmOptions options = s.cmd.slurm;
    options.tableJob = false;
    runStudiesOnSlurm(studies, options, s.cmd.pollSeconds, 2, label, cancel);
}

// Trains (or keeps, or resumes) one trial's runs at a rung here and scores them.
TrialScore trainTrial(Search& s, int trial, int rung, int epochs, const std::atomic<bool>& cancel) {
    const std::vector<PlannedRun> plan = recordTrial(s, trial, rung, epochs);
    runAllHere(plan, cancel);
    return scoreTrial(s, trial, rung, plan);
}

// A rung's trials as Slurm job arrays, one study per trial, waited for; then scored.
std::vector<TrialScore> trainRungOnSlurm(Search& s, int rung, const std::vector<int>& trials,
                                         const std::vector<int>& epochs,
                                         const std::atomic<bool>& cancel) {
    std::vector<WaitedStudy> studies;
    for (size_t i = 0; i < trials.size(); ++i)
        studies.push_back(
            {tuneTrialDir(s.dir, rung, trials[i]), recordTrial(s, trials[i], rung, epochs[i])});
    runOnSlurm(s, studies,
               "rung " + std::to_string(rung + 1) + "/" + std::to_string(s.rungs) + ": ", cancel);
    std::vector<TrialScore> scores;
    for (size_t i = 0; i < trials.size(); ++i)
        scores.push_back(scoreTrial(s, trials[i], rung, studies[i].plan));
    return scores;
}

// The image stage's run of every seed, trained (or kept) before the first rung; throws naming
// the runs that did not finish, since every trial of that seed would read them.
void trainImageStage(const Search& s, const std::atomic<bool>& cancel) {
    const std::string dir = (fs::path(s.dir) / kFeatureStudy).string();
    const StudySpec spec = featureSpec(s);
    std::printf("image stage: %s, %d epoch(s) x %d seed(s), whose features every trial reads\n",
                spec.base.method.c_str(), spec.base.epochs, s.cmd.seeds);
    recordStudySpec(dir, spec);
    const std::vector<PlannedRun> plan = planStudy(spec, dir);
    checkKeptRuns(plan);
    if (s.cmd.backend == "slurm")
        runOnSlurm(s, {{dir, plan}}, "image stage: ", cancel);
    else
        runAllHere(plan, cancel);
    std::string failed, unfinished;
    for (const PlannedRun& r : plan) {
        const RunFolderState state = runFolderState(r.dir);
        if (state == RunFolderState::Failed)
            failed += " '" + r.dir + "'";
        else if (state != RunFolderState::Done)
            unfinished += " '" + r.dir + "'";
    }
    // A failed run is kept, as in any study (a diverged loss would diverge again): the search
    // cannot go on over it, and says how to start that seed's baseline over.
    if (!failed.empty())
        throw std::runtime_error("the image stage failed in" + failed +
                                 " (its result.json says why); every trial of that seed reads "
                                 "its features, so the search stops here: change the base "
                                 "recipe in a new tune folder, or move the failed folder away "
                                 "and rerun the same command to train it again");
    if (!unfinished.empty())
        throw std::runtime_error("the image stage did not finish in" + unfinished +
                                 "; every trial reads its features: rerun the same command to "
                                 "continue it");
}

nlohmann::json numberOrNull(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json rungJson(const Search& s, const HalvingOutcome& o, int k) {
    nlohmann::json entries = nlohmann::json::array();
    for (const RungEntry& e : o.rungs[size_t(k)].entries) {
        nlohmann::json seeds = nlohmann::json::array();
        for (const SeedRun& r : s.runs.at({e.trial, k}))
            seeds.push_back({{"seed", r.seed},
                             {"run", r.dir},
                             {"finished", r.figures.finished},
                             {"val_accuracy", r.figures.valAccuracy},
                             {"val_loss", r.figures.valLoss >= 0 ? nlohmann::json(r.figures.valLoss)
                                                                 : nlohmann::json()}});
        entries.push_back({{"trial", e.trial},
                           {s.budgetKey, e.epochs},
                           {"val_accuracy", e.score.valAccuracy},
                           {"val_loss", numberOrNull(e.score.valLoss)},
                           {"failed", e.score.failed},
                           {"promoted", e.promoted},
                           {"seeds", seeds}});
    }
    return {{"rung", k}, {"entries", entries}, {"promoted", o.rungs[size_t(k)].promoted}};
}

struct ChosenTest {
    Interval test;
    nlohmann::json seeds = nlohmann::json::array();
};

ChosenTest chosenTest(const Search& s, const HalvingOutcome& o) {
    ChosenTest c;
    std::vector<double> values;
    for (const SeedRun& r : s.runs.at({o.chosen, s.rungs - 1})) {
        values.push_back(r.figures.testAccuracy);
        c.seeds.push_back(
            {{"seed", r.seed}, {"run", r.dir}, {"test_accuracy", r.figures.testAccuracy}});
    }
    c.test = summarize(values, 0, 100);
    return c;
}

nlohmann::json tuneJson(const Search& s, const TuneRequest& request, const HalvingOutcome& o,
                        bool chosenFailed) {
    nlohmann::json trials = nlohmann::json::array();
    for (size_t t = 0; t < s.values.size(); ++t)
        trials.push_back({{"trial", t}, {"values", s.values[t]}});
    nlohmann::json rungs = nlohmann::json::array();
    for (int k = 0; k < s.rungs; ++k) rungs.push_back(rungJson(s, o, k));
    const HalvingBudget& b = o.budget;
    nlohmann::json budget = {{"trials", b.trials}, {"rungs", b.rungs},
                             {"eta", b.eta},       {"seeds", b.seeds},
                             {"runs", b.runs},     {s.budgetKey + "_spent", b.epochsSpent}};
    if (s.onFeatures) {  // an image method's budget is written as before: epochs_spent
        const StudySpec stage = featureSpec(s);
        budget["budget_key"] = s.budgetKey;
        budget["image_stage"] = {{"method", stage.base.method},
                                 {"folder", kFeatureStudy},
                                 {"runs", s.cmd.seeds},
                                 {"epochs", stage.base.epochs}};
    }
    nlohmann::json j = {{"format", 1},
                        {"request", tuneRequestJson(request)},
                        {"trials", trials},
                        {"rungs", rungs},
                        {"budget", budget}};
    if (chosenFailed) {
        j["chosen"] = nullptr;
        return j;
    }
    const ChosenTest c = chosenTest(s, o);
    const RungEntry* last = nullptr;
    for (const RungEntry& e : o.rungs.back().entries)
        if (e.trial == o.chosen) last = &e;
    j["chosen"] = {
        {"trial", o.chosen},
        {"values", s.values[size_t(o.chosen)]},
        {s.budgetKey, last->epochs},
        {"val_accuracy", last->score.valAccuracy},
        {"test_accuracy", {{"mean", c.test.mean}, {"sd", c.test.sd}, {"seeds", c.seeds}}},
        {"config", kBestConfigFile}};
    return j;
}

void printRung(const Search& s, const HalvingOutcome& o, int k) {
    const RungRecord& rung = o.rungs[size_t(k)];
    const bool last = k == s.rungs - 1;
    std::printf("\nrung %d/%d: %zu trial(s), %d seed(s) each\n", k + 1, s.rungs,
                rung.entries.size(), s.cmd.seeds);
    std::printf("%-6s", "trial");
    // A column as wide as its key's name (gnn_weight_decay), at least 12.
    auto columnWidth = [](const TuneDimension& d) { return std::max<int>(12, int(d.key.size())); };
    for (const TuneDimension& d : s.space.dimensions)
        std::printf("  %-*s", columnWidth(d), d.key.c_str());
    const int width = std::max<int>(6, int(s.budgetKey.size()));
    std::printf("  %*s  %9s\n", width, s.budgetKey.c_str(), "val acc %");
    for (const RungEntry& e : rung.entries) {
        std::printf("%-6d", e.trial);
        for (const TuneDimension& d : s.space.dimensions)
            std::printf("  %-*s", columnWidth(d),
                        shortValue(s.values[size_t(e.trial)][d.key]).c_str());
        const char* mark = e.score.failed ? "FAILED"
                           : e.promoted  ? (last ? "chosen" : "promoted")
                                         : "";
        if (e.score.failed)
            std::printf("  %*d  %9s  %s\n", width, e.epochs, "-", mark);
        else
            std::printf("  %*d  %9.2f  %s\n", width, e.epochs, e.score.valAccuracy, mark);
    }
}

// Results are never overwritten: a rerun that finds the same file keeps it.
void writeResultFile(const std::string& path, const std::string& text) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(path, ec))) {
        if (readRegularFile(path) == text) return;
        throw InputError("'" + path +
                         "' exists with other content (the search's runs changed since it was "
                         "written); it is not overwritten: move it away and run again");
    }
    writeNewFileAtomically(path, text);
}

void checkCounts(const TuneCommand& cmd) {
    if (cmd.train.out.empty()) throw InputError("tune needs --out (the tune folder)");
    if (cmd.space.empty()) throw InputError("tune needs --space (key=lo..hi,key=a|b,...)");
    if (cmd.trials < 1 || cmd.trials > kMaxTrials)
        throw InputError("--trials " + std::to_string(cmd.trials) + ": give 1 to " +
                         std::to_string(kMaxTrials));
    if (cmd.eta < 2 || cmd.eta > 100)
        throw InputError("--eta " + std::to_string(cmd.eta) +
                         ": successive halving keeps 1/eta of the trials per rung; give 2 to 100");
    if (cmd.rungs < 0 || cmd.rungs > kMaxRungs)
        throw InputError("--rungs " + std::to_string(cmd.rungs) + ": give 1 to " +
                         std::to_string(kMaxRungs) + " (0 or none: 1 + log_eta(trials), at most 4)");
}

// On cached features, the trials share one image stage per seed: the space may search only
// what the stage on features reads.
void checkSpaceOnFeatures(const Search& s) {
    const std::string& stage = methodInfo(s.base.method).imageStage;
    for (const TuneDimension& d : s.space.dimensions) {
        if (TrainConfig::keyAffects(d.key, stage))
            throw InputError("--space searches '" + d.key + "', which the image stage ('" + stage +
                             "') reads: '" + s.base.method +
                             "' trains on the cached features of one " + stage +
                             " run per seed that every trial shares, so a search of it varies "
                             "the keys of its own stage only (" +
                             s.budgetKey + ", ...)");
    }
}

// A key the method lists may still change nothing in any trial (a balanced-batch key on cached
// features, gnn_neighbours without the k-nearest graph): no trial's recipe holds it.
void checkSpaceChangesRecipes(const Search& s) {
    for (const TuneDimension& d : s.space.dimensions) {
        const bool somewhere =
            std::any_of(s.configs.begin(), s.configs.end(),
                        [&](const TrainConfig& c) { return recipeOf(c).contains(d.key); });
        if (!somewhere)
            throw InputError(
                "--space: key '" + d.key + "' changes what '" + s.base.method +
                "' computes in no trial" + (s.onFeatures ? " on cached features" : "") + " (" +
                findConfigKey(d.key)->help + "): every trial would train the same recipe");
    }
}

// The trials' configs; on cached features or not, all of them alike.
void planTrials(Search& s) {
    s.values = sampleTrials(s.space, s.cmd.trials, s.cmd.searchSeed);
    for (size_t t = 0; t < s.values.size(); ++t) {
        TrainConfig c = trialConfig(s.base, s.values[t], int(t));
        if (c.usesFeatureCache() != s.onFeatures)
            throw InputError("--space: trial " + std::to_string(t) + " (" + valuesLabel(s, int(t)) +
                             ") trains '" + c.method + "' on " +
                             (c.usesFeatureCache() ? "cached features" : "images") +
                             ", the base recipe on " +
                             (s.onFeatures ? "cached features" : "images") +
                             ": a search keeps to the base's stage; to search on " +
                             (c.usesFeatureCache() ? "features" : "images") +
                             ", give the base that stage (--siamese-input) and leave "
                             "siamese_input out of --space");
        s.configs.push_back(c);
    }
    checkSpaceChangesRecipes(s);
    // Every rung's config is checked before anything runs (a warmup longer than a short rung).
    for (size_t t = 0; t < s.configs.size(); ++t)
        for (int k = 0; k < s.rungs; ++k)
            rungPlan(s, int(t), k, rungEpochs(budgetOf(s, s.configs[t]), k, s.rungs, s.cmd.eta));
}

int search(const TuneCommand& cmd, const std::atomic<bool>& cancel) {
    checkCounts(cmd);
    checkBackendFlags(cmd.backend, cmd.slurmFlagGiven);
    if (cmd.backend == "slurm") checkSlurmOptions(cmd.slurm);
    if (cmd.pollSeconds < 1 || cmd.pollSeconds > 3600)
        throw InputError("--poll-seconds " + std::to_string(cmd.pollSeconds) + ": give 1 to 3600");
    Search s{cmd, cmd.train.out};
    s.base = configFrom(cmd.train);
    checkSeedRange(s.base.seed, cmd.seeds);
    s.space = parseTuneSpace(cmd.space, s.base);
    checkSpaceForMethod(s.space, s.base.method);
    for (const TuneDimension& d : s.space.dimensions)
        if (cmd.train.overrides.contains(d.key))
            throw InputError("--space searches '" + d.key + "', which " +
                             findConfigKey(d.key)->flag + " also sets: give one of the two");
    s.rungs = cmd.rungs > 0 ? cmd.rungs : defaultRungs(cmd.trials, cmd.eta);
    s.onFeatures = s.base.usesFeatureCache();
    if (s.onFeatures) {
        if (!s.base.features_from.empty())
            throw InputError("tune: --features-from names one run for every seed; tune '" +
                             s.base.method + "' trains the image stage of each seed itself (" +
                             (fs::path(s.dir) / kFeatureStudy).string() + ")");
        s.budgetKey = methodInfo(s.base.method).featureBudgetKey;
        if (s.budgetKey.empty())
            throw InputError("tune: method '" + s.base.method +
                             "' on cached features names no budget key in the method registry "
                             "(featureBudgetKey): it has no training for the rungs to shorten");
        checkSpaceOnFeatures(s);
    }
    planTrials(s);
    TuneRequest request;
    request.base = s.base;
    request.space = tuneSpaceText(s.space);
    request.trials = cmd.trials;
    request.seeds = cmd.seeds;
    request.eta = cmd.eta;
    request.rungs = s.rungs;
    request.searchSeed = cmd.searchSeed;
    checkPathLength(s.dir);
    std::error_code ec;
    fs::create_directories(s.dir, ec);
    if (ec) throw InputError("cannot create tune folder '" + s.dir + "': " + ec.message());
    recordTuneRequest(s.dir, request);  // before any run: a rerun of another request is refused

    if (s.onFeatures) trainImageStage(s, cancel);
    std::vector<int> epochs;
    for (const TrainConfig& c : s.configs) epochs.push_back(budgetOf(s, c));
    const HalvingOutcome o =
        cmd.backend == "slurm"
            ? successiveHalving(
                  epochs, cmd.eta, s.rungs, cmd.seeds,
                  [&](int rung, const std::vector<int>& trials, const std::vector<int>& e) {
                      return trainRungOnSlurm(s, rung, trials, e, cancel);
                  })
            : successiveHalving(epochs, cmd.eta, s.rungs, cmd.seeds,
                                [&](int trial, int rung, int e) {
                                    return trainTrial(s, trial, rung, e, cancel);
                                });

    for (int k = 0; k < s.rungs; ++k) printRung(s, o, k);
    const RungEntry* chosen = nullptr;
    for (const RungEntry& e : o.rungs.back().entries)
        if (e.trial == o.chosen) chosen = &e;
    const bool chosenFailed = chosen->score.failed;
    const std::string tunePath = (fs::path(s.dir) / kTuneResultFile).string();
    const std::string bestPath = (fs::path(s.dir) / kBestConfigFile).string();
    writeResultFile(tunePath, jsonText(tuneJson(s, request, o, chosenFailed), 2) + "\n");
    const HalvingBudget& b = o.budget;
    std::string budget = "budget: " + std::to_string(b.trials) + " trials, " +
                         std::to_string(b.rungs) + " rung(s), eta " + std::to_string(b.eta) + ", " +
                         std::to_string(b.seeds) + " seed(s): " + std::to_string(b.runs) +
                         " runs, " + std::to_string(b.epochsSpent) + " " + s.budgetKey +
                         " trained (" + s.budgetKey + " x seeds)";
    if (s.onFeatures)
        budget += ", on the features of " + std::to_string(cmd.seeds) + " " +
                  featureSpec(s).base.method + " run(s) of " + std::to_string(s.base.epochs) +
                  " epochs that every trial shares";
    if (chosenFailed) {
        std::printf("\nevery trial of the last rung failed: no recipe chosen\n%s\nwrote %s\n",
                    budget.c_str(), tunePath.c_str());
        return 3;
    }
    TrainConfig best = s.configs[size_t(o.chosen)];
    writeResultFile(bestPath, jsonText(recipeConfigJson(best), 2) + "\n");
    const ChosenTest c = chosenTest(s, o);
    std::string each;
    for (const auto& seed : c.seeds)
        each += (each.empty() ? "" : ", ") + shortValue(seed["test_accuracy"]);
    std::printf(
        "\nchosen: trial %d (%s), %s, %s %d: validation %.2f %%, test %.2f +- %.2f %% "
        "over %d seed(s) (%s)\n%s\nwrote %s and %s (fewdata-cli compare --config %s%s "
        "--out DIR)\n",
        o.chosen, valuesLabel(s, o.chosen).c_str(), best.method.c_str(), s.budgetKey.c_str(),
        chosen->epochs, chosen->score.valAccuracy, c.test.mean, c.test.sd, cmd.seeds, each.c_str(),
        budget.c_str(), tunePath.c_str(), bestPath.c_str(), bestPath.c_str(),
        // On features the study trains the baseline beside the method and reads its features.
        s.onFeatures ? (" --methods " + featureSpec(s).base.method + "," + best.method).c_str()
                     : "");
    return 0;
}

}  // namespace

CLI::App* addTuneCommand(CLI::App& app, TuneCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "tune",
        "Search a method's recipe on validation accuracy (random trials, successive halving); "
        "writes DIR/tune.json and the best recipe as DIR/best_config.json");
    sub->add_option("--space", cmd.space,
                    "The search space: key=lo..hi (uniform), key=lo..hi:log (log-uniform, "
                    "lo > 0) or key=a|b|c, separated by commas, over recipe keys, e.g. "
                    "\"lr=0.01..0.2:log,weight_decay=1e-5..1e-3:log,epochs=30|60\"");
    sub->add_option("--trials", cmd.trials, "Trials drawn from the space (1 to 1000)");
    sub->add_option("--seeds", cmd.seeds,
                    "Seeds per trial and rung: seed, seed+1, ...; a trial scores its mean "
                    "validation accuracy over them (default 1)");
    sub->add_option("--eta", cmd.eta,
                    "Each rung keeps the best 1/eta of its trials, and a rung trains 1/eta of "
                    "the next one's epochs (or, on cached features, the method's own budget key; "
                    "default 3)");
    sub->add_option("--rungs", cmd.rungs,
                    "Rungs of successive halving (default 1 + log_eta(trials), at most 4); the "
                    "last trains the full epochs (or budget key)");
    sub->add_option("--search-seed", cmd.searchSeed,
                    "Seed of the draws from the space: the same command draws the same trials "
                    "(default 0)");
    addConfigFlags(sub, cmd.train);
    sub->add_option("--out", cmd.train.out,
                    "Tune folder: a study folder DIR/rung-<k>/trial-<i> per trial and rung "
                    "(its runs <method>-seed<s>), tune_plan.json, tune.json, best_config.json; "
                    "for a method on cached features (reptile, gnn, siamese-*) also "
                    "DIR/features, the image stage's run of each seed that every trial reads, "
                    "and the rungs shorten the method's own stage (reptile_iterations, "
                    "gnn_epochs, embedding_epochs) instead of epochs; rerun the same command to "
                    "continue");
    addSlurmFlags(sub, cmd.backend, cmd.slurm, cmd.slurmFlagGiven,
                  "local (default): train here, one run after another; slurm: each rung's "
                  "runs as Slurm job arrays (DIR/rung-<k>/trial-<i>/slurm/<n>/), this command "
                  "waiting for them, then promoting");
    sub->add_option_function<int>(
           "--poll-seconds",
           [&cmd](int seconds) {
               cmd.pollSeconds = seconds;
               cmd.slurmFlagGiven = true;
           },
           "--backend slurm: seconds between two reads of Slurm's queue and the run folders "
           "(default 30); --max-parallel limits each trial's array")
        ->group("scale-out");
    return sub;
}

int runTuneCommand(const TuneCommand& cmd, const std::atomic<bool>& cancel) {
    try {
        return search(cmd, cancel);
    } catch (const Cancelled&) {
        std::fprintf(stderr, "cancelled: rerun the same command to continue the search\n");
        return 4;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
