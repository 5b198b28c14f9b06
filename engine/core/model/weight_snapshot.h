// Copies of modules' parameters and buffers: the best epoch's weights kept while training goes
// on and restored at the end, and Reptile's phi before each task.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace fewdata {

struct WeightSnapshot {
    std::vector<torch::Tensor> tensors;  // parameters, then buffers, module by module

    static WeightSnapshot of(const std::vector<torch::nn::Module*>& modules);
    void restoreTo(const std::vector<torch::nn::Module*>& modules) const;
    bool empty() const { return tensors.empty(); }
};

}  // namespace fewdata
