// Successive halving as a schedule alone: which trials train at which rung, for how many
// epochs, and which go on. The training is a callback, so the schedule is tested on a scripted
// objective and `fewdata-cli tune` plugs the runs in.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace fewdata {

// A trial's figures at one rung, over its seeds.
struct TrialScore {
    double valAccuracy = 0;  // mean validation accuracy
    // Mean validation loss; infinite where a run did not record one (ranks last among equals).
    double valLoss = std::numeric_limits<double>::infinity();
    bool failed = false;  // a run of it failed: ranked below every trial that did not
};

// Whether `a` (of trial `ia`) ranks before `b` (of trial `ib`): not failed, then the higher
// accuracy, the lower loss, the lower trial index.
bool ranksBefore(const TrialScore& a, int ia, const TrialScore& b, int ib);

struct RungEntry {
    int trial = 0;
    int epochs = 0;
    TrialScore score;
    bool promoted = false;  // goes on to the next rung (the last rung: the chosen trial)
};

struct RungRecord {
    std::vector<RungEntry> entries;  // in trial order
    std::vector<int> promoted;       // best first
};

struct HalvingBudget {
    int trials = 0, rungs = 0, eta = 0, seeds = 0;
    int64_t runs = 0;          // trainings: entries x seeds over all rungs
    int64_t epochsSpent = 0;   // epochs x seeds over all entries
};

struct HalvingOutcome {
    std::vector<RungRecord> rungs;
    int chosen = -1;  // the best trial of the last rung
    HalvingBudget budget;
};

// 1 + floor(log_eta(trials)), at most 4: a rung per factor of eta the trials can shrink by.
int defaultRungs(int trials, int eta);

// Rung `rung` of `rungs` trains at eta^(rung - (rungs - 1)) of `fullEpochs`, rounded to the
// nearest epoch and at least 1; the last rung at `fullEpochs`.
int rungEpochs(int fullEpochs, int rung, int rungs, int eta);

// Trial t trains at rung k for rungEpochs(trialEpochs[t], k, ...) epochs; after each rung the
// best ceil(n / eta) (at least 1) go on. `score(trial, rung, epochs)` trains (or reads) the
// trial's runs at that rung over `seeds` seeds; what it throws ends the schedule. Throws
// std::invalid_argument for no trials, eta below 2, rungs below 1 or seeds below 1.
using TrialScorer = std::function<TrialScore(int trial, int rung, int epochs)>;
HalvingOutcome successiveHalving(const std::vector<int>& trialEpochs, int eta, int rungs,
                                 int seeds, const TrialScorer& score);
// The same with a rung's trials trained together (a scheduler runs them side by side):
// `score(rung, trials, epochs)` returns one score per trial, in the order given (trial order).
using RungScorer = std::function<std::vector<TrialScore>(int rung, const std::vector<int>& trials,
                                                         const std::vector<int>& epochs)>;
HalvingOutcome successiveHalving(const std::vector<int>& trialEpochs, int eta, int rungs, int seeds,
                                 const RungScorer& score);

}  // namespace fewdata
