#include "core/train/batch_stream.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

#include "core/base/seeded_random.h"

namespace fewdata {

BatchStream::BatchStream(int64_t samples, int64_t batchSize, int runSeed)
    : samples_(samples),
      batchSize_(std::max<int64_t>(1, std::min(batchSize, samples))),
      generator_(at::make_generator<at::CPUGeneratorImpl>(
          SplitMix64(static_cast<uint64_t>(runSeed) ^ 0xB47C5EEDull).next())) {}

int64_t BatchStream::batchesPerEpoch() const {
    return samples_ / batchSize_ + ((samples_ % batchSize_) >= 2 ? 1 : 0);
}

torch::Tensor BatchStream::nextEpochOrder() {
    return torch::randperm(samples_, generator_, torch::kInt64);
}

torch::Tensor BatchStream::batchIndices(const torch::Tensor& order, int64_t b) const {
    const int64_t start = b * batchSize_;
    return order.narrow(0, start, std::min(batchSize_, samples_ - start));
}

MixedBatch formClassifyBatch(const torch::Tensor& batch, const torch::Tensor& labels,
                             const AugmentOptions& augment, const Normalizer& normalizer,
                             const MixOptions& mix, at::Generator& generator) {
    return mixBatch(normalizer.apply(augmentTrainBatch(batch, augment, generator)), labels, mix,
                    generator);
}

}  // namespace fewdata
