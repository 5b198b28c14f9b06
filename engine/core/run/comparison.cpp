#include "core/train/train_events.h"
#include "core/run/comparison.h"
#include "core/methods/registry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace fewdata {

const std::vector<ComparisonPreset>& comparisonPresets() {
    static const std::vector<ComparisonPreset> presets = {
        {"paper-table1",
         "the paper's Table 1: baseline, MixUp, CutMix, Siamese (contrastive, triplet), cosine, "
         "supervised contrastive, Reptile",
         {"baseline", "mixup", "cutmix", "siamese-contrastive", "siamese-triplet", "cosine",
          "supcon", "reptile"},
         nlohmann::json::object()},
        {"paper-table2",
         "the paper's Table 2: baseline vs GNN on 10 seeded random classes and the first 100 "
         "feature dimensions",
         {"baseline", "gnn"},
         {{"gnn_classes", 10}, {"gnn_feature_dims", 100}}},
    };
    return presets;
}

const ComparisonPreset& findPreset(const std::string& name) {
    std::string names;
    for (const auto& p : comparisonPresets()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw InputError("unknown preset '" + name + "'; presets: " + names);
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::vector<PlannedRun> planComparison(const TrainConfig& base,
                                       const std::vector<std::string>& methodList, int seeds,
                                       const std::string& outDir) {
    if (methodList.empty()) throw InputError("a comparison needs at least one method");
    // The baseline first, then the image stages that listed feature methods read, then the
    // rest in the given order: a run of cached features comes after the run that caches them.
    std::vector<std::string> methods;
    auto listed = [&](const std::string& m) {
        return std::find(methodList.begin(), methodList.end(), m) != methodList.end();
    };
    auto feedsAnother = [&](const std::string& m) {
        for (const auto& other : methodList) {
            const MethodInfo* info = methodRegistry().find(other);
            if (info && info->kind == StageKind::Features && info->imageStage == m) return true;
        }
        return false;
    };
    if (listed("baseline")) methods.push_back("baseline");
    for (const auto& m : methodList)
        if (m != "baseline" && feedsAnother(m)) methods.push_back(m);
    for (const auto& m : methodList) {
        if (std::count(methodList.begin(), methodList.end(), m) > 1)
            throw InputError("method '" + m + "' is listed twice");
        if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
    }
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
            r.dir = (fs::path(outDir) / (m + "-seed" + std::to_string(r.seed))).string();
            r.config.validate();  // names a bad method before anything runs
            // A method on cached features reads the same seed's run of its image stage when
            // the comparison has one.
            const std::string& source = methodInfo(m).imageStage;
            if (r.config.usesFeatureCache() && base.features_from.empty() &&
                std::count(methodList.begin(), methodList.end(), source) > 0)
                r.config.features_from =
                    (fs::path(outDir) / (source + "-seed" + std::to_string(r.seed))).string();
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
        const RunStatus status = statusFromName(j.value("status", ""));
        if (status == RunStatus::Finished) return RunFolderState::Done;
        if (status == RunStatus::Failed) return RunFolderState::Failed;
    } catch (const nlohmann::json::exception&) {
    }
    return RunFolderState::Interrupted;
}

std::vector<std::string> configDifferences(const std::string& dir, const TrainConfig& planned) {
    std::ifstream in(fs::path(dir) / "config.json");
    nlohmann::json stored;
    try {
        in >> stored;
        // Through the parser, so a key that an older version did not write takes its default.
        stored = TrainConfig::fromJson(stored).toJson();
    } catch (const nlohmann::json::exception&) {
        return {"config.json (unreadable)"};
    } catch (const InputError& e) {
        return {std::string("config.json (") + e.what() + ")"};
    }
    std::vector<std::string> keys;
    const nlohmann::json wanted = planned.toJson();  // named: items() would outlive a temporary
    for (const auto& [key, value] : wanted.items()) {
        // Execution keys (where and how fast a run computes, not what) and the keys of other
        // methods: rounding aside, the same run.
        if (!TrainConfig::keyAffects(key, planned.method)) continue;
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
