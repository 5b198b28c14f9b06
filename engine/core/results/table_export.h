// Result tables as a researcher pastes them: the paper's Table 1 layout (Model / Strategy /
// Validation / Test) with mean +- sd over seeds, the 95 % interval, the difference to the
// baseline with its p-values, and the recipe each row was made with, as CSV, Markdown, LaTeX
// (booktabs) or JSON; with more than one K, the learning curves. CSV and JSON carry every run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/results/ablation.h"
#include "core/results/results.h"

namespace fewdata {

// Table 2: each GNN row beside its references on the same nodes (the baseline CNN's own
// predictions and the same network without the graph), paired per run.
struct GraphLine {
    const MethodRow* row;
    std::string strategy;
    Interval val, test;
    std::optional<Interval> vsCnn;  // test - the CNN's test on the same nodes, per run
};
std::vector<GraphLine> graphLines(const std::vector<MethodRow>& rows);

// Test accuracy by images per class: one curve per dataset, model, method and recipe (K
// aside), one point per K. Empty unless the rows hold more than one K.
struct CurvePoint {
    int perClass = 0;
    Interval test;
};
struct LearningCurve {
    std::string dataset, model, method, recipeLabel;  // recipeLabel without per_class
    std::vector<CurvePoint> points;                   // by K
};
std::vector<LearningCurve> learningCurves(const std::vector<MethodRow>& rows);

// What the ablation table's figures mean (pairing, Holm's family, the seeds needed) and where
// a variant and its reference computed on different devices: the note under it.
std::string ablationNote(const std::vector<AblationLine>& lines);

// format: csv | md | latex | json. Throws InputError for another format. `ablation`
// (results/ablation.h) adds the ablation table; its lines point into `rows`.
std::string exportTable(const RunScan& scan, const std::vector<MethodRow>& rows,
                        const std::string& format,
                        const std::vector<AblationLine>& ablation = {});

}  // namespace fewdata
