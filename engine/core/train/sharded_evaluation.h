// A split evaluated by the ranks of a data-parallel run together: each evaluates its share of
// the images and the figures are combined into the whole split's, so N ranks take about 1/N
// of one process's evaluation time and every rank knows the figures the best epoch is chosen by.
#pragma once

#include "core/train/objective.h"

namespace fewdata {

class DataParallel;
class ResNet;

// Rank 0's BatchNorm statistics (the buffers of `modules`) are copied to every rank first, so
// the ranks evaluate one network, the one rank 0 saves. Each rank then evaluates its rows
// (DataParallel::rows) with `objective`; the loss and accuracy are weighted by the rows, and
// the predictions, features and logits are put together in order, in every rank. Without
// `parallel`, or with fewer images than ranks, `objective` evaluates the whole split.
// Needs an objective whose evaluation of an image depends on that image alone (the classify
// objectives; the embedding ones compare with training features and train on one rank).
EvalResult evaluateSharded(Objective& objective, ResNet& model,
                           const std::vector<torch::nn::Module*>& modules,
                           const torch::Tensor& images, const torch::Tensor& labels,
                           const EvalData& data, DataParallel* parallel);

}  // namespace fewdata
