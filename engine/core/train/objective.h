// What the trainer optimises: the loss of one batch and how a split is evaluated. Classifying
// objectives (cross-entropy with optional MixUp/CutMix, cosine, cosine + CE) predict with the
// network's outputs; embedding objectives (supervised contrastive, Siamese on images) train
// the encoder only and are evaluated by the nearest class mean of the training features until
// a classifier is fitted on the frozen encoder.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "core/train/augment.h"
#include "core/config/config.h"
#include "core/base/errors.h"
#include "core/train/mixing.h"
#include "core/model/resnet.h"

namespace fewdata {

// One training batch made ready for the network, ahead of the step that takes it (the
// trainer's loader forms the next batch while the current one trains).
struct TrainBatch {
    torch::Tensor inputs;  // normalised (and mixed) views, as the network is given them
    torch::Tensor labels;  // int64 [N], the batch's own labels
    // The first view as the network sees it, with the mix's labels and lambda where the
    // objective mixes (unmixed otherwise): what the Augmentation page shows.
    MixedBatch mixed;
    // Siamese objectives: the rows of the batch the loss compares (first, second, same) or
    // (anchor, positive, negative).
    std::vector<torch::Tensor> picks;
    // The batch generator's state just after this batch was formed (set by the trainer).
    torch::Tensor streamState;
};

struct StepOutput {
    torch::Tensor loss;   // with its graph, for backward()
    double correct = -1;  // (fractional) count of right predictions; -1: not a classifier
};

struct EvalResult {
    double loss = 0;
    double accuracy = 0;        // percent
    torch::Tensor predictions;  // int64 [N] on the CPU, from objectives that classify
    // The penultimate features and logits the evaluation computed (float, CPU), so the
    // feature cache need not run the split through the network again.
    torch::Tensor features, logits;
};

struct EvalData {
    const AugmentOptions* augment = nullptr;
    const Normalizer* normalizer = nullptr;
    int batchSize = 500;
    torch::Device device = torch::kCPU;
    const std::atomic<bool>* cancel = nullptr;  // polled every batch; may be null
    bool channelsLast = false;                  // the network's layout (fast_path.h)
    bool bf16 = false;                          // autocast the forward passes
    bool ttaFlip = false;  // average each image's features with its mirror's (tta_flip)
};

// What a run of `config` evaluates with on `device`: its batch size, layout and precision.
EvalData evalDataFor(const TrainConfig& config, const AugmentOptions& augment,
                     const Normalizer& normalizer, const torch::Device& device,
                     const std::atomic<bool>* cancel);

// The evaluation view of images[start, start + len) on the device, normalised, in the network's
// layout.
torch::Tensor evalInput(const torch::Tensor& images, int64_t start, int64_t len,
                        const EvalData& data);

// The penultimate features of images[start, start + len) in eval mode (the caller's
// autocast and no-grad scope), averaged with those of the mirrored images under ttaFlip: the
// linear head's logits of the average are the average of the two views' logits.
torch::Tensor evalFeatures(ResNet& model, const torch::Tensor& images, int64_t start, int64_t len,
                           const EvalData& data);

class Objective {
public:
    virtual ~Objective() = default;
    // Heads trained beside the network: optimised, moved, switched and snapshotted with it.
    virtual std::vector<torch::nn::Module*> heads() { return {}; }
    // The views and mixing of one batch of uint8 images (already on the device); every
    // random draw comes from `generator` (the run's BatchStream), in the order the batches are
    // trained. Runs on the loader's thread: it must not touch the network.
    virtual TrainBatch prepare(const torch::Tensor& uint8Batch, const torch::Tensor& labels,
                               at::Generator& generator) const = 0;
    // The loss of a prepared batch.
    virtual StepOutput step(ResNet& model, const TrainBatch& batch) = 0;
    // Called with the training split before each evaluation, in eval mode.
    virtual void prepareEvaluation(ResNet&, const torch::Tensor& /*trainImages*/,
                                   const torch::Tensor& /*trainLabels*/, const EvalData&) {}
    virtual EvalResult evaluate(ResNet& model, const torch::Tensor& images,
                                const torch::Tensor& labels, const EvalData& data) = 0;
    // Whether the model's outputs are class scores (else a classifier comes after training).
    virtual bool classifies() const = 0;
};

// A batch of views that nothing mixed (lambda 1), as MixedBatch carries them.
MixedBatch unmixed(const torch::Tensor& images, const torch::Tensor& labels);

// Penultimate features and logits of a split in eval mode, in batches.
struct Features {
    torch::Tensor features;  // float [N, D], on the CPU
    torch::Tensor logits;    // float [N, outputs], on the CPU
};
Features extractFeatures(ResNet& model, const torch::Tensor& images, const EvalData& data);

}  // namespace fewdata
