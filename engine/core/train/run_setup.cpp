#include "core/train/run_setup.h"

#include <cmath>

namespace fewdata {

ResolvedSetup resolveSetup(const TrainConfig& c, const DatasetIndex& index) {
    ResolvedSetup s;
    const bool arrayDataset = index.name == "fashion-mnist";
    s.inputSize = c.image_size > 0 ? c.image_size : (arrayDataset ? 2 * index.native.height : 224);
    const bool small = s.inputSize <= 64;
    s.augment = c.augment != "auto" ? c.augment : (small ? "pad-crop" : "resize-crop");
    s.smallStem = c.stem == "auto" ? s.inputSize < 56 : c.stem == "small";
    // resize-crop keeps the 256:224 ratio of the VIPriors toolkit between cache and crop.
    const bool cropsFromLarger = s.augment == "resize-crop" || s.augment == "random-resized-crop";
    const int cacheSize =
        cropsFromLarger ? static_cast<int>(std::lround(s.inputSize * 256.0 / 224.0)) : s.inputSize;
    s.cache = {c.channels > 0 ? c.channels : index.native.channels, cacheSize, cacheSize};
    return s;
}

ProtocolOptions protocolOptionsOf(const TrainConfig& c) {
    return {c.per_class, c.take_all_available, c.val_fraction, c.seed, c.max_test_samples};
}

AugmentOptions trainAugmentOptions(const TrainConfig& c, const ResolvedSetup& setup) {
    return {setup.augment,    c.pad,          c.flip,
            setup.inputSize,  c.augment_policy, c.randaugment_ops,
            c.randaugment_magnitude, c.random_erasing};
}

Normalizer runNormalizer(const ResolvedSetup& setup, const torch::Tensor& trainImages) {
    const bool datasetStats = setup.inputSize <= 64 || setup.cache.channels != 3;
    return datasetStats ? Normalizer::fromImages(trainImages) : Normalizer::imagenet();
}

}  // namespace fewdata
