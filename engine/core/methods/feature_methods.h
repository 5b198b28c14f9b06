// The methods that learn on a baseline's cached features (docs/methods.md): the Siamese
// embedding networks (siamese_features.h), Reptile (reptile.h) and the GCN over the
// image-similarity graph (gnn.h), and what they share.
#pragma once

#include <atomic>

#include "core/config/config.h"
#include "core/methods/gnn.h"
#include "core/methods/reptile.h"
#include "core/methods/siamese_features.h"
#include "core/train/feature_cache.h"
#include "core/train/feature_training.h"
#include "core/train/train_events.h"

namespace fewdata {

// Runs config.method's feature stage (the registry's runner) on `cache`; fills the
// accuracies, steps and figures of `result`. InputError for a method without one.
void runFeatureMethod(const TrainConfig& config, const FeatureCache& cache, const EpochSink& sink,
                      const std::atomic<bool>* cancel, RunResult& result);

// The cache's splits standardised with the training rows' statistics: penultimate ReLU
// features differ in scale by orders of magnitude between dimensions.
struct StandardRows {
    Rows train, val, test;
};
StandardRows standardRows(const FeatureCache& cache);

}  // namespace fewdata
