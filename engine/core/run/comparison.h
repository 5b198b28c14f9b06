// A comparison: methods x seeds on the same protocol split per seed, one run folder each, in
// an order that a rerun can pick up: finished runs are kept, interrupted ones set aside.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/config.h"
#include "core/run/presets.h"

namespace fewdata {

struct PlannedRun {
    std::string method;
    int seed = 0;
    int perClass = 0;
    std::string dir;  // <out>/<method>-seed<seed>, or <out>/<method>-k<K>-seed<seed> in a K grid
    TrainConfig config;
};

// Methods on cached features read the same seed's baseline run of the comparison when the
// methods include "baseline" (which then runs first in each seed), else train their own.
// "a,b,,c" -> {a, b, c}: the --methods lists of the CLI and the bench.
std::vector<std::string> splitList(const std::string& text);

// A learning curve's K values, "5,10,20,50": each at least 2, none twice. Throws InputError
// naming the value.
std::vector<int> parsePerClassList(const std::string& text);
// Refuses (InputError naming the value and the class) a K above the smallest class's image
// count, unless take_all_available lets such a class give what it has; and a list of K with
// take_all_available, which makes every class give all its images whatever K.
void checkPerClassFits(const std::vector<int>& perClass,
                       const std::vector<std::pair<std::string, size_t>>& classSizes,
                       bool takeAllAvailable);

// Methods x K x seeds. An empty `perClass` is base.per_class alone. Every K of a seed draws
// from the same seeded order per class, so the images of a smaller K are a subset of a
// larger one's (data/protocol.h): the curves are paired by seed.
// A method on cached features reads the same seed's (and K's) run of its image stage: the
// comparison's own when the stage is listed, else the run of that name in `featuresStudy`
// (another study's folder, e.g. the shared baselines of a tune) when one is given, else none
// (it trains the stage itself, or reads base.features_from).
std::vector<PlannedRun> planComparison(const TrainConfig& base,
                                       const std::vector<std::string>& methods, int seeds,
                                       const std::string& outDir,
                                       const std::vector<int>& perClass = {},
                                       const std::string& featuresStudy = {});

enum class RunFolderState {
    Missing,      // not there, empty or only claimed (RunFolder::neverStarted): to run
    Done,         // result.json says finished
    Failed,       // result.json says failed: kept (a diverged loss: rerunning repeats it)
    Interrupted,  // anything else: a run that stopped midway
};
RunFolderState runFolderState(const std::string& dir);

// Keys whose value in <dir>/config.json differs from `planned` (execution settings such as
// threads and device excepted): a kept run must belong to the comparison being resumed.
std::vector<std::string> configDifferences(const std::string& dir, const TrainConfig& planned);

// Renames an interrupted run folder to <dir>.interrupted-<n> and removes the temporary files
// of the writes it stopped in (nothing else is deleted); returns the new name. FolderBusy when
// a live run holds it.
std::string setAside(const std::string& dir);

// Whether <dir>/result.json says the run failed because its files could not be written (a
// full disk or quota, a read-only or failing file system), not for what it computed: such a
// run is continued like an interrupted one.
bool failedWriting(const std::string& dir);

}  // namespace fewdata
