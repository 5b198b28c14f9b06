// Adam with beta1 = 0, the optimiser of Reptile's inner loops, as one pass over contiguous
// float arrays: torch::optim::Adam takes eight passes over the weights for the same update,
// which on Reptile's 512 x 512 hidden layers cost more than the matrix products.
#pragma once

#include <cstdint>

namespace fewdata {

struct AdamNoMomentum {
    double lr = 1e-3;
    double beta2 = 0.999;
    double eps = 1e-8;
};

// Step number `step` (from 1) on n weights w with gradient g and second moment v:
// v <- beta2 v + (1 - beta2) g^2, w <- w - lr g / (sqrt(v) / sqrt(1 - beta2^step) + eps), the
// update torch::optim::Adam makes with betas (0, beta2).
void adamNoMomentumStep(float* w, const float* g, float* v, int64_t n, int64_t step,
                        const AdamNoMomentum& options);

}  // namespace fewdata
