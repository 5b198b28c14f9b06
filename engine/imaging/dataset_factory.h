// Opens whatever dataset a config names: the embedded Fashion-MNIST or an image folder.
#pragma once

#include <memory>

#include "core/config/config.h"
#include "core/data/dataset_source.h"

namespace fewdata {

std::unique_ptr<DatasetSource> openDataset(const TrainConfig& config);

}  // namespace fewdata
