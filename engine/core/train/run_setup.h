// What a config resolves to once its dataset is known: the input geometry, the augmentation,
// the stem, the normalisation and the mixing. TrainJob and the batch preview both use these,
// so the preview shows the batches a run trains on.
#pragma once

#include <string>

#include "core/config/config.h"
#include "core/data/dataset_source.h"
#include "core/data/protocol.h"
#include "core/train/augment.h"

namespace fewdata {

// The geometry, augmentation and stem a config resolves to once the dataset is known.
struct ResolvedSetup {
    ImageGeometry cache;  // what is decoded and kept in memory
    int inputSize = 28;   // what the network sees
    std::string augment;  // pad-crop | resize-crop | none
    bool smallStem = true;
};
ResolvedSetup resolveSetup(const TrainConfig& config, const DatasetIndex& index);

// The protocol keys of a config as the data layer takes them.
ProtocolOptions protocolOptionsOf(const TrainConfig& config);

// The run's recipe pieces, shared by TrainJob and the preview.
AugmentOptions trainAugmentOptions(const TrainConfig& config, const ResolvedSetup& setup);
// Dataset statistics for small or grey images, ImageNet's for large colour ones.
Normalizer runNormalizer(const ResolvedSetup& setup, const torch::Tensor& trainImages);

}  // namespace fewdata
