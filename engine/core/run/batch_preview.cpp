#include "core/run/batch_preview.h"

#include "core/methods/registry.h"
#include "core/train/batch_stream.h"
#include "core/train/objective.h"

namespace fewdata {

BatchPreview previewTrainingBatch(const TrainConfig& c, const ResolvedSetup& setup,
                                  const Split& train, int64_t batchIndex) {
    const int64_t n = train.images.size(0);
    TORCH_CHECK(n >= 2, "the training split needs at least 2 images");
    BatchStream stream = BatchStream::forRun(c, train.labels);
    TORCH_CHECK(batchIndex >= 0 && batchIndex < stream.batchesPerEpoch(), "batch ", batchIndex,
                " of an epoch of ", stream.batchesPerEpoch());
    BatchPreview p;
    p.normalizer = runNormalizer(setup, train.images);
    const auto order = stream.nextEpochOrder();
    const AugmentOptions augment = trainAugmentOptions(c, setup);
    // The trainer's own objective forms the batches (without its heads), so the preview cannot
    // drift from what a run draws.
    const auto objective =
        imageStageOf(c).objective({c, augment, p.normalizer, 0, 0, /*withHeads=*/false});
    // The batches before this one are formed too, so the generator is where the trainer's is.
    for (int64_t b = 0; b <= batchIndex; ++b) {
        p.samples = stream.batchIndices(order, b);
        const auto images = train.images.index_select(0, p.samples);
        const auto labels = train.labels.index_select(0, p.samples);
        p.batch = objective->prepare(images, labels, stream.generator()).mixed;
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
