// A comparison: methods x seeds on the same protocol split per seed, one run folder each, in
// an order that a rerun can pick up: finished runs are kept, interrupted ones set aside.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/config.h"

namespace fewdata {

struct PlannedRun {
    std::string method;
    int seed = 0;
    std::string dir;  // <out>/<method>-seed<seed>
    TrainConfig config;
};

// A named study: its methods and the config keys it sets (under the user's own settings).
struct ComparisonPreset {
    std::string name;
    std::string description;
    std::vector<std::string> methods;
    nlohmann::json config;
};
const std::vector<ComparisonPreset>& comparisonPresets();
// Throws InputError listing the presets for an unknown name.
const ComparisonPreset& findPreset(const std::string& name);

// Methods on cached features read the same seed's baseline run of the comparison when the
// methods include "baseline" (which then runs first in each seed), else train their own.
// "a,b,,c" -> {a, b, c}: the --methods lists of the CLI and the bench.
std::vector<std::string> splitList(const std::string& text);

std::vector<PlannedRun> planComparison(const TrainConfig& base,
                                       const std::vector<std::string>& methods, int seeds,
                                       const std::string& outDir);

enum class RunFolderState {
    Missing,      // not there or empty: to run
    Done,         // result.json says finished
    Failed,       // result.json says failed (a diverged loss): kept; rerunning repeats it
    Interrupted,  // anything else: a run that stopped midway
};
RunFolderState runFolderState(const std::string& dir);

// Keys whose value in <dir>/config.json differs from `planned` (execution settings such as
// threads and device excepted): a kept run must belong to the comparison being resumed.
std::vector<std::string> configDifferences(const std::string& dir, const TrainConfig& planned);

// Renames an interrupted run folder to <dir>.interrupted-<n> (nothing is deleted); returns it.
std::string setAside(const std::string& dir);

}  // namespace fewdata
