// Reptile (Nichol et al. 2018) on a baseline's cached features; see reptile.cpp.
#pragma once

#include <atomic>
#include <vector>

#include "core/config/config.h"
#include "core/train/train_events.h"

namespace at {
class Tensor;
}

namespace fewdata {

struct FeatureCache;

void runReptile(const TrainConfig& config, const FeatureCache& cache, const EpochSink& sink,
                const std::atomic<bool>* cancel, RunResult& result);

// Reptile reports its meta-training as about twenty pseudo-epochs of iterations each
// (reptile_method.cpp: the catalogue plans with them, without LibTorch).
int reptileReportInterval(int iterations);
int reptileReports(int iterations);

// Reptile's meta update: phi + epsilon (mean over tasks of phi'_t - phi).
std::vector<at::Tensor> reptileMetaUpdate(const std::vector<at::Tensor>& phi,
                                          const std::vector<std::vector<at::Tensor>>& adapted,
                                          double epsilon);

}  // namespace fewdata
