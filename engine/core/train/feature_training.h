// Training small networks on cached features (the second stage of the two-stage methods):
// a classifier fitted with the baseline's optimiser settings, best validation epoch kept.
#pragma once

#include <atomic>
#include <functional>

#include "core/config/config.h"
#include "core/train/feature_cache.h"
#include "core/train/train_events.h"

namespace fewdata {

// Per-dimension standardisation fitted on the training rows.
struct Standardizer {
    torch::Tensor mean, std;
    static Standardizer fit(const torch::Tensor& x);
    torch::Tensor apply(const torch::Tensor& x) const;
};

struct FeatureTrainOptions {
    int epochs = 100;
    int batchSize = 32;
    double lr = 0.05, momentum = 0.9, weightDecay = 5e-4;
    bool nesterov = true;
    // The learning rate over `epochs`, as schedule.h reads the config's keys of these names.
    std::string schedule = "cosine";
    int stepEpochs = 30;
    double stepGamma = 0.1;
    double warmupEpochs = 0;
    std::string stage = "classifier";
    int epochOffset = 0;  // added to the epoch numbers sent to the sink
    // SGD with the config's settings and the run's schedule stretched over `epochs`
    // (stageSchedule): a fit of 100 epochs after an image stage of 60 must not fall three times
    // where the run fell once.
    static FeatureTrainOptions fromConfig(const TrainConfig& c, int epochs, std::string stage,
                                          int epochOffset);
};

struct FeatureFit {
    double valAccuracy = 0, testAccuracy = 0;          // with the best validation epoch
    double valAccuracyLast = 0, testAccuracyLast = 0;  // with the last epoch
    int bestEpoch = 0;
    int64_t steps = 0;
    // Test rows by true (rows) and predicted class with the best validation epoch's weights.
    std::vector<std::vector<int64_t>> testConfusion;
    Predictions predictions;  // every row of the three splits, with the same weights
};

struct Rows {
    torch::Tensor x, y;
};

double accuracyOf(torch::nn::Sequential& model, const Rows& rows);

// A final classifier's figures as the run's own; its epochs follow `epochOffset` earlier ones.
void takeFit(const FeatureFit& fit, int epochOffset, RunResult& result);

// Cross-entropy training of `model` on `train`; `model` ends with the best validation epoch's
// weights. Throws TrainingDiverged or Cancelled.
FeatureFit fitClassifier(torch::nn::Sequential& model, const Rows& train, const Rows& val,
                         const Rows& test, const FeatureTrainOptions& o, const EpochSink& sink,
                         const std::atomic<bool>* cancel);

}  // namespace fewdata
