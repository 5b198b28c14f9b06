#include "core/run/comparison.h"
#include "core/base/atomic_file.h"
#include "core/base/file_read.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"
#include "core/run/run_folder.h"
#include "core/train/train_events.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace fewdata {
namespace {

bool sameFolder(const std::string& a, const std::string& b) {
    return physicalPath(a) == physicalPath(b);
}

}  // namespace

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::vector<int> parsePerClassList(const std::string& text) {
    std::vector<int> out;
    for (const std::string& item : splitList(text)) {
        size_t used = 0;
        int k = 0;
        try {
            k = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size())
            throw InputError("--per-class: '" + item + "' is not a whole number");
        if (k < 2)
            throw InputError("--per-class: K = " + item +
                             " is below 2 (a class needs one training and one validation image)");
        if (std::find(out.begin(), out.end(), k) != out.end())
            throw InputError("--per-class: K = " + item + " is listed twice");
        out.push_back(k);
    }
    if (out.empty()) throw InputError("--per-class: no K given in '" + text + "'");
    return out;
}

void checkPerClassFits(const std::vector<int>& perClass,
                       const std::vector<std::pair<std::string, size_t>>& classSizes,
                       bool takeAllAvailable) {
    if (takeAllAvailable && perClass.size() > 1)
        throw InputError(
            "--per-class: a list of K with --take-all (take_all_available): every class then "
            "gives all its images whatever K, so each point of the curve would be the same run");
    if (takeAllAvailable || classSizes.empty()) return;
    const auto smallest =
        *std::min_element(classSizes.begin(), classSizes.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; });
    for (int k : perClass)
        if (size_t(k) > smallest.second)
            throw InputError("--per-class: K = " + std::to_string(k) + " is more than class '" +
                             smallest.first + "' has (" + std::to_string(smallest.second) +
                             " images); lower K");
}

std::vector<PlannedRun> planComparison(const TrainConfig& base,
                                       const std::vector<std::string>& methodList, int seeds,
                                       const std::string& outDir,
                                       const std::vector<int>& perClassList,
                                       const std::string& featuresStudy) {
    const std::vector<int> perClass =
        perClassList.empty() ? std::vector<int>{base.per_class} : perClassList;
    const bool grid = perClass.size() > 1;
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
    auto folderIn = [&](const std::string& dir, const std::string& method, int k, int seed) {
        return (fs::path(dir) / (method + (grid ? "-k" + std::to_string(k) : std::string()) +
                                 "-seed" + std::to_string(seed)))
            .string();
    };
    auto folder = [&](const std::string& method, int k, int seed) {
        return folderIn(outDir, method, k, seed);
    };
    // Seed-major: after an interruption every method and K has the same number of seeds done.
    for (int s = 0; s < seeds; ++s) {
        for (int k : perClass) {
            for (const auto& m : methods) {
                PlannedRun r;
                r.method = m;
                r.seed = base.seed + s;
                r.perClass = k;
                r.config = base;
                r.config.method = m;
                r.config.seed = r.seed;
                r.config.per_class = k;
                r.dir = folder(m, k, r.seed);
                r.config.validate();  // names a bad method before anything runs
                const std::string& source = methodInfo(m).imageStage;
                if (r.config.usesFeatureCache() && base.features_from.empty()) {
                    if (std::count(methodList.begin(), methodList.end(), source) > 0)
                        r.config.features_from = folder(source, k, r.seed);
                    else if (!featuresStudy.empty())
                        r.config.features_from = folderIn(featuresStudy, source, k, r.seed);
                }
                plan.push_back(r);
            }
        }
    }
    return plan;
}

RunFolderState runFolderState(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec) || (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) ||
        RunFolder::neverStarted(dir))
        return RunFolderState::Missing;
    try {
        const auto j = readJsonFile((fs::path(dir) / "result.json").string());
        const RunStatus status = statusFromName(j.value("status", ""));
        if (status == RunStatus::Finished) return RunFolderState::Done;
        if (status == RunStatus::Failed) return RunFolderState::Failed;
    } catch (const std::exception&) {
    }
    return RunFolderState::Interrupted;
}

