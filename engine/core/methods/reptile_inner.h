// Reptile's inner loops on cached features (reptile.cpp runs the meta-training around them).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace fewdata {

// One meta-iteration's inner loops: each task trains a copy of phi (the MLP's hidden weight,
// hidden bias, output weight, output bias, in torch::nn::Linear's layout) for `steps` Adam
// steps (beta1 = 0). Both functions give the same adapted weights up to rounding; the batched
// one runs all tasks as one computation (the run uses it), the other one task at a time (the
// reference it is tested and benchmarked against).
struct ReptileTask {
    torch::Tensor x;       // n x d features; every task of a meta-batch has the same n
    torch::Tensor labels;  // n, int64
};
struct ReptileInner {
    int steps = 8;
    double lr = 1e-3;
};
struct ReptileAdaptation {
    std::vector<std::vector<torch::Tensor>> weights;  // per task, phi's tensors adapted
    double lastLossSum = 0;                           // sum over tasks of the last step's loss
};
ReptileAdaptation adaptTasksOneByOne(const std::vector<torch::Tensor>& phi,
                                     const std::vector<ReptileTask>& tasks,
                                     const ReptileInner& inner);
ReptileAdaptation adaptTasksBatched(const std::vector<torch::Tensor>& phi,
                                    const std::vector<ReptileTask>& tasks,
                                    const ReptileInner& inner);

}  // namespace fewdata
