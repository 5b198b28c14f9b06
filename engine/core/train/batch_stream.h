// The random side of training batches (their order, crops, flips and mixing) draws from a
// generator of its own, seeded by the run's seed. A batch then depends on the seed and the data
// alone, not on how many numbers the network's initialisation took, and the GUI's preview
// forms the very batches a run will see on another thread without disturbing a running job.
#pragma once

#include <torch/torch.h>

#include <cstdint>

#include "core/train/augment.h"
#include "core/train/mixing.h"

namespace fewdata {

class BatchStream {
public:
    // `runSeed` is the config's seed; the stream's own seed is derived from it, so the batch
    // order is not the initialisation's random stream replayed.
    BatchStream(int64_t samples, int64_t batchSize, int runSeed);

    int64_t samples() const { return samples_; }
    int64_t batchSize() const { return batchSize_; }
    // A last batch of one sample breaks batch normalisation, so it is dropped.
    int64_t batchesPerEpoch() const;
    // The sample order of the next epoch (int64, CPU).
    torch::Tensor nextEpochOrder();
    // Positions in `order` of batch b: a narrow of it.
    torch::Tensor batchIndices(const torch::Tensor& order, int64_t b) const;
    at::Generator& generator() { return generator_; }

private:
    int64_t samples_;
    int64_t batchSize_;
    at::Generator generator_;
};

// What a classifying objective feeds the network for one batch: the training view of each
// image, normalised, then mixed as the method says.
MixedBatch formClassifyBatch(const torch::Tensor& uint8Batch, const torch::Tensor& labels,
                             const AugmentOptions& augment, const Normalizer& normalizer,
                             const MixOptions& mix, at::Generator& generator);

}  // namespace fewdata
