// The run-folder reader and the exporters on arbitrary config.json / result.json pairs (the
// input split at the first NUL byte): a bad run is a reported problem, never a crash.
#include <algorithm>

#include "core/base/errors.h"
#include "core/results/results.h"
#include "core/results/table_export.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto root = fuzzing::scratch() / "runs";
    const auto run = root / "baseline-seed0";
    std::filesystem::create_directories(run);
    const uint8_t* split = std::find(data, data + size, uint8_t(0));
    fuzzing::writeFile(run / "config.json", data, size_t(split - data));
    const uint8_t* rest = split == data + size ? split : split + 1;
    fuzzing::writeFile(run / "result.json", rest, size_t(data + size - rest));
    try {
        const fewdata::RunScan scan = fewdata::scanRuns(root.string());
        const auto rows = fewdata::aggregate(scan.runs);
        for (const char* format : {"csv", "md", "latex", "json"})
            fewdata::exportTable(scan, rows, format);
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
