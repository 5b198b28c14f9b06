// A study: methods x K x seeds in one folder, as `fewdata-cli compare` and the window's Study
// page run it. Its request is kept as plan.json, so the window reopens a folder where it
// stopped (and a scheduler can run entry i); each planned run is prepared the same way by
// both: kept when done, resumed from its checkpoint when interrupted (or failed writing its
// files), set aside otherwise.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/run/comparison.h"

namespace fewdata {

constexpr const char* kStudyPlanFile = "plan.json";

struct StudySpec {
    TrainConfig base;  // every key; per_class is the first K, method the first method
    std::vector<std::string> methods;
    int seeds = 3;
    std::vector<int> perClass;  // empty: base.per_class
    std::string preset;         // the preset it started from, "" for none (informative)
    // Where its methods on cached features find their image stage's runs when the study does
    // not train that stage (planComparison's featuresStudy): a study folder, relative to this
    // study's folder so the two move together; "" for none.
    std::string featuresStudy;
};

nlohmann::json studySpecJson(const StudySpec& s);
// Throws InputError naming `source` and the key for a plan that cannot be read back.
StudySpec studySpecFromJson(const nlohmann::json& j, const std::string& source);
// <outDir>/plan.json, replaced atomically.
void writeStudySpec(const std::string& outDir, const StudySpec& s);
// Records a request in <outDir>/plan.json before anything runs: written when absent; a
// request of the same recipe (execution keys aside) extends the stored plan by its methods,
// seeds and K (the union, kept in order); one of another recipe is refused with an InputError
// naming the file and the differing keys, as is a plan.json that cannot be read. Returns the
// folder's plan. `extend` false: an existing plan is left as it is (compare --plan-only).
StudySpec recordStudySpec(const std::string& outDir, const StudySpec& s, bool extend = true);
// What recordStudySpec refuses, checked without writing: the stored plan (empty when none), or
// InputError for one of another recipe or one that cannot be read.
std::optional<StudySpec> checkStudySpec(const std::string& outDir, const StudySpec& s);
// Empty when the folder has no plan.json; InputError naming the file when it is damaged.
std::optional<StudySpec> readStudySpec(const std::string& outDir);

std::vector<PlannedRun> planStudy(const StudySpec& s, const std::string& outDir);

// The preset's keys over the defaults, keeping from `current` where and how runs compute
// (the execution keys), the seed and, for a preset on the user's data, the dataset.
nlohmann::json presetOver(const ComparisonPreset& preset, const nlohmann::json& current);

// A planned run's state as found on disk.
enum class CellState { Pending, Running, Done, Failed, Interrupted };
const char* cellStateName(CellState s);  // pending, running, done, failed, interrupted
CellState cellState(const PlannedRun& run);

// What the runner does with a planned run now.
struct RunStep {
    enum Kind {
        KeptDone,         // finished before: kept
        KeptFailed,       // failed before: kept, counted as a failure
        WaitsForBaseline, // its baseline run did not finish: not run
        Busy,             // another process runs it now: not run
        Resume,           // interrupted with a checkpoint of the same settings: continued
        Fresh,            // run now (an interrupted folder without a usable checkpoint is set aside)
    } kind = Fresh;
    int fromEpoch = -1;      // Resume: the checkpoint's epoch
    bool failedBefore = false;  // Resume, Fresh: it had failed writing its files (failedWriting)
    std::string setAsideAs;  // Fresh: where an interrupted folder went, else empty
    bool runs() const { return kind == Resume || kind == Fresh; }
};
// Throws InputError when a kept run has other settings than planned.
RunStep prepareRun(const PlannedRun& run);
// prepareRun's refusal, for every planned run at once, before anything is written.
void checkKeptRuns(const std::vector<PlannedRun>& plan);

// The image-training seconds the pending runs need at `imagesPerSecond` (training images x
// epochs / rate; feature stages and evaluation aside). `classes` of the dataset.
double estimatedSeconds(const std::vector<PlannedRun>& runs, int classes, double imagesPerSecond);

// Images per second of the image stage, over the finished runs of `runs` (their
// metrics.jsonl); 0 when none has finished.
double measuredImagesPerSecond(const std::vector<PlannedRun>& runs);

}  // namespace fewdata
