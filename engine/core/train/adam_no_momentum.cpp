// Compiled without errno for the square root (engine/core/CMakeLists.txt), so the loop
// vectorises; v is never negative, so no errno would be set anyway.
#include "core/train/adam_no_momentum.h"

#include <cmath>

namespace fewdata {

void adamNoMomentumStep(float* __restrict w, const float* __restrict g, float* __restrict v,
                        int64_t n, int64_t step, const AdamNoMomentum& o) {
    const auto beta2 = static_cast<float>(o.beta2);
    const auto rest = static_cast<float>(1.0 - o.beta2);
    const auto root = static_cast<float>(std::sqrt(1.0 - std::pow(o.beta2, double(step))));
    const auto lr = static_cast<float>(o.lr);
    const auto eps = static_cast<float>(o.eps);
    for (int64_t i = 0; i < n; ++i) {
        const float second = beta2 * v[i] + rest * g[i] * g[i];
        v[i] = second;
        w[i] -= lr * g[i] / (std::sqrt(second) / root + eps);
    }
}

}  // namespace fewdata
