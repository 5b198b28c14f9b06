#include "core/model/weight_snapshot.h"

namespace fewdata {

WeightSnapshot WeightSnapshot::of(const std::vector<torch::nn::Module*>& modules) {
    WeightSnapshot s;
    torch::NoGradGuard guard;
    for (auto* m : modules) {
        for (const auto& p : m->parameters()) s.tensors.push_back(p.detach().clone());
        for (const auto& b : m->buffers()) s.tensors.push_back(b.detach().clone());
    }
    return s;
}

void WeightSnapshot::restoreTo(const std::vector<torch::nn::Module*>& modules) const {
    torch::NoGradGuard guard;
    size_t i = 0;
    for (auto* m : modules) {
        for (auto& p : m->parameters()) p.copy_(tensors.at(i++));
        for (auto& b : m->buffers()) b.copy_(tensors.at(i++));
    }
}

}  // namespace fewdata
