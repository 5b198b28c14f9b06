// Result tables as a researcher pastes them: the paper's Table 1 layout (Model / Strategy /
// Validation / Test) with mean +- sd over seeds, the 95 % interval and the difference to the
// baseline, as CSV, Markdown, LaTeX (booktabs) or JSON. CSV and JSON carry every run too.
#pragma once

#include <string>

#include "core/results.h"

namespace fewdata {

// format: csv | md | latex | json. Throws InputError for another format.
std::string exportTable(const RunScan& scan, const std::vector<MethodRow>& rows,
                        const std::string& format);

}  // namespace fewdata
