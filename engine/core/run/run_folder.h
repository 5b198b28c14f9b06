// A run's folder on disk: config, manifest, per-epoch metrics, result and the best checkpoint.
// Every file is replaced atomically; an existing run folder is never written into, except by
// the run that claimed it and by a resume of that run once it has stopped.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/errors.h"
#include "core/train/run_store.h"

namespace fewdata {

struct TrainConfig;

// The folder is held by another live run, was claimed by one meanwhile, or was set aside by
// another process while this one claimed it: a comparison comes back to the run later.
class FolderBusy : public InputError {
public:
    using InputError::InputError;
};

class RunFolder : public RunStore {
public:
    // Created exclusively when a run claims its folder.
    static constexpr const char* kClaimMarker = ".fewdata-run";

    // Throws InputError if `dir` exists and is not empty (a run is never overwritten;
    // FolderBusy when a run has claimed it), is a dangling link, or its name is too long.
    static void checkFree(const std::string& dir);
    // Creates the folder (checking it is free again, as another process may have raced us).
    // The run holds a lock on it until this object is gone, so nothing resumes a live run.
    explicit RunFolder(const std::string& dir);
    // An unfinished run's folder, to continue it: its metrics so far are kept (see
    // keepEpochsUpTo). Throws InputError naming the folder if it is not a run's or has
    // finished; FolderBusy if another process is running it.
    static RunFolder reopen(const std::string& dir);
    // Whether `dir` holds nothing but a claim marker: a run that is decoding its dataset (then
    // locked) or was killed while it did (a new run may take it over).
    static bool neverStarted(const std::string& dir);
    // Whether a live run (in any process) holds `dir`.
    static bool isLocked(const std::string& dir);
    // Holds a stopped run's folder (its marker's lock) while the caller moves or cleans it, so
    // no resume starts meanwhile; null when the folder has no marker. FolderBusy if a live run
    // holds it.
    static std::shared_ptr<void> holdStopped(const std::string& dir);

    // Both check first that `dir` is still the folder this run claimed (device and inode):
    // a folder moved or replaced meanwhile ends the run with an error saying so, rather than
    // letting it write into whatever now has the name (another run's folder).
    const std::string& dir() const override;
    std::string path(const std::string& name) const override;
    // Drops the metrics lines of epochs after `epoch` (the ones a resume repeats) and returns
    // the kept ones, for a listener to replay.
    std::vector<EpochMetrics> keepEpochsUpTo(int epoch) override;

    void writeJson(const std::string& name, const nlohmann::json& j) const;
    // config.json; its features_from relative to this folder (see storedFeaturesFrom).
    void writeConfig(const TrainConfig& config) const;
    void appendMetrics(const nlohmann::json& epochLine);  // metrics.jsonl, rewritten atomically
    void appendEpoch(const EpochMetrics& m) override;  // one metrics.jsonl line per epoch
    void writeCheckpoint(const std::string& name, torch::nn::Module& module) const override;

private:
    RunFolder() = default;
    // Opens `dir_`, records its identity, and locks its marker (created when `create`).
    void claim(const std::string& what, bool create);
    void checkIdentity() const;

    std::string dir_;
    dev_t dev_ = 0;              // the claimed folder's identity
    ino_t ino_ = 0;
    std::string metrics_;        // the lines so far, so each rewrite is complete
    std::shared_ptr<int> lock_;  // the claim marker, flock()ed while this run owns the folder
};

// `path` absolute, with links and ".." resolved as the kernel resolves them (as far as it
// exists), without a trailing separator: what two names of one folder share.
std::filesystem::path physicalPath(const std::string& path);

// features_from as a run's config.json keeps it: relative to the run folder, so a study moved
// as a whole, or continued from another working folder, still finds its baseline runs.
std::string storedFeaturesFrom(const std::string& runDir, const std::string& featuresFrom);
// Back to a path usable from the working folder: a relative value is taken from `runDir`; one
// that names no folder there but does from the working folder is an older version's (kept).
std::string resolvedFeaturesFrom(const std::string& runDir, const std::string& stored);

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
