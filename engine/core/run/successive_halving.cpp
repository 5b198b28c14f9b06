#include "core/run/successive_halving.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace fewdata {

bool ranksBefore(const TrialScore& a, int ia, const TrialScore& b, int ib) {
    if (a.failed != b.failed) return !a.failed;
    if (a.valAccuracy != b.valAccuracy) return a.valAccuracy > b.valAccuracy;
    if (a.valLoss != b.valLoss) return a.valLoss < b.valLoss;
    return ia < ib;
}

int defaultRungs(int trials, int eta) {
    int shrinks = 0;
    // Whole numbers, no logarithm: log(9)/log(3) may come out just below 2.
    for (int64_t reach = eta; reach <= trials && shrinks < 3; reach *= eta) ++shrinks;
    return 1 + shrinks;
}

int rungEpochs(int fullEpochs, int rung, int rungs, int eta) {
    if (rung >= rungs - 1) return fullEpochs;
    const double fraction = std::pow(double(eta), double(rung - (rungs - 1)));
    return std::max(1, int(std::lround(fullEpochs * fraction)));
}

HalvingOutcome successiveHalving(const std::vector<int>& trialEpochs, int eta, int rungs,
                                 int seeds, const TrialScorer& score) {
    return successiveHalving(
        trialEpochs, eta, rungs, seeds,
        [&](int rung, const std::vector<int>& trials, const std::vector<int>& epochs) {
            std::vector<TrialScore> scores;
            for (size_t i = 0; i < trials.size(); ++i)
                scores.push_back(score(trials[i], rung, epochs[i]));
            return scores;
        });
}

HalvingOutcome successiveHalving(const std::vector<int>& trialEpochs, int eta, int rungs, int seeds,
                                 const RungScorer& score) {
    if (trialEpochs.empty()) throw std::invalid_argument("successive halving needs a trial");
    if (eta < 2) throw std::invalid_argument("successive halving needs eta >= 2");
    if (rungs < 1) throw std::invalid_argument("successive halving needs a rung");
    if (seeds < 1) throw std::invalid_argument("successive halving needs a seed");
    HalvingOutcome out;
    out.budget = {int(trialEpochs.size()), rungs, eta, seeds, 0, 0};
    std::vector<int> alive(trialEpochs.size());
    for (size_t t = 0; t < alive.size(); ++t) alive[t] = int(t);
    for (int k = 0; k < rungs; ++k) {
        RungRecord rung;
        std::vector<int> epochs;
        for (int t : alive) epochs.push_back(rungEpochs(trialEpochs[size_t(t)], k, rungs, eta));
        const std::vector<TrialScore> scores = score(k, alive, epochs);
        if (scores.size() != alive.size())
            throw std::logic_error("successive halving: a rung's scorer returned " +
                                   std::to_string(scores.size()) + " scores for " +
                                   std::to_string(alive.size()) + " trials");
        for (size_t i = 0; i < alive.size(); ++i) {
            RungEntry e;
            e.trial = alive[i];
            e.epochs = epochs[i];
            e.score = scores[i];
            out.budget.runs += seeds;
            out.budget.epochsSpent += int64_t(e.epochs) * seeds;
            rung.entries.push_back(e);
        }
        std::vector<RungEntry> ranked = rung.entries;
        std::stable_sort(ranked.begin(), ranked.end(), [](const RungEntry& a, const RungEntry& b) {
            return ranksBefore(a.score, a.trial, b.score, b.trial);
        });
        const bool last = k == rungs - 1;
        const size_t keep =
            last ? 1 : std::max<size_t>(1, (ranked.size() + size_t(eta) - 1) / size_t(eta));
        for (size_t i = 0; i < keep; ++i) rung.promoted.push_back(ranked[i].trial);
        for (RungEntry& e : rung.entries)
            e.promoted = std::count(rung.promoted.begin(), rung.promoted.end(), e.trial) > 0;
        alive = rung.promoted;
        // The next rung trains in trial order, so a rerun meets its runs in the same order.
        std::sort(alive.begin(), alive.end());
        out.rungs.push_back(std::move(rung));
    }
    out.chosen = out.rungs.back().promoted.front();
    return out;
}

}  // namespace fewdata
