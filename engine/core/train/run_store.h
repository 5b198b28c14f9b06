// Where a training loop keeps what it produces: the narrow side of a run folder that the
// trainer needs (run/run_folder.h implements it), so the trainer does not know the folder.
#pragma once

#include <string>
#include <vector>

#include "core/train/train_events.h"

namespace torch::nn {
class Module;
}

namespace fewdata {

class RunStore {
public:
    virtual ~RunStore() = default;
    virtual const std::string& dir() const = 0;
    virtual std::string path(const std::string& name) const = 0;
    // Drops the metrics of epochs after `epoch` (a resume repeats them); returns the kept ones.
    virtual std::vector<EpochMetrics> keepEpochsUpTo(int epoch) = 0;
    virtual void appendEpoch(const EpochMetrics& m) = 0;
    virtual void writeCheckpoint(const std::string& name, torch::nn::Module& module) const = 0;
};

}  // namespace fewdata