std::vector<std::string> configDifferences(const std::string& dir, const TrainConfig& planned) {
    nlohmann::json raw, stored;
    try {
        raw = readJsonFile((fs::path(dir) / "config.json").string());
        // Through the parser, so the values compare as the planned ones are written.
        stored = TrainConfig::fromJson(raw).toJson();
    } catch (const nlohmann::json::exception&) {
        return {"config.json (unreadable)"};
    } catch (const InputError& e) {
        return {std::string("config.json (") + e.what() + ")"};
    }
    // features_from is kept relative to the run folder: compared as the folders it names.
    if (!planned.features_from.empty() && raw.is_object() && raw.contains("features_from") &&
        raw["features_from"].is_string()) {
        const std::string resolved =
            resolvedFeaturesFrom(dir, raw["features_from"].get<std::string>());
        if (sameFolder(resolved, planned.features_from))
            stored["features_from"] = planned.features_from;
    }
    std::vector<std::string> keys;
    const nlohmann::json wanted = planned.toJson();  // named: items() would outlive a temporary
    const nlohmann::json recipe = recipeOf(planned);
    for (const auto& [key, value] : wanted.items()) {
        // Execution keys (where and how fast a run computes, not what) and the keys of other
        // methods: rounding aside, the same run.
        if (!TrainConfig::keyAffects(key, planned.method)) continue;
        // A key the method lists that changes nothing with these settings (a balanced-batch key
        // on cached features, the neighbour count of the paper's graph).
        if (isRecipeKey(key) && key != "features_from" && !recipe.contains(key)) continue;
        // A key of the recipe that the kept run's version did not write: it may have trained
        // otherwise (a new key's default can change what a method does), unless the table says
        // what its absence means.
        const ConfigKey* k = findConfigKey(key);
        if (recipe.contains(key) && !raw.contains(key)) {
            if (!k || !k->absentMeans)
                keys.push_back(key + " (not recorded)");
            else if (value != k->absentMeans)
                keys.push_back(key);
        } else if (stored[key] != value) {
            keys.push_back(key);
        }
    }
    return keys;
}

std::string setAside(const std::string& dir) {
    // Held while it moves, so no resume starts on it meanwhile (FolderBusy if one runs it).
    const std::shared_ptr<void> held = RunFolder::holdStopped(dir);
    for (int n = 1;; ++n) {
        const std::string target = dir + ".interrupted-" + std::to_string(n);
        std::error_code ec;
        if (fs::exists(fs::symlink_status(target, ec))) continue;
        fs::rename(dir, target, ec);
        if (ec) throw InputError("cannot set aside interrupted run '" + dir + "': " + ec.message());
        // The temporary files of the writes it was killed in: nothing resumes them there.
        for (const auto& e : fs::directory_iterator(target, ec))
            if (isTemporaryFileName(e.path().filename().string()) &&
                e.is_regular_file(ec))
                fs::remove(e.path(), ec);
        return target;
    }
}

bool failedWriting(const std::string& dir) {
    std::string message;
    int written = 0;
    try {
        const auto j = readJsonFile((fs::path(dir) / "result.json").string());
        if (statusFromName(j.value("status", "")) != RunStatus::Failed) return false;
        message = j.value("message", "");
        written = j.value("write_errno", 0);
    } catch (const std::exception&) {
        return false;
    }
    const int causes[] = {ENOSPC, EDQUOT, EROFS, EIO};
    if (written != 0) return std::find(std::begin(causes), std::end(causes), written) != std::end(causes);
    // Runs of versions before write_errno: their English message (the command line's locale).
    for (const char* text : {"No space left on device", "Disk quota exceeded",
                             "Read-only file system", "Input/output error"})
        if (message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace fewdata
