#include "core/augment.h"

namespace fewdata {

Normalizer Normalizer::fromImages(const torch::Tensor& images) {
    TORCH_CHECK(images.dim() == 4 && images.size(0) > 0, "normaliser needs a non-empty [N,C,H,W]");
    auto x = images.to(torch::kFloat64).div(255.0).transpose(0, 1).flatten(1);
    auto std = x.std(1).clamp_min(1e-3);
    return {x.mean(1).to(torch::kFloat32), std.to(torch::kFloat32)};
}

Normalizer Normalizer::imagenet() {
    return {torch::tensor({0.485f, 0.456f, 0.406f}), torch::tensor({0.229f, 0.224f, 0.225f})};
}

torch::Tensor Normalizer::apply(const torch::Tensor& batch) const {
    const auto dev = batch.device();
    // One multiply-add: x * (1 / (255 std)) - mean / std.
    auto scale = (1.0 / (255.0 * std)).to(dev).view({1, -1, 1, 1});
    auto shift = (-mean / std).to(dev).view({1, -1, 1, 1});
    return torch::addcmul(shift, batch.to(torch::kFloat32), scale);
}

torch::Tensor augmentTrainBatch(const torch::Tensor& batch, const AugmentOptions& o) {
    const int64_t n = batch.size(0), h = batch.size(2), w = batch.size(3);
    torch::Tensor x = batch;
    int64_t maxDy = 0, maxDx = 0;
    if (o.mode == "pad-crop" && o.pad > 0) {
        x = torch::constant_pad_nd(batch, {o.pad, o.pad, o.pad, o.pad}, 0);
        maxDy = h + 2 * o.pad - o.outputSize;
        maxDx = w + 2 * o.pad - o.outputSize;
    } else if (o.mode == "resize-crop") {
        maxDy = h - o.outputSize;
        maxDx = w - o.outputSize;
    }
    TORCH_CHECK(maxDy >= 0 && maxDx >= 0, "crop ", o.outputSize, " larger than image ", h, "x", w);
    torch::Tensor out = x;
    if (maxDy > 0 || maxDx > 0 || x.size(2) != o.outputSize || x.size(3) != o.outputSize) {
        auto offsets = torch::stack({torch::randint(maxDy + 1, {n}, torch::kInt64),
                                     torch::randint(maxDx + 1, {n}, torch::kInt64)},
                                    1);
        auto acc = offsets.accessor<int64_t, 2>();
        out = torch::empty({n, x.size(1), o.outputSize, o.outputSize}, x.options());
        for (int64_t i = 0; i < n; ++i)
            out[i].copy_(x[i].narrow(1, acc[i][0], o.outputSize).narrow(2, acc[i][1], o.outputSize));
    }
    if (o.flip) {
        auto mask = (torch::rand({n}) < 0.5).to(out.device()).view({n, 1, 1, 1});
        out = torch::where(mask, out.flip({3}), out);
    }
    return out;
}

torch::Tensor evalView(const torch::Tensor& batch, const AugmentOptions& o) {
    if (batch.size(2) == o.outputSize && batch.size(3) == o.outputSize) return batch;
    TORCH_CHECK(batch.size(2) >= o.outputSize && batch.size(3) >= o.outputSize,
                "evaluation crop larger than the cached image");
    const int64_t top = (batch.size(2) - o.outputSize) / 2;
    const int64_t left = (batch.size(3) - o.outputSize) / 2;
    return batch.narrow(2, top, o.outputSize).narrow(3, left, o.outputSize);
}

}  // namespace fewdata
