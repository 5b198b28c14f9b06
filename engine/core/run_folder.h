// A run's folder on disk: config, manifest, per-epoch metrics, result and the best checkpoint.
// Every file is replaced atomically; an existing run folder is never written into.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/train_events.h"

namespace torch::nn {
class Module;
}

namespace fewdata {

class RunFolder {
public:
    // Created exclusively when a run claims its folder.
    static constexpr const char* kClaimMarker = ".fewdata-run";

    // Throws InputError if `dir` exists and is not empty (a run is never overwritten).
    static void checkFree(const std::string& dir);
    // Creates the folder (checking it is free again, as another process may have raced us).
    explicit RunFolder(const std::string& dir);

    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    void writeJson(const std::string& name, const nlohmann::json& j) const;
    void appendMetrics(const nlohmann::json& epochLine);  // metrics.jsonl, rewritten atomically
    void appendEpoch(const EpochMetrics& m);              // one metrics.jsonl line per epoch
    void writeCheckpoint(const std::string& name, torch::nn::Module& module) const;

private:
    std::string dir_;
    std::string metrics_;  // the lines so far, so each rewrite is complete
};

}  // namespace fewdata
