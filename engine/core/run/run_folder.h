// A run's folder on disk: config, manifest, per-epoch metrics, result and the best checkpoint.
// Every file is replaced atomically; an existing run folder is never written into, except by
// the run that claimed it and by a resume of that run once it has stopped.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/train/run_store.h"

namespace fewdata {

class RunFolder : public RunStore {
public:
    // Created exclusively when a run claims its folder.
    static constexpr const char* kClaimMarker = ".fewdata-run";

    // Throws InputError if `dir` exists and is not empty (a run is never overwritten).
    static void checkFree(const std::string& dir);
    // Creates the folder (checking it is free again, as another process may have raced us).
    // The run holds a lock on it until this object is gone, so nothing resumes a live run.
    explicit RunFolder(const std::string& dir);
    // An unfinished run's folder, to continue it: its metrics so far are kept (see
    // keepEpochsUpTo). Throws InputError naming the folder if it is not a run's, has finished,
    // or another process is running it.
    static RunFolder reopen(const std::string& dir);
    // Whether a live run (in any process) holds `dir`.
    static bool isLocked(const std::string& dir);

    const std::string& dir() const override { return dir_; }
    std::string path(const std::string& name) const override { return dir_ + "/" + name; }
    // Drops the metrics lines of epochs after `epoch` (the ones a resume repeats) and returns
    // the kept ones, for a listener to replay.
    std::vector<EpochMetrics> keepEpochsUpTo(int epoch) override;

    void writeJson(const std::string& name, const nlohmann::json& j) const;
    void appendMetrics(const nlohmann::json& epochLine);  // metrics.jsonl, rewritten atomically
    void appendEpoch(const EpochMetrics& m) override;  // one metrics.jsonl line per epoch
    void writeCheckpoint(const std::string& name, torch::nn::Module& module) const override;

private:
    RunFolder() = default;
    void lock(const std::string& what);

    std::string dir_;
    std::string metrics_;        // the lines so far, so each rewrite is complete
    std::shared_ptr<int> lock_;  // the claim marker, flock()ed while this run owns the folder
};

// A run that stopped without a result (the process was killed or crashed): what the GUI offers
// to resume after a restart.
struct UnfinishedRun {
    std::string dir;
    int checkpointEpoch = -1;  // -1: no checkpoint yet, a resume starts over in the folder
    int epochs = 0;            // the config's image-stage epochs
};

// The run folders in `root` (and `root` itself) that a run claimed, that hold a config.json
// but no result.json, and that no live process holds; sorted by folder.
std::vector<UnfinishedRun> unfinishedRuns(const std::string& root);

}  // namespace fewdata
