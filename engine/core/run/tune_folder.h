// A tune folder (`fewdata-cli tune --out DIR`): the request kept as DIR/tune_plan.json before
// anything trains, one study folder per trial and rung (DIR/rung-<k>/trial-<i>, its runs
// <method>-seed<s>),
// and what the search reads back from a run. A rerun of the same request continues the
// search; one of another request is refused.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config/config.h"

namespace fewdata {

constexpr const char* kTunePlanFile = "tune_plan.json";
constexpr const char* kTuneResultFile = "tune.json";
constexpr const char* kBestConfigFile = "best_config.json";

struct TuneRequest {
    TrainConfig base;   // the recipe every trial starts from; its seed is the first seed
    std::string space;  // tuneSpaceText: the normal form
    int trials = 0, seeds = 1, eta = 3, rungs = 1;
    uint64_t searchSeed = 0;
};

// What makes the search: the method, space, counts and the base recipe (recipeOf, so the
// execution keys are left out and a rerun may change threads or device).
nlohmann::json tuneRequestJson(const TuneRequest& r);
// Writes <dir>/tune_plan.json when there is none (atomically; the folder must exist). A stored
// request that differs is refused with an InputError naming the file and each difference
// ("trials 3 there, 4 here"; "recipe key 'epochs' 1 there, 2 here"), as is one that cannot be
// read.
void recordTuneRequest(const std::string& dir, const TuneRequest& r);

// The base with a trial's drawn values over it, validated; InputError naming the trial and its
// values when they do not make a valid config together.
TrainConfig trialConfig(const TrainConfig& base, const nlohmann::json& values, int trial);

// <dir>/rung-<rung>/trial-<trial>: a study folder of the trial's recipe at that rung's
// epochs (its plan.json, its runs <method>-seed<s>, and slurm/ when the rung ran on Slurm).
std::string tuneTrialDir(const std::string& dir, int rung, int trial);

// A run as the search reads it from its folder.
struct TuneRunFigures {
    bool finished = false;  // result.json says finished; anything else scores as failed
    double valAccuracy = 0, testAccuracy = 0;
    double valLoss = -1;  // at the best epoch from metrics.jsonl; -1 where not recorded
    int epochsCompleted = 0;
};
TuneRunFigures readTuneRun(const std::string& runDir);

// The recipe keys of a config (config table: not the seed, the execution keys or
// features_from), as a config file `compare --config` and `train --config` read.
nlohmann::json recipeConfigJson(const TrainConfig& config);

}  // namespace fewdata
