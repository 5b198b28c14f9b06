#include "core/train/model_selection.h"

namespace fewdata {

bool BestEpoch::offer(int epoch, double valAccuracy, double valLoss) {
    const bool better =
        valAccuracy > accuracy_ || (valAccuracy == accuracy_ && valLoss < loss_);
    if (better) {
        epoch_ = epoch;
        accuracy_ = valAccuracy;
        loss_ = valLoss;
    }
    return better;
}

void BestEpoch::restore(int epoch, double valAccuracy, double valLoss) {
    epoch_ = epoch;
    accuracy_ = valAccuracy;
    loss_ = valLoss;
}

std::vector<std::vector<int64_t>> confusionMatrix(const torch::Tensor& truth,
                                                  const torch::Tensor& predicted, int64_t classes) {
    std::vector<std::vector<int64_t>> m(static_cast<size_t>(classes),
                                        std::vector<int64_t>(static_cast<size_t>(classes), 0));
    const auto t = truth.to(torch::kCPU, torch::kInt64).contiguous();
    const auto p = predicted.to(torch::kCPU, torch::kInt64).contiguous();
    TORCH_CHECK(t.numel() == p.numel(), "confusion of ", t.numel(), " labels and ", p.numel(),
                " predictions");
    const int64_t* tp = t.data_ptr<int64_t>();
    const int64_t* pp = p.data_ptr<int64_t>();
    for (int64_t i = 0; i < t.numel(); ++i)
        if (tp[i] >= 0 && tp[i] < classes && pp[i] >= 0 && pp[i] < classes)
            ++m[static_cast<size_t>(tp[i])][static_cast<size_t>(pp[i])];
    return m;
}

}  // namespace fewdata
