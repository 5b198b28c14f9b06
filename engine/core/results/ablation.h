// The ablation table: each recipe that differs from a reference recipe in a few keys, against
// that reference, for the same dataset, K and method, paired by seed (each seed has the same
// protocol split in both). The keys in which the two differ are named on the line, so the
// pairing states the one thing it measures; rows of recipes not tied to the reference are
// not in it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/results/results.h"

namespace fewdata {

struct AblationLine {
    const MethodRow* reference = nullptr;
    const MethodRow* row = nullptr;  // the reference itself on the reference's own line
    // "ema_decay=0.99, tta_flip=true" (the row's values); on the reference's line, the
    // reference's values of every key its variants change.
    std::string change;
    int pairs = 0;                           // seeds run in both
    std::optional<Interval> vsReference;     // test difference per seed, in points
    std::optional<PairedTest> significance;  // from 2 pairs; Holm across one reference's variants
    // The same difference for the last epoch's test figure: no model selection in it, which
    // with a small validation split can hide what a change does to training (README).
    std::optional<Interval> lastVsReference;
};

// The rows with a run in `referenceDir` (a folder under the scan's root) are the reference
// rows: one per method and K (two recipes of one method and K there: InputError naming the
// folder). Every other row of the same dataset, K, method and protocol keys (the split and
// test set: config_table.h) is a variant of it. Reference first, then its variants in table
// order. Empty when no row is a reference.
std::vector<AblationLine> ablationLines(const std::vector<MethodRow>& rows,
                                        const std::string& referenceDir);

// Whether run folder `runDir` lies inside `dir` (the same folder included), on the paths as
// written (the scan's paths are under the folder it was given).
bool isInside(const std::string& runDir, const std::string& dir);

}  // namespace fewdata
