#include "core/train/weight_average.h"

#include <algorithm>

namespace fewdata {

double emaDecayAt(double decay, int64_t step) {
    return std::min(decay, (1.0 + double(step)) / (10.0 + double(step)));
}

WeightEma::WeightEma(std::vector<torch::nn::Module*> modules, double decay)
    : modules_(std::move(modules)), decay_(decay), average_(WeightSnapshot::of(modules_)) {}

void WeightEma::update(int64_t step) {
    torch::NoGradGuard guard;
    const double d = emaDecayAt(decay_, step);
    size_t i = 0;
    auto blend = [&](const torch::Tensor& live) {
        torch::Tensor& avg = average_.tensors.at(i++);
        if (avg.is_floating_point())
            avg.mul_(d).add_(live.detach(), 1.0 - d);
        else
            avg.copy_(live);
    };
    for (auto* m : modules_) {
        for (const auto& p : m->parameters()) blend(p);
        for (const auto& b : m->buffers()) blend(b);
    }
}

SwappedWeights::SwappedWeights(const std::vector<torch::nn::Module*>& modules,
                               const WeightSnapshot& weights)
    : modules_(modules), own_(WeightSnapshot::of(modules)) {
    try {
        weights.restoreTo(modules_);
    } catch (...) {
        own_.restoreTo(modules_);  // no half-swapped modules when a copy fails part-way
        throw;
    }
}

SwappedWeights::~SwappedWeights() {
    try {
        own_.restoreTo(modules_);
    } catch (const std::exception&) {
        // Only a failing device copy gets here; the run fails at its next step on that device,
        // and a destructor must not throw.
    }
}

}  // namespace fewdata
