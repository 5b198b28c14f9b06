#include "core/run/study.h"
#include "core/base/file_read.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/config_table.h"
#include "core/run/run_folder.h"
#include "core/train/training_state.h"

namespace fs = std::filesystem;

namespace fewdata {

nlohmann::json studySpecJson(const StudySpec& s) {
    nlohmann::json j = {{"format", 1},        {"methods", s.methods},
                        {"seeds", s.seeds},   {"per_class", s.perClass},
                        {"preset", s.preset}, {"config", s.base.toJson()}};
    // Format 2: a version that does not know the key would plan runs that train their own
    // image stage, so it must refuse the plan instead.
    if (!s.featuresStudy.empty()) {
        j["format"] = 2;
        j["features_study"] = s.featuresStudy;
    }
    return j;
}

StudySpec studySpecFromJson(const nlohmann::json& j, const std::string& source) {
    StudySpec s;
    try {
        const int format = j.at("format").get<int>();
        if (format != 1 && format != 2)
            throw InputError("'" + source + "' has plan format " + jsonText(j.at("format")) +
                             "; this version reads formats 1 and 2");
        s.methods = j.at("methods").get<std::vector<std::string>>();
        s.seeds = j.at("seeds").get<int>();
        s.perClass = j.at("per_class").get<std::vector<int>>();
        s.preset = j.value("preset", "");
        s.featuresStudy = j.value("features_study", "");
        s.base = TrainConfig::fromJson(j.at("config"));
    } catch (const nlohmann::json::exception& e) {
        throw InputError("'" + source + "' is not a study plan: " + e.what());
    } catch (const InputError& e) {
        throw InputError("'" + source + "': " + e.what());
    }
    if (s.methods.empty() || s.seeds < 1)
        throw InputError("'" + source + "' plans no methods or no seeds");
    try {
        checkSeedRange(s.base.seed, s.seeds);
    } catch (const InputError& e) {
        throw InputError("'" + source + "': " + e.what());
    }
    return s;
}

void writeStudySpec(const std::string& outDir, const StudySpec& s) {
    checkPathLength(outDir);  // before any folder on the way is made
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(outDir, ec)) && !fs::exists(outDir, ec))
        throw InputError("comparison folder '" + outDir + "' is a symbolic link to '" +
                         fs::read_symlink(outDir, ec).string() +
                         "', which does not exist; choose another --out");
    fs::create_directories(outDir, ec);
    if (ec) throw InputError("cannot create comparison folder '" + outDir + "': " + ec.message());
    writeFileAtomically((fs::path(outDir) / kStudyPlanFile).string(),
                        jsonText(studySpecJson(s), 2) + "\n");
}

std::optional<StudySpec> readStudySpec(const std::string& outDir) {
    const fs::path path = fs::path(outDir) / kStudyPlanFile;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    const auto j = readJsonFile(path.string());
    return studySpecFromJson(j, path.string());
}

std::optional<StudySpec> checkStudySpec(const std::string& outDir, const StudySpec& s) {
    const std::optional<StudySpec> stored = readStudySpec(outDir);
    if (!stored) return stored;
    const nlohmann::json mine = s.base.toJson(), theirs = stored->base.toJson();
    // A method key that no method of either plan reads changes none of its runs (a tune's
    // shared baselines carry the base's gnn keys).
    std::vector<std::string> methods = stored->methods;
    methods.insert(methods.end(), s.methods.begin(), s.methods.end());
    auto readByNone = [&](const ConfigKey& k) {
        return k.role == KeyRole::Method &&
               std::none_of(methods.begin(), methods.end(), [&](const std::string& m) {
                   return TrainConfig::keyAffects(k.key, m);
               });
    };
    std::string differing;
    for (const ConfigKey& k : configTable()) {
        const std::string key = k.key;
        if (k.role == KeyRole::Execution || key == "per_class" || key == "method" || readByNone(k))
            continue;
        if (mine.value(key, nlohmann::json()) != theirs.value(key, nlohmann::json()))
            differing += (differing.empty() ? "" : ", ") + key + " " +
                         jsonText(theirs.value(key, nlohmann::json())) + " there, " +
                         jsonText(mine.value(key, nlohmann::json())) + " here";
    }
    if (s.featuresStudy != stored->featuresStudy)
        differing += std::string(differing.empty() ? "" : ", ") + "features_study " +
                     jsonText(stored->featuresStudy) + " there, " + jsonText(s.featuresStudy) +
                     " here";
    const std::string path = (fs::path(outDir) / kStudyPlanFile).string();
    if (!differing.empty())
        throw InputError("'" + path + "' is a study of another recipe (" + differing +
                         "); use another output folder");
    return stored;
}

StudySpec recordStudySpec(const std::string& outDir, const StudySpec& s, bool extend) {
    const std::optional<StudySpec> stored = checkStudySpec(outDir, s);
    if (!stored) {
        writeStudySpec(outDir, s);
        return s;
    }
    if (!extend) return *stored;
    StudySpec merged = *stored;
    for (const auto& m : s.methods)
        if (std::find(merged.methods.begin(), merged.methods.end(), m) == merged.methods.end())
            merged.methods.push_back(m);
    const std::vector<int> asked = s.perClass.empty() ? std::vector<int>{s.base.per_class} : s.perClass;
    if (merged.perClass.empty()) merged.perClass = {merged.base.per_class};
    for (int k : asked)
        if (std::find(merged.perClass.begin(), merged.perClass.end(), k) == merged.perClass.end())
            merged.perClass.push_back(k);
    merged.seeds = std::max(merged.seeds, s.seeds);
    if (studySpecJson(merged) != studySpecJson(*stored)) writeStudySpec(outDir, merged);
    return merged;
}

