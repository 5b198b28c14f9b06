// BatchNorm's running statistics from the first step: step t (from 0) trains with momentum
// max(m, 1 / (t + 1)), a cumulative average until it reaches m. With PyTorch's fixed 0.1 from
// the start, the five steps of a quick look (K = 20, batch 32) leave 59 % of each running mean
// and variance at its initial 0 and 1, and evaluation normalises with statistics the network
// never had.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace fewdata {

// The momentum of step `step` (0-based) for a configured momentum `m`.
double batchNormMomentumAt(double m, int64_t step);

class BatchNormMomentum {
public:
    // Every BatchNorm layer inside `modules`; without `cumulativeStart`, `momentum` throughout.
    BatchNormMomentum(const std::vector<torch::nn::Module*>& modules, double momentum,
                      bool cumulativeStart = true);
    // Sets the layers' momentum for optimiser step `step`, before its forward passes.
    void beforeStep(int64_t step);
    size_t layers() const { return layers2d_.size() + layers1d_.size(); }

private:
    double momentum_;
    bool cumulativeStart_;
    std::vector<torch::nn::BatchNorm2dImpl*> layers2d_;
    std::vector<torch::nn::BatchNorm1dImpl*> layers1d_;
};

}  // namespace fewdata
