// Per-sample predictions from a classifier's scores: what predictions.csv, the error gallery
// and the ensemble rows read. Every method's final classifier ends here, so the files agree
// with the accuracy the run reports.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/train/feature_cache.h"
#include "core/train/train_events.h"

namespace fewdata {

// `scores` [N, C] (logits; softmax gives the probabilities), `labels` [N] in score columns.
// `rows`: each score row's position in its split (undefined: 0..N-1). `classes`: the dataset's
// class of each score column (empty: column c is class c). `keepProbabilities`: also every
// class's probability (SplitPredictions::probabilities), where the columns are all classes.
SplitPredictions splitPredictions(const torch::Tensor& scores, const torch::Tensor& labels,
                                  const torch::Tensor& rows = {},
                                  const std::vector<int64_t>& classes = {},
                                  bool keepProbabilities = false);

// The baseline network's own predictions, from the feature cache's logits.
Predictions cachePredictions(const FeatureCache& cache);

}  // namespace fewdata
