// The training loop on images: SGD with a step or cosine schedule, validation every epoch, the
// paper's model selection (best validation epoch), and test figures for best and last. What a
// batch's loss is, and how a split is scored, comes from the Objective.
#pragma once

#include <atomic>

#include "core/train/augment.h"
#include "core/config/config.h"
#include "core/base/errors.h"
#include "core/train/objective.h"
#include "core/data/protocol.h"
#include "core/model/resnet.h"
#include "core/train/train_events.h"

namespace fewdata {

class RunStore;
class DataParallel;

struct TrainerInputs {
    TrainConfig config;
    AugmentOptions augment;
    Normalizer normalizer;
    torch::Device device = torch::kCPU;
    std::string stage;  // labels the epochs of a run with several stages
    // Continue from the folder's training_state.pt (if there is one; else start over in it).
    bool resume = false;
    // One rank of a data-parallel run (train/data_parallel.h), or null for one process. Every
    // rank forms the global batch and trains on its rows; only rank 0 writes to the folder
    // (the others read it to resume) and reports to a listener.
    DataParallel* parallel = nullptr;
};

class Trainer {
public:
    Trainer(ResNet model, TrainerInputs inputs, Objective& objective);
    // Runs every epoch; writes metrics, the best weights and, every config.checkpoint_every
    // epochs, the training state into `folder` when given.
    // Fills `result` as it goes, so a run that throws still reports what it reached. The model
    // ends with the best epoch's weights.
    void run(const ProtocolSplits& splits, TrainListener* listener, const std::atomic<bool>* cancel,
             RunStore* folder, RunResult& result);
    // The test split's evaluation with the weights the model ends with (after run()).
    const EvalResult& finalTestEvaluation() const { return finalTest_; }

private:
    ResNet model_;
    TrainerInputs in_;
    Objective& objective_;
    EvalResult finalTest_;
};

}  // namespace fewdata
