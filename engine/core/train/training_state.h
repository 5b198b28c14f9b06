// What a run needs to continue after a crash: the weights of every module, the optimiser's
// momentum, the best epoch's weights so far, the random generators and the progress figures.
// Written atomically at the end of every `checkpoint_every`-th epoch of the image stage, and
// between two batches when a run is stopped, so a resumed run repeats exactly what the lost
// batches would have done.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/model/weight_snapshot.h"

namespace fewdata {

inline constexpr const char* kTrainingStateFile = "training_state.pt";
// A small copy of the progress figures beside it, so listing unfinished runs needs no weights.
inline constexpr const char* kTrainingProgressFile = "training_state.json";

struct TrainingProgress {
    int epoch = 0;  // epochs completed
    int64_t steps = 0;
    int bestEpoch = 0;
    double bestValAccuracy = -1, bestValLoss = 0;
    double valAccuracyLast = 0;
    double seconds = 0;  // training time so far, over every attempt
    bool bestIsEma = false;  // the best weights so far are the weight average's (ema_decay)
    // A checkpoint inside epoch `epoch` + 1 (a run stopped between two batches): the epoch's
    // sample order, the batches of it already trained, their loss and accuracy sums, and the
    // batch generator's state just after the last of them was formed. Undefined `epochOrder`:
    // the checkpoint is at the end of epoch `epoch`.
    torch::Tensor epochOrder;
    int64_t batchInEpoch = 0;
    double partialLoss = 0, partialCorrect = 0;
    int64_t partialSeen = 0;
    torch::Tensor streamState;
};

struct TrainingStateParts {
    std::vector<torch::nn::Module*> modules;
    torch::optim::Optimizer* optimizer = nullptr;
    WeightSnapshot* best = nullptr;
    at::Generator batchGenerator;        // the training batches' own stream
    torch::Device device = torch::kCPU;  // where the modules live
    WeightSnapshot* ema = nullptr;       // the weight average, where the run keeps one
};

// A copy of a generator's state, taken under its lock (another thread may draw from it).
torch::Tensor generatorSnapshot(at::Generator generator);

// Writes kTrainingStateFile, then kTrainingProgressFile, into `dir`. Inside an epoch (see
// TrainingProgress::epochOrder) the batch generator's state is progress.streamState.
void saveTrainingState(const std::string& dir, const TrainingProgress& progress,
                       const TrainingStateParts& parts);

// Restores every part from `dir`'s kTrainingStateFile and returns the progress. Throws
// InputError naming the file when it is missing, unreadable or made by another model.
TrainingProgress loadTrainingState(const std::string& dir, const TrainingStateParts& parts);

// Whether `dir` holds a kTrainingStateFile, what a resume loads.
bool hasCheckpoint(const std::string& dir);
// The epoch of `dir`'s last checkpoint from kTrainingProgressFile (written just after the
// state, so one behind it after a crash between the two); -1 when there is none.
int checkpointEpoch(const std::string& dir);

}  // namespace fewdata
