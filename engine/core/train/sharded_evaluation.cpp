#include "core/train/sharded_evaluation.h"

#include <cmath>
#include <stdexcept>

#include "core/model/resnet.h"
#include "core/train/data_parallel.h"

namespace fewdata {

EvalResult evaluateSharded(Objective& objective, ResNet& model,
                           const std::vector<torch::nn::Module*>& modules,
                           const torch::Tensor& images, const torch::Tensor& labels,
                           const EvalData& data, DataParallel* parallel) {
    const int64_t n = images.size(0);
    if (!parallel || parallel->worldSize() < 2)
        return objective.evaluate(model, images, labels, data);
    std::vector<torch::Tensor> buffers;
    for (auto* m : modules)
        for (auto& b : m->buffers()) buffers.push_back(b);
    parallel->broadcast(buffers);
    if (n < parallel->worldSize()) return objective.evaluate(model, images, labels, data);

    const auto [begin, end] = parallel->rows(n);
    EvalResult local =
        objective.evaluate(model, images.slice(0, begin, end), labels.slice(0, begin, end), data);
    const double rows = double(end - begin);
    std::vector<torch::Tensor*> parts = {&local.predictions, &local.features, &local.logits};
    std::vector<double> sums = {local.loss * rows, local.accuracy * rows / 100.0};
    for (const torch::Tensor* t : parts) sums.push_back(t->defined() ? 1.0 : 0.0);
    sums = parallel->sum(sums);

    EvalResult r;
    r.loss = sums[0] / double(n);
    // The right answers are whole: rounding undoes the division inside each rank's accuracy.
    r.accuracy = 100.0 * std::round(sums[1]) / double(n);
    std::vector<torch::Tensor*> whole = {&r.predictions, &r.features, &r.logits};
    for (size_t k = 0; k < parts.size(); ++k) {
        const double defined = sums[2 + k];
        if (defined == 0) continue;
        if (defined != parallel->worldSize())
            throw std::logic_error("evaluateSharded: the ranks' evaluations differ in kind");
        *whole[k] = parallel->gatherRows(parts[k]->contiguous(), n);
    }
    return r;
}

}  // namespace fewdata
