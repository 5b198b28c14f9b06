#include "core/train/batch_stream.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <deque>
#include <map>

#include "core/base/seeded_random.h"

namespace fewdata {
namespace {

// Items 0..size-1 in random order, a fresh permutation whenever the last one is used up, so
// over an epoch every item comes up about equally often. A batch never holds one twice while
// there are enough: an item the refill brings back too early waits for the next batch. A batch
// that asks for more than `size` holds every item as often as it fits (each round a fresh
// order of all of them), then the rest distinct from the cycle.
class Cycle {
public:
    explicit Cycle(int64_t size) : size_(size) {}
    std::vector<int64_t> take(int64_t count, at::Generator& generator) {
        std::vector<int64_t> picked;
        for (; count > size_; count -= size_) {
            const auto perm = torch::randperm(size_, generator, torch::kInt64);
            picked.insert(picked.end(), perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + size_);
        }
        const auto rest = static_cast<std::ptrdiff_t>(picked.size());
        std::vector<int64_t> early;
        while (static_cast<int64_t>(picked.size()) - rest < count) {
            if (queue_.empty()) {
                const auto perm = torch::randperm(size_, generator, torch::kInt64);
                queue_.assign(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + size_);
            }
            const int64_t item = queue_.front();
            queue_.pop_front();
            const bool twice = std::find(picked.begin() + rest, picked.end(), item) != picked.end();
            (twice ? early : picked).push_back(item);
        }
        queue_.insert(queue_.begin(), early.begin(), early.end());
        return picked;
    }

private:
    int64_t size_;
    std::deque<int64_t> queue_;
};

}  // namespace

BatchStream::BatchStream(int64_t samples, int64_t batchSize, int runSeed)
    : samples_(samples),
      batchSize_(std::max<int64_t>(1, std::min(batchSize, samples))),
      generator_(at::make_generator<at::CPUGeneratorImpl>(
          SplitMix64(static_cast<uint64_t>(runSeed) ^ 0xB47C5EEDull).next())) {}

BatchStream::BatchStream(const torch::Tensor& labels, int64_t batchSize, int64_t classesPerBatch,
                         int64_t imagesPerClass, int runSeed)
    : BatchStream(labels.size(0), batchSize, runSeed) {
    const auto y = labels.to(torch::kCPU).to(torch::kInt64).contiguous();
    std::map<int64_t, std::vector<int64_t>> groups;
    for (int64_t i = 0; i < y.numel(); ++i) groups[y.data_ptr<int64_t>()[i]].push_back(i);
    for (auto& [label, rows] : groups) byClass_.push_back(std::move(rows));
    TORCH_CHECK(classesPerBatch >= 1 && classesPerBatch <= int64_t(byClass_.size()),
                "a balanced batch of ", classesPerBatch, " classes from ", byClass_.size());
    TORCH_CHECK(imagesPerClass >= 1, "a balanced batch needs at least 1 image per class");
    classesPerBatch_ = classesPerBatch;
    imagesPerClass_ = imagesPerClass;
}

BatchStream BatchStream::forRun(const TrainConfig& c, const torch::Tensor& trainLabels) {
    if (!c.usesBalancedBatches()) return BatchStream(trainLabels.size(0), c.batch_size, c.seed);
    const auto sorted = std::get<0>(trainLabels.to(torch::kCPU).sort());
    const int64_t classes = std::get<0>(torch::unique_consecutive(sorted)).numel();
    if (c.batch_classes > classes)
        throw InputError("config key 'batch_classes' = " + std::to_string(c.batch_classes) +
                         " but the training split has " + std::to_string(classes) + " classes");
    if (c.batch_classes > 0)
        return BatchStream(trainLabels, c.batch_size, c.batch_classes, c.batch_images_per_class,
                           c.seed);
    // Auto: batch_size / M classes (validation made that a whole number, at least 2). With
    // fewer classes in the split, every batch holds all of them with more images each, so
    // the batch stays about batch_size.
    const int64_t p = std::clamp<int64_t>(c.batch_size / c.batch_images_per_class,
                                          std::min<int64_t>(2, classes), classes);
    const int64_t m = std::max<int64_t>(1, c.batch_size / p);
    return BatchStream(trainLabels, c.batch_size, p, m, c.seed);
}

int64_t BatchStream::batchesPerEpoch() const {
    return samples_ / batchSize_ + ((samples_ % batchSize_) >= 2 ? 1 : 0);
}

torch::Tensor BatchStream::nextEpochOrder() {
    if (classesPerBatch_ > 0) return balancedEpochOrder();
    return torch::randperm(samples_, generator_, torch::kInt64);
}

// Each batch takes the next P classes of a shuffled cycle over the classes and, for each, the
// next M images of a shuffled cycle over that class. The cycles start afresh every epoch, so
// an epoch's order depends on the generator alone (which is what a checkpoint keeps).
torch::Tensor BatchStream::balancedEpochOrder() {
    Cycle classes(static_cast<int64_t>(byClass_.size()));
    std::vector<Cycle> members;
    for (const auto& rows : byClass_) members.emplace_back(static_cast<int64_t>(rows.size()));
    const int64_t batches = batchesPerEpoch();
    std::vector<int64_t> order;
    order.reserve(static_cast<size_t>(batches * classesPerBatch_ * imagesPerClass_));
    for (int64_t b = 0; b < batches; ++b)
        for (const int64_t k : classes.take(classesPerBatch_, generator_))
            for (const int64_t i : members[size_t(k)].take(imagesPerClass_, generator_))
                order.push_back(byClass_[size_t(k)][size_t(i)]);
    return torch::tensor(order, torch::kInt64);
}

torch::Tensor BatchStream::batchIndices(const torch::Tensor& order, int64_t b) const {
    if (classesPerBatch_ > 0) {
        const int64_t rows = classesPerBatch_ * imagesPerClass_;
        return order.narrow(0, b * rows, rows);
    }
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
