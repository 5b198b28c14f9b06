#include "core/batch_preview.h"

#include "core/batch_stream.h"
#include "core/pair_sampling.h"

namespace fewdata {

AugmentOptions trainAugmentOptions(const TrainConfig& c, const ResolvedSetup& setup) {
    return {setup.augment, c.pad, c.flip, setup.inputSize};
}

Normalizer runNormalizer(const ResolvedSetup& setup, const torch::Tensor& trainImages) {
    const bool datasetStats = setup.inputSize <= 64 || setup.cache.channels != 3;
    return datasetStats ? Normalizer::fromImages(trainImages) : Normalizer::imagenet();
}

MixOptions mixOptionsFor(const TrainConfig& c) {
    if (c.method == "mixup" || c.method == "cutmix")
        return {c.method, c.mix_alpha, c.mix_probability};
    return {};
}

BatchPreview previewTrainingBatch(const TrainConfig& c, const ResolvedSetup& setup,
                                  const Split& train, int64_t batchIndex) {
    const int64_t n = train.images.size(0);
    TORCH_CHECK(n >= 2, "the training split needs at least 2 images");
    BatchStream stream(n, c.batch_size, c.seed);
    TORCH_CHECK(batchIndex >= 0 && batchIndex < stream.batchesPerEpoch(), "batch ", batchIndex,
                " of an epoch of ", stream.batchesPerEpoch());
    BatchPreview p;
    p.normalizer = runNormalizer(setup, train.images);
    const auto order = stream.nextEpochOrder();
    const AugmentOptions augment = trainAugmentOptions(c, setup);
    const MixOptions mix = mixOptionsFor(c);
    // The draws of the batches before this one, replayed so the generator is where the
    // trainer's would be.
    for (int64_t b = 0; b <= batchIndex; ++b) {
        p.samples = stream.batchIndices(order, b);
        const auto images = train.images.index_select(0, p.samples);
        const auto labels = train.labels.index_select(0, p.samples);
        p.batch = formClassifyBatch(images, labels, augment, p.normalizer, mix, stream.generator());
        // The other draws of the method's step (objective_embed.cpp), in its order.
        if (c.method == "supcon") augmentTrainBatch(images, augment, stream.generator());
        if (c.method == "siamese-contrastive" && c.siamese_input == "images")
            balancedPairs(labels, stream.generator());
        if (c.method == "siamese-triplet" && c.siamese_input == "images")
            randomTriplets(labels, stream.generator());
    }
    return p;
}

torch::Tensor toPixels(const torch::Tensor& x, const Normalizer& nz) {
    const auto c = x.size(1);
    auto mean = nz.mean.to(x.device()).view({1, c, 1, 1});
    auto std = nz.std.to(x.device()).view({1, c, 1, 1});
    return ((x * std + mean) * 255.0).round().clamp(0, 255).to(torch::kUInt8);
}

}  // namespace fewdata
