#include "core/train/batch_norm_momentum.h"

#include <algorithm>

namespace fewdata {

double batchNormMomentumAt(double m, int64_t step) {
    return std::max(m, 1.0 / (double(step) + 1.0));
}

BatchNormMomentum::BatchNormMomentum(const std::vector<torch::nn::Module*>& modules,
                                     double momentum, bool cumulativeStart)
    : momentum_(momentum), cumulativeStart_(cumulativeStart) {
    for (auto* top : modules)
        for (const auto& m : top->modules(/*include_self=*/true)) {
            if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get()))
                layers2d_.push_back(bn);
            else if (auto* bn1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(m.get()))
                layers1d_.push_back(bn1);
        }
}

void BatchNormMomentum::beforeStep(int64_t step) {
    const double m = cumulativeStart_ ? batchNormMomentumAt(momentum_, step) : momentum_;
    for (auto* bn : layers2d_) bn->options.momentum(m);
    for (auto* bn : layers1d_) bn->options.momentum(m);
}

}  // namespace fewdata
