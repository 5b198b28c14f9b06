// What the trainer optimises: the loss of one batch and how a split is evaluated. Classifying
// objectives (cross-entropy with optional MixUp/CutMix, cosine, cosine + CE) predict with the
// network's outputs; embedding objectives (supervised contrastive, Siamese on images) train
// the encoder only and are evaluated by the nearest class mean of the training features until
// a classifier is fitted on the frozen encoder.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "core/augment.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/mixing.h"
#include "core/resnet.h"

namespace fewdata {

struct StepOutput {
    torch::Tensor loss;    // with its graph, for backward()
    double correct = -1;   // (fractional) count of right predictions; -1: not a classifier
    torch::Tensor inputs;  // what the network was given (no copy), for the preview's test
};

struct EvalResult {
    double loss = 0;
    double accuracy = 0;        // percent
    torch::Tensor predictions;  // int64 [N] on the CPU, from objectives that classify
};

struct EvalData {
    const AugmentOptions* augment = nullptr;
    const Normalizer* normalizer = nullptr;
    int batchSize = 500;
    torch::Device device = torch::kCPU;
    const std::atomic<bool>* cancel = nullptr;  // polled every batch; may be null
};

class Objective {
public:
    virtual ~Objective() = default;
    // Heads trained beside the network: optimised, moved, switched and snapshotted with it.
    virtual std::vector<torch::nn::Module*> heads() { return {}; }
    // One training batch of uint8 images (already on the device); every random draw of the
    // batch's views and mixing comes from `generator` (the run's BatchStream).
    virtual StepOutput step(ResNet& model, const torch::Tensor& uint8Batch,
                            const torch::Tensor& labels, at::Generator& generator) = 0;
    // Called with the training split before each evaluation, in eval mode.
    virtual void prepareEvaluation(ResNet&, const torch::Tensor& /*trainImages*/,
                                   const torch::Tensor& /*trainLabels*/, const EvalData&) {}
    virtual EvalResult evaluate(ResNet& model, const torch::Tensor& images,
                                const torch::Tensor& labels, const EvalData& data) = 0;
    // Whether the model's outputs are class scores (else a classifier comes after training).
    virtual bool classifies() const = 0;
};

// baseline, mixup, cutmix, cosine, cosine+ce, supcon, siamese-* with siamese_input images.
std::unique_ptr<Objective> makeObjective(const TrainConfig& config, const AugmentOptions& augment,
                                         const Normalizer& normalizer, int64_t featureDim,
                                         int64_t numClasses);

// Penultimate features and logits of a split in eval mode, in batches.
struct Features {
    torch::Tensor features;  // float [N, D], on the CPU
    torch::Tensor logits;    // float [N, outputs], on the CPU
};
Features extractFeatures(ResNet& model, const torch::Tensor& images, const EvalData& data);

}  // namespace fewdata
