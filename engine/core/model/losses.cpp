#include "core/model/losses.h"

namespace fewdata {

namespace F = torch::nn::functional;

torch::Tensor cosineLoss(const torch::Tensor& outputs, const torch::Tensor& labels) {
    const auto unit = F::normalize(outputs, F::NormalizeFuncOptions().dim(1).eps(1e-12));
    return 1.0 - unit.gather(1, labels.view({-1, 1})).mean();
}

torch::Tensor cosineWithCrossEntropy(const torch::Tensor& outputs, const torch::Tensor& labels,
                                     torch::nn::Sequential& head, double weight) {
    const auto unit = F::normalize(outputs, F::NormalizeFuncOptions().dim(1).eps(1e-12));
    return cosineLoss(outputs, labels) + weight * F::cross_entropy(head->forward(unit), labels);
}

namespace {

// sqrt has an infinite derivative at 0: identical embeddings would give NaN gradients.
torch::Tensor distance(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).pow(2).sum(1).clamp_min(1e-12).sqrt();
}

}  // namespace

torch::Tensor contrastiveLoss(const torch::Tensor& a, const torch::Tensor& b,
                              const torch::Tensor& same, double margin) {
    const auto d = distance(a, b);
    const auto y = same.to(a.scalar_type());
    return (y * d.pow(2) + (1 - y) * (margin - d).clamp_min(0).pow(2)).mean();
}

torch::Tensor tripletLoss(const torch::Tensor& anchor, const torch::Tensor& positive,
                          const torch::Tensor& negative, double margin) {
    return (distance(anchor, positive) - distance(anchor, negative) + margin).clamp_min(0).mean();
}

torch::Tensor supConLoss(const torch::Tensor& z, const torch::Tensor& labels, double tau,
                         double tauBase) {
    const int64_t n = z.size(0);
    auto logits = torch::matmul(z, z.t()) / tau;
    // Subtracting the row maximum changes nothing mathematically and keeps exp() finite.
    logits = logits - std::get<0>(logits.max(1, true)).detach();
    const auto self = torch::eye(n, torch::TensorOptions().dtype(torch::kBool).device(z.device()));
    const auto others = self.logical_not().to(z.scalar_type());
    const auto logDenominator = (logits.exp() * others).sum(1, true).log();
    const auto logProb = logits - logDenominator;
    const auto positives =
        labels.view({-1, 1}).eq(labels.view({1, -1})).logical_and(self.logical_not());
    const auto pos = positives.to(z.scalar_type());
    const auto count = pos.sum(1);
    const auto has = count.gt(0);
    const auto meanLogProbPos = (pos * logProb).sum(1) / count.clamp_min(1);
    const auto perAnchor = -(tau / tauBase) * meanLogProbPos;
    return perAnchor.masked_select(has).mean();
}

}  // namespace fewdata
