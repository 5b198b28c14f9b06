// The supervised training loop: SGD with a step or cosine schedule, validation every epoch,
// the paper's model selection (best validation epoch), and test figures for best and last.
#pragma once

#include <atomic>

#include "core/augment.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/mixing.h"
#include "core/protocol.h"
#include "core/resnet.h"
#include "core/train_events.h"

namespace fewdata {

class RunFolder;

// The learning rate at a fractional epoch (epoch index + batch fraction), per the schedule.
double scheduledLearningRate(const TrainConfig& config, double epochProgress);

struct EvalResult {
    double loss = 0;
    double accuracy = 0;  // percent
};

// Accuracy and mean loss over a split; polls `cancel` (may be null) every batch.
EvalResult evaluate(ResNet& model, const torch::Tensor& images, const torch::Tensor& labels,
                    const AugmentOptions& augment, const Normalizer& norm, int batchSize,
                    const torch::Device& device, const std::atomic<bool>* cancel);

struct TrainerInputs {
    TrainConfig config;
    AugmentOptions augment;
    Normalizer normalizer;
    MixOptions mix;  // kind "none" for the baseline
    torch::Device device = torch::kCPU;
};

class Trainer {
public:
    Trainer(ResNet model, TrainerInputs inputs);
    // Runs every epoch; writes metrics and the best checkpoint into `folder` when given.
    // Fills `result` as it goes, so a run that throws still reports what it reached.
    void run(const ProtocolSplits& splits, TrainListener* listener, const std::atomic<bool>* cancel,
             RunFolder* folder, RunResult& result);

private:
    ResNet model_;
    TrainerInputs in_;
};

}  // namespace fewdata
