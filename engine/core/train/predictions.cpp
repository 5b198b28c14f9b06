#include "core/train/predictions.h"

namespace fewdata {

SplitPredictions splitPredictions(const torch::Tensor& scores, const torch::Tensor& labels,
                                  const torch::Tensor& rows, const std::vector<int64_t>& classes,
                                  bool keepProbabilities) {
    SplitPredictions out;
    const int64_t n = scores.size(0);
    if (n == 0) return out;
    TORCH_CHECK(labels.numel() == n, "predictions: ", n, " score rows for ", labels.numel(),
                " labels");
    torch::NoGradGuard guard;
    const auto p = torch::softmax(scores.to(torch::kCPU, torch::kFloat64), 1);
    const auto y = labels.to(torch::kCPU, torch::kInt64).view({-1, 1});
    const auto top = p.max(1);
    const auto pPredicted = std::get<0>(top).to(torch::kFloat32).contiguous();
    const auto predicted = std::get<1>(top).contiguous();
    const auto pTrue = p.gather(1, y).view(-1).to(torch::kFloat32).contiguous();
    const auto r = rows.defined() ? rows.to(torch::kCPU, torch::kInt64).contiguous()
                                  : torch::arange(n, torch::kInt64);
    auto column = [&](int64_t c) { return classes.empty() ? c : classes.at(size_t(c)); };
    const auto* yp = y.data_ptr<int64_t>();
    const auto* pp = predicted.data_ptr<int64_t>();
    out.rows.assign(r.data_ptr<int64_t>(), r.data_ptr<int64_t>() + n);
    out.pPredicted.assign(pPredicted.data_ptr<float>(), pPredicted.data_ptr<float>() + n);
    out.pTrue.assign(pTrue.data_ptr<float>(), pTrue.data_ptr<float>() + n);
    bool allClasses = classes.empty() || int64_t(classes.size()) == p.size(1);
    for (size_t c = 0; allClasses && c < classes.size(); ++c) allClasses = classes[c] == int64_t(c);
    if (keepProbabilities && allClasses) {
        const auto all = p.to(torch::kFloat32).contiguous();
        out.columns = all.size(1);
        out.probabilities.assign(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
    }
    out.truth.reserve(size_t(n));
    out.predicted.reserve(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
        out.truth.push_back(column(yp[i]));
        out.predicted.push_back(column(pp[i]));
    }
    return out;
}

Predictions cachePredictions(const FeatureCache& cache) {
    return {splitPredictions(cache.train.logits, cache.train.y),
            splitPredictions(cache.val.logits, cache.val.y),
            splitPredictions(cache.test.logits, cache.test.y, {}, {}, true)};
}

}  // namespace fewdata
