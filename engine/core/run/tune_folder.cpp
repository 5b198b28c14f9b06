#include "core/run/tune_folder.h"

#include <filesystem>
#include <sstream>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"
#include "core/config/config_table.h"

namespace fs = std::filesystem;

namespace fewdata {
namespace {

// 2: a trial's runs at a rung are a study folder's (rung-<k>/trial-<i>/<method>-seed<s>),
// so Slurm's array tasks run them with `compare --task`.
constexpr int kTuneFormat = 2;

}  // namespace

nlohmann::json recipeConfigJson(const TrainConfig& config) {
    nlohmann::json j = nlohmann::json::object();
    for (const ConfigKey& k : configTable())
        if (isRecipeKey(k.key) && std::string(k.key) != "features_from")
            j[k.key] = configValue(config, k);
    return j;
}

nlohmann::json tuneRequestJson(const TuneRequest& r) {
    return {{"format", kTuneFormat},
            {"method", r.base.method},
            {"space", r.space},
            {"trials", r.trials},
            {"seeds", r.seeds},
            {"first_seed", r.base.seed},
            {"eta", r.eta},
            {"rungs", r.rungs},
            {"search_seed", r.searchSeed},
            {"recipe", recipeConfigJson(r.base)}};
}

void recordTuneRequest(const std::string& dir, const TuneRequest& r) {
    const std::string path = (fs::path(dir) / kTunePlanFile).string();
    const nlohmann::json mine = tuneRequestJson(r);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) {
        try {
            writeNewFileAtomically(path, jsonText(mine, 2) + "\n");
            return;
        } catch (const InputError&) {
            // Another tune recorded its request meanwhile: compared with it below.
            if (!fs::exists(fs::symlink_status(path, ec))) throw;
        }
    }
    const nlohmann::json theirs = readJsonFile(path);  // InputError naming the file
    if (theirs.is_object() && theirs.value("format", 0) == 1)
        throw InputError("'" + path +
                         "' is a search of an earlier version, whose runs are "
                         "rung-<k>/trial-<i>/seed-<s> (this one's are rung-<k>/trial-<i>/"
                         "<method>-seed<s>): continue it with that version, or use another --out");
    if (!theirs.is_object() || theirs.value("format", 0) != kTuneFormat)
        throw InputError("'" + path + "' is not a tune request this version reads");
    std::string differing;
    auto note = [&](const std::string& what, const nlohmann::json& there,
                    const nlohmann::json& here) {
        differing += (differing.empty() ? "" : "; ") + what + " " + jsonText(there) +
                     " there, " + jsonText(here) + " here";
    };
    for (const auto& [key, value] : mine.items()) {
        if (key == "recipe") continue;
        const nlohmann::json there = theirs.value(key, nlohmann::json());
        if (there != value) note(key, there, value);
    }
    const nlohmann::json theirRecipe = theirs.value("recipe", nlohmann::json::object());
    for (const auto& [key, value] : mine["recipe"].items()) {
        const nlohmann::json there =
            theirRecipe.is_object() ? theirRecipe.value(key, nlohmann::json()) : nlohmann::json();
        if (there != value) note("recipe key '" + key + "'", there, value);
    }
    if (!differing.empty())
        throw InputError("'" + path + "' is a search of another request (" + differing +
                         "); use another --out");
}

TrainConfig trialConfig(const TrainConfig& base, const nlohmann::json& values, int trial) {
    nlohmann::json j = base.toJson();
    for (const auto& [key, value] : values.items()) j[key] = value;
    try {
        return TrainConfig::fromJson(j);
    } catch (const InputError& e) {
        throw InputError("--space: trial " + std::to_string(trial) + " (" + jsonText(values) +
                         ") is not a valid config: " + e.what());
    }
}

std::string tuneTrialDir(const std::string& dir, int rung, int trial) {
    return (fs::path(dir) / ("rung-" + std::to_string(rung)) / ("trial-" + std::to_string(trial)))
        .string();
}

TuneRunFigures readTuneRun(const std::string& runDir) {
    TuneRunFigures f;
    nlohmann::json result;
    try {
        result = readJsonFile((fs::path(runDir) / "result.json").string());
    } catch (const InputError&) {
        return f;  // not there or unreadable: not finished
    }
    if (!result.is_object() || result.value("status", "") != "finished") return f;
    try {
        f.valAccuracy = result.at("val_accuracy").get<double>();
        f.testAccuracy = result.at("test_accuracy").get<double>();
        f.epochsCompleted = result.value("epochs_completed", 0);
    } catch (const nlohmann::json::exception&) {
        return f;
    }
    f.finished = true;
    // The loss of the epoch whose weights the accuracy comes from: the tie-break.
    const int best = result.value("best_epoch", -1);
    try {
        std::istringstream lines(readRegularFile((fs::path(runDir) / "metrics.jsonl").string()));
        for (std::string line; std::getline(lines, line);) {
            const auto m = nlohmann::json::parse(line, nullptr, false);
            // Under ema_decay the accuracy may be the weight average's: its loss goes with it.
            const char* key = m.is_object() && m.value("best_weights", "") == "ema"
                                  ? "ema_val_loss"
                                  : "val_loss";
            if (m.is_object() && m.value("epoch", -2) == best && m.contains(key) &&
                m[key].is_number())
                f.valLoss = m[key].get<double>();
        }
    } catch (const InputError&) {
    }
    return f;
}

}  // namespace fewdata
