#include "core/train/mixing.h"

#include <algorithm>
#include <cmath>

namespace fewdata {

double sampleBeta(double alpha, OptionalGenerator gen) {
    auto a = torch::full({2}, alpha, torch::kFloat64);
    auto g = at::_standard_gamma(a, gen);
    const double x = g[0].item<double>(), y = g[1].item<double>();
    return x + y > 0 ? x / (x + y) : 0.5;
}

Box cutmixBox(int64_t h, int64_t w, double lambda, int64_t cy, int64_t cx) {
    const double ratio = std::sqrt(std::max(0.0, 1.0 - lambda));
    const int64_t cutH = static_cast<int64_t>(static_cast<double>(h) * ratio);
    const int64_t cutW = static_cast<int64_t>(static_cast<double>(w) * ratio);
    Box b;
    b.top = std::clamp<int64_t>(cy - cutH / 2, 0, h);
    b.bottom = std::clamp<int64_t>(cy + cutH / 2, 0, h);
    b.left = std::clamp<int64_t>(cx - cutW / 2, 0, w);
    b.right = std::clamp<int64_t>(cx + cutW / 2, 0, w);
    return b;
}

MixedBatch mixBatch(const torch::Tensor& images, const torch::Tensor& labels, const MixOptions& o,
                    OptionalGenerator gen) {
    MixedBatch m;
    m.images = images;
    m.labelsA = labels;
    m.labelsB = labels;
    if (o.kind == "none" || images.size(0) < 2) return m;
    TORCH_CHECK(o.kind == "mixup" || o.kind == "cutmix", "unknown mixing '", o.kind, "'");
    if (torch::rand({1}, gen, torch::kFloat64).item<double>() >= o.probability) return m;

    const auto perm = torch::randperm(images.size(0), gen, torch::kInt64);
    const double lambda = sampleBeta(o.alpha, gen);
    int64_t cy = 0, cx = 0;
    if (o.kind == "cutmix") {
        cy = torch::randint(images.size(2), {1}, gen, torch::kInt64).item<int64_t>();
        cx = torch::randint(images.size(3), {1}, gen, torch::kInt64).item<int64_t>();
    }
    return mixWith(images, labels, o.kind, perm, lambda, cy, cx);
}

MixedBatch mixWith(const torch::Tensor& images, const torch::Tensor& labels,
                   const std::string& kind, const torch::Tensor& partnerIndex, double lambda,
                   int64_t cy, int64_t cx) {
    TORCH_CHECK(kind == "mixup" || kind == "cutmix", "unknown mixing '", kind, "'");
    MixedBatch m;
    const auto perm = partnerIndex.to(images.device());
    const auto partners = images.index_select(0, perm);
    m.labelsA = labels;
    m.labelsB = labels.index_select(0, perm.to(labels.device()));
    m.mixed = true;
    if (kind == "mixup") {
        m.lambda = lambda;
        m.images = images.mul(lambda).add(partners, 1.0 - lambda);
        return m;
    }
    const int64_t h = images.size(2), w = images.size(3);
    m.box = cutmixBox(h, w, lambda, cy, cx);
    m.images = images.clone();
    if (m.box.area() > 0) {
        using torch::indexing::Slice;
        const auto rows = Slice(m.box.top, m.box.bottom);
        const auto cols = Slice(m.box.left, m.box.right);
        m.images.index_put_({Slice(), Slice(), rows, cols},
                            partners.index({Slice(), Slice(), rows, cols}));
    }
    // The box was clipped at the border: the label follows the pixels actually pasted.
    m.lambda = 1.0 - static_cast<double>(m.box.area()) / static_cast<double>(h * w);
    return m;
}

torch::Tensor mixedCrossEntropy(const torch::Tensor& logits, const MixedBatch& b,
                                double labelSmoothing) {
    namespace F = torch::nn::functional;
    const auto opts = F::CrossEntropyFuncOptions().label_smoothing(labelSmoothing);
    auto lossA = F::cross_entropy(logits, b.labelsA, opts);
    if (!b.mixed) return lossA;
    return lossA * b.lambda + F::cross_entropy(logits, b.labelsB, opts) * (1.0 - b.lambda);
}

torch::Tensor softTargets(const MixedBatch& b, int64_t numClasses) {
    namespace F = torch::nn::functional;
    auto a = F::one_hot(b.labelsA, numClasses).to(torch::kFloat32);
    if (!b.mixed) return a;
    return a * b.lambda + F::one_hot(b.labelsB, numClasses).to(torch::kFloat32) * (1.0 - b.lambda);
}

}  // namespace fewdata
