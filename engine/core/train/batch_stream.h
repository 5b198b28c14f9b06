// The random side of training batches (their order, crops, flips and mixing) draws from a
// generator of its own, seeded by the run's seed. A batch then depends on the seed and the data
// alone, not on how many numbers the network's initialisation took, and the GUI's preview
// forms the very batches a run will see on another thread without disturbing a running job.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/config/config.h"
#include "core/train/augment.h"
#include "core/train/mixing.h"

namespace fewdata {

class BatchStream {
public:
    // Plain batches: each epoch a random permutation of the samples, cut into batches.
    // `runSeed` is the config's seed; the stream's own seed is derived from it, so the batch
    // order is not the initialisation's random stream replayed.
    BatchStream(int64_t samples, int64_t batchSize, int runSeed);
    // Class-balanced batches of `classesPerBatch` distinct classes x `imagesPerClass` images,
    // as many batches per epoch as plain ones of `batchSize` (see nextEpochOrder).
    BatchStream(const torch::Tensor& labels, int64_t batchSize, int64_t classesPerBatch,
                int64_t imagesPerClass, int runSeed);
    // The stream a run of `config` trains on: balanced where config.usesBalancedBatches(),
    // with batch_classes = 0 resolved against the classes of `trainLabels`. InputError when
    // batch_classes asks for more classes than the training split has.
    static BatchStream forRun(const TrainConfig& config, const torch::Tensor& trainLabels);

    int64_t samples() const { return samples_; }
    int64_t batchSize() const { return batchSize_; }
    // Balanced streams: P and M (0 for plain ones).
    int64_t classesPerBatch() const { return classesPerBatch_; }
    int64_t imagesPerClass() const { return imagesPerClass_; }
    // A last batch of one sample breaks batch normalisation, so it is dropped. Balanced streams
    // have as many batches, so an epoch is as long in steps whatever the method.
    int64_t batchesPerEpoch() const;
    // The sample order of the next epoch (int64, CPU). Balanced: every batch's rows, batch
    // after batch, samples repeating where the draw repeats them.
    torch::Tensor nextEpochOrder();
    // Positions in `order` of batch b: a narrow of it.
    torch::Tensor batchIndices(const torch::Tensor& order, int64_t b) const;
    at::Generator& generator() { return generator_; }

private:
    torch::Tensor balancedEpochOrder();

    int64_t samples_;
    int64_t batchSize_;
    at::Generator generator_;
    int64_t classesPerBatch_ = 0, imagesPerClass_ = 0;
    std::vector<std::vector<int64_t>> byClass_;  // sample positions of each class present
};

// What a classifying objective feeds the network for one batch: the training view of each
// image, normalised, then mixed as the method says.
MixedBatch formClassifyBatch(const torch::Tensor& uint8Batch, const torch::Tensor& labels,
                             const AugmentOptions& augment, const Normalizer& normalizer,
                             const MixOptions& mix, at::Generator& generator);

}  // namespace fewdata
