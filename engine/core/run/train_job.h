// One training run as a job: a config and a run folder in, a RunResult out, events between.
// The CLI runs it on its main thread; the GUI's controller runs the same job on a QThread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "core/config/config.h"
#include "core/data/dataset_source.h"
#include "core/train/run_setup.h"
#include "core/train/train_events.h"

namespace fewdata {

class DataParallel;

class RunFolder;

// Opens the dataset a config names. The core knows Fashion-MNIST; the imaging part of the
// engine adds image folders (engine/imaging/dataset_factory.h).
using DatasetOpener = std::function<std::unique_ptr<DatasetSource>(const TrainConfig&)>;

std::unique_ptr<DatasetSource> openCoreDataset(const TrainConfig& config);

struct SplitSizes {
    int64_t train = 0, val = 0, test = 0;
};

struct TrainJobParams {
    TrainConfig config;
    std::string runDir;
    // Continue the unfinished run in runDir (RunFolder::reopen) from its last checkpoint; the
    // config must be the one in its config.json but for the execution keys (resumeConfig).
    bool resume = false;
    // One rank of a data-parallel run. Rank 0 runs as one process does (claims, writes); the
    // others train beside it in lockstep and write nothing (they read runDir to resume).
    // Methods whose loss is a mean over images only (not on cached features).
    DataParallel* parallel = nullptr;
};

// A run that failed for lack of memory: what to change, naming the batch size; "" when `what`
// is not an out-of-memory error.
std::string outOfMemoryAdvice(const std::string& what, const TrainConfig& config,
                              bool resumed = false);

// An unfinished run's config.json with `overrides` over it; only the keys that do not change
// what a run computes (threads, device, eval_batch_size, checkpoint_every) may be overridden.
// Throws InputError naming the folder or the key.
TrainConfig resumeConfig(const std::string& runDir,
                         const nlohmann::json& overrides = nlohmann::json::object());

// A resumed run keeps the precision and layout it began with (from runDir/config.json), even
// when the comparison or the defaults that resume it say otherwise: the rest then repeats
// what the lost epochs would have computed.
void keepStoredArithmetic(TrainConfig& config, const std::string& runDir);

class TrainJob {
public:
    TrainJob(TrainJobParams params, DatasetOpener opener);
    // Never throws for run-time failures: they come back as status "failed" (or "cancelled")
    // with a message, after the listener's failed(). The run folder is claimed (or reopened)
    // and locked before the dataset is decoded and held to the end. InputError (bad config,
    // data or folder) found before anything is written is thrown, and a new run's claim is
    // taken back, so nothing is left of a run that never started; a cancel while decoding
    // returns "cancelled" with no folder. A resume decodes exactly the samples of its
    // manifest.json (which it never rewrites): a missing or changed one is an InputError.
    RunResult run(TrainListener* listener, const std::atomic<bool>* cancel);

private:
    RunResult runIn(RunFolder& folder, TrainListener* listener, const std::atomic<bool>* cancel);
    // `folder` null: a data-parallel rank other than 0, which writes nothing.
    RunResult runOnImages(RunFolder* folder, TrainListener* listener,
                          const std::atomic<bool>* cancel);
    RunResult runOnFeatures(RunFolder& folder, TrainListener* listener,
                            const std::atomic<bool>* cancel);
    RunResult finish(RunFolder& folder, RunResult result, const SplitSizes& sizes,
                     const std::string& deviceText, TrainListener* listener,
                     std::chrono::steady_clock::time_point t0);

    TrainJobParams params_;
    DatasetOpener opener_;
    bool wrote_ = false;  // something was written in the folder: the run has started
};

}  // namespace fewdata
