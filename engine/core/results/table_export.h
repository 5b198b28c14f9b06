// Result tables as a researcher pastes them: the paper's Table 1 layout (Model / Strategy /
// Validation / Test) with mean +- sd over seeds, the 95 % interval and the difference to the
// baseline, as CSV, Markdown, LaTeX (booktabs) or JSON. CSV and JSON carry every run too.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// format: csv | md | latex | json. Throws InputError for another format.
std::string exportTable(const RunScan& scan, const std::vector<MethodRow>& rows,
                        const std::string& format);

}  // namespace fewdata
