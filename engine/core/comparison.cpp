#include "core/comparison.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace fewdata {

std::vector<PlannedRun> planComparison(const TrainConfig& base,
                                       const std::vector<std::string>& methods, int seeds,
                                       const std::string& outDir) {
    if (methods.empty()) throw InputError("a comparison needs at least one method");
    if (seeds < 1)
        throw InputError("a comparison needs at least one seed, got " + std::to_string(seeds));
    std::vector<PlannedRun> plan;
    // Seed-major: after an interruption every method has the same number of seeds done.
    for (int s = 0; s < seeds; ++s) {
        for (const auto& m : methods) {
            PlannedRun r;
            r.method = m;
            r.seed = base.seed + s;
            r.config = base;
            r.config.method = m;
            r.config.seed = r.seed;
            r.config.validate();  // names a bad method before anything runs
            r.dir = (fs::path(outDir) / (m + "-seed" + std::to_string(r.seed))).string();
            plan.push_back(r);
        }
    }
    return plan;
}

RunFolderState runFolderState(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec) || (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
        return RunFolderState::Missing;
    std::ifstream in(fs::path(dir) / "result.json");
    if (!in) return RunFolderState::Interrupted;
    try {
        const auto j = nlohmann::json::parse(in);
        const std::string status = j.value("status", "");
        if (status == "finished") return RunFolderState::Done;
        if (status == "failed") return RunFolderState::Failed;
    } catch (const nlohmann::json::exception&) {
    }
    return RunFolderState::Interrupted;
}

std::vector<std::string> configDifferences(const std::string& dir, const TrainConfig& planned) {
    std::ifstream in(fs::path(dir) / "config.json");
    nlohmann::json stored;
    try {
        in >> stored;
    } catch (const nlohmann::json::exception&) {
        return {"config.json (unreadable)"};
    }
    std::vector<std::string> keys;
    const nlohmann::json wanted = planned.toJson();  // named: items() would outlive a temporary
    for (const auto& [key, value] : wanted.items()) {
        if (key == "threads" || key == "device" || key == "eval_batch_size") continue;
        if (!stored.contains(key) || stored[key] != value) keys.push_back(key);
    }
    return keys;
}

std::string setAside(const std::string& dir) {
    for (int n = 1;; ++n) {
        const std::string target = dir + ".interrupted-" + std::to_string(n);
        std::error_code ec;
        if (fs::exists(target, ec)) continue;
        fs::rename(dir, target, ec);
        if (ec) throw InputError("cannot set aside interrupted run '" + dir + "': " + ec.message());
        return target;
    }
}

}  // namespace fewdata
