// A dataset opened and a protocol drawn for one config: what the dataset browser computes in
// the background and the augmentation preview shows batches of.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/data/protocol.h"
#include "core/run/train_job.h"

namespace fewdata {

struct PreparedData {
    TrainConfig config;  // the dataset and protocol keys it was drawn with
    std::shared_ptr<const DatasetSource> source;
    ResolvedSetup setup;
    ProtocolSplits splits;  // decoded at setup.cache, as a run would
};

}  // namespace fewdata
