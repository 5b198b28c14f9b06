// The run-folder reader, the ablation lines and the exporters on arbitrary config.json / result.json pairs (the
// input split at the first NUL byte): a bad run is a reported problem, never a crash.
#include <algorithm>

#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/results/ablation.h"
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
    // A second run of the same files but another recipe, so the ablation has a variant line
    // whenever the first reads as a run.
    const auto variant = root / "variant" / "baseline-seed0";
    std::filesystem::create_directories(variant);
    fuzzing::writeFile(variant / "result.json", rest, size_t(data + size - rest));
    try {
        // Depth-checked: nlohmann's parser recurses.
        auto config = fewdata::parseJsonText(
            std::string(reinterpret_cast<const char*>(data), size_t(split - data)), "config");
        if (config.is_object()) config["lr"] = config.value("lr", 0.05) == 0.07 ? 0.08 : 0.07;
        const std::string text = config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        fuzzing::writeFile(variant / "config.json", reinterpret_cast<const uint8_t*>(text.data()),
                           text.size());
    } catch (const std::exception&) {
        std::filesystem::remove(variant / "config.json");
    }
    try {
        const fewdata::RunScan scan = fewdata::scanRuns(root.string());
        const auto rows = fewdata::aggregate(scan.runs);
        // The run as an ablation's reference too: its line is built from the same fields.
        const auto lines = fewdata::ablationLines(rows, run.string());
        for (const char* format : {"csv", "md", "latex", "json"}) {
            fewdata::exportTable(scan, rows, format);
            fewdata::exportTable(scan, rows, format, lines);
        }
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
