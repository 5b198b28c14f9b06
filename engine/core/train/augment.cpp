#include "core/train/augment.h"

#include "core/train/augment_policy.h"

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

namespace {

// torchvision's RandomResizedCrop (scale 0.08 to 1, aspect 3/4 to 4/3, ten tries, then the
// whole image), bilinear, per sample.
torch::Tensor randomResizedCrop(const torch::Tensor& batch, int outputSize,
                                const c10::optional<at::Generator>& gen) {
    const int64_t n = batch.size(0), h = batch.size(2), w = batch.size(3);
    auto u = torch::rand({n, 10, 4}, gen, torch::kFloat64);
    auto ua = u.accessor<double, 3>();
    auto out = torch::empty({n, batch.size(1), outputSize, outputSize}, batch.options());
    namespace F = torch::nn::functional;
    const auto opts = F::InterpolateFuncOptions()
                          .size(std::vector<int64_t>{outputSize, outputSize})
                          .mode(torch::kBilinear)
                          .align_corners(false);
    for (int64_t i = 0; i < n; ++i) {
        int64_t top = 0, left = 0, ch = h, cw = w;
        for (int t = 0; t < 10; ++t) {
            const double area = double(h * w) * (0.08 + 0.92 * ua[i][t][0]);
            const double logRatio =
                std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * ua[i][t][1];
            const int64_t tw = std::lround(std::sqrt(area * std::exp(logRatio)));
            const int64_t th = std::lround(std::sqrt(area / std::exp(logRatio)));
            if (tw > 0 && th > 0 && tw <= w && th <= h) {
                cw = tw;
                ch = th;
                top = std::min<int64_t>(h - th, int64_t(ua[i][t][2] * double(h - th + 1)));
                left = std::min<int64_t>(w - tw, int64_t(ua[i][t][3] * double(w - tw + 1)));
                break;
            }
        }
        auto crop =
            batch[i].narrow(1, top, ch).narrow(2, left, cw).unsqueeze(0).to(torch::kFloat32);
        out[i].copy_(F::interpolate(crop, opts).round().clamp(0, 255)[0]);
    }
    return out;
}

// A random outputSize crop: of the zero-padded image (pad-crop) or of the larger cached image.
torch::Tensor randomCrop(const torch::Tensor& batch, const AugmentOptions& o,
                         const c10::optional<at::Generator>& gen) {
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
        auto offsets = torch::stack({torch::randint(maxDy + 1, {n}, gen, torch::kInt64),
                                     torch::randint(maxDx + 1, {n}, gen, torch::kInt64)},
                                    1);
        auto acc = offsets.accessor<int64_t, 2>();
        out = torch::empty({n, x.size(1), o.outputSize, o.outputSize}, x.options());
        for (int64_t i = 0; i < n; ++i)
            out[i].copy_(
                x[i].narrow(1, acc[i][0], o.outputSize).narrow(2, acc[i][1], o.outputSize));
    }
    return out;
}

}  // namespace

torch::Tensor augmentTrainBatch(const torch::Tensor& batch, const AugmentOptions& o,
                                c10::optional<at::Generator> gen) {
    torch::Tensor out = o.mode == "random-resized-crop"
                            ? randomResizedCrop(batch, o.outputSize, gen)
                            : randomCrop(batch, o, gen);
    if (o.flip) {
        const int64_t n = out.size(0);
        auto mask =
            (torch::rand({n}, gen, torch::kFloat32) < 0.5).to(out.device()).view({n, 1, 1, 1});
        out = torch::where(mask, out.flip({3}), out);
    }
    return applyAugmentPolicy(out, o, gen);
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