std::vector<PlannedRun> planStudy(const StudySpec& s, const std::string& outDir) {
    const std::string features =
        s.featuresStudy.empty() ? std::string()
                                : (fs::path(outDir) / s.featuresStudy).lexically_normal().string();
    return planComparison(s.base, s.methods, s.seeds, outDir, s.perClass, features);
}

nlohmann::json presetOver(const ComparisonPreset& preset, const nlohmann::json& current) {
    nlohmann::json merged = TrainConfig().toJson();
    for (const ConfigKey& k : configTable())
        if ((k.role == KeyRole::Execution || std::string(k.key) == "seed") &&
            current.contains(k.key))
            merged[k.key] = current[k.key];
    if (preset.datasetFromUser && current.contains("dataset")) merged["dataset"] = current["dataset"];
    for (const auto& [k, v] : preset.config.items()) merged[k] = v;
    return merged;
}

const char* cellStateName(CellState s) {
    switch (s) {
        case CellState::Pending: return "pending";
        case CellState::Running: return "running";
        case CellState::Done: return "done";
        case CellState::Failed: return "failed";
        case CellState::Interrupted: return "interrupted";
    }
    return "?";
}

CellState cellState(const PlannedRun& run) {
    switch (runFolderState(run.dir)) {
        // Only claimed: a run decoding its dataset holds the lock, a killed one does not.
        case RunFolderState::Missing:
            return RunFolder::isLocked(run.dir) ? CellState::Running : CellState::Pending;
        case RunFolderState::Done: return CellState::Done;
        case RunFolderState::Failed: return CellState::Failed;
        case RunFolderState::Interrupted:
            return RunFolder::isLocked(run.dir) ? CellState::Running : CellState::Interrupted;
    }
    return CellState::Pending;
}

namespace {

// A run that failed writing its files (a full disk) is continued like an interrupted one, as
// `train --resume` would: nothing about what it computed was wrong.
RunFolderState stateForRunner(const PlannedRun& run) {
    const RunFolderState state = runFolderState(run.dir);
    return state == RunFolderState::Failed && failedWriting(run.dir) ? RunFolderState::Interrupted
                                                                      : state;
}

void checkKept(const PlannedRun& run, RunFolderState state) {
    if (state != RunFolderState::Done && state != RunFolderState::Failed) return;
    std::string differing;
    for (const auto& k : configDifferences(run.dir, run.config)) differing += " " + k;
    if (!differing.empty())
        throw InputError("'" + run.dir + "' holds a run with other settings (" +
                         differing.substr(1) + "); use another output folder");
}

}  // namespace

void checkKeptRuns(const std::vector<PlannedRun>& plan) {
    for (const PlannedRun& r : plan) {
        checkPathLength(r.dir);
        checkKept(r, stateForRunner(r));
    }
}

RunStep prepareRun(const PlannedRun& run) {
    RunStep step;
    const RunFolderState state = stateForRunner(run);
    step.failedBefore = state != runFolderState(run.dir);
    if (state == RunFolderState::Done || state == RunFolderState::Failed) {
        checkKept(run, state);
        step.kind = state == RunFolderState::Done ? RunStep::KeptDone : RunStep::KeptFailed;
        return step;
    }
    if (!run.config.features_from.empty() &&
        runFolderState(run.config.features_from) != RunFolderState::Done) {
        step.kind = RunStep::WaitsForBaseline;
        return step;
    }
    if (RunFolder::isLocked(run.dir)) {
        step.kind = RunStep::Busy;
        return step;
    }
    if (state == RunFolderState::Interrupted) {
        // Same settings and a checkpoint: continue it; anything else starts afresh.
        if (hasCheckpoint(run.dir) && configDifferences(run.dir, run.config).empty()) {
            step.kind = RunStep::Resume;
            step.fromEpoch = std::max(0, checkpointEpoch(run.dir));
            return step;
        }
        try {
            step.setAsideAs = setAside(run.dir);
        } catch (const FolderBusy&) {  // a resume began since isLocked() said no
            step.kind = RunStep::Busy;
            return step;
        }
    }
    step.kind = RunStep::Fresh;
    return step;
}

double estimatedSeconds(const std::vector<PlannedRun>& runs, int classes, double imagesPerSecond) {
    if (imagesPerSecond <= 0 || classes <= 0) return 0;
    double images = 0;
    for (const PlannedRun& r : runs) {
        const double train = double(r.perClass) * classes * (1.0 - r.config.val_fraction);
        const bool imageStage = r.config.features_from.empty();
        images += imageStage ? train * r.config.epochs : 0.0;
    }
    return images / imagesPerSecond;
}

double measuredImagesPerSecond(const std::vector<PlannedRun>& runs) {
    double sum = 0;
    int n = 0;
    for (const PlannedRun& r : runs) {
        if (runFolderState(r.dir) != RunFolderState::Done) continue;
        std::ifstream in(fs::path(r.dir) / "metrics.jsonl");
        for (std::string line; std::getline(in, line);) {
            const auto m = nlohmann::json::parse(line, nullptr, false);
            if (!m.is_object() || !m.contains("images_per_second")) continue;
            // The image stage's epochs: no stage, or the first stage of a two-stage run.
            const std::string stage = m.value("stage", "");
            if (!stage.empty() && stage != "baseline" && stage != "encoder") continue;
            const auto& v = m["images_per_second"];
            if (v.is_number() && v.get<double>() > 0) {
                sum += v.get<double>();
                ++n;
            }
        }
    }
    return n ? sum / n : 0;
}

}  // namespace fewdata
