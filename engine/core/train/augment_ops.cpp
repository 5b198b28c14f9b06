#include "core/train/augment_ops.h"

#include <cmath>

#include "core/base/errors.h"

namespace fewdata {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Nearest-neighbour resampling through per-image inverse affine maps (double [N, 6], CPU),
// which take an output pixel's centre to its source, both relative to the image centre, as
// torchvision's affine grid does. Sources outside the image are 0.
torch::Tensor affineNearest(const torch::Tensor& x, const torch::Tensor& inverse) {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const auto opts = torch::TensorOptions().dtype(torch::kFloat64).device(x.device());
    const auto cols = torch::arange(w, opts).add_(0.5 - 0.5 * double(w)).view({1, 1, w});
    const auto rows = torch::arange(h, opts).add_(0.5 - 0.5 * double(h)).view({1, h, 1});
    const auto m = inverse.to(x.device()).view({n, 6, 1, 1});
    auto at = [&](int k) { return m.select(1, k); };
    auto srcCol = (at(0) * cols + at(1) * rows + at(2) + (0.5 * double(w) - 0.5)).round();
    auto srcRow = (at(3) * cols + at(4) * rows + at(5) + (0.5 * double(h) - 0.5)).round();
    const auto inside = srcCol.ge(0) & srcCol.lt(double(w)) & srcRow.ge(0) & srcRow.lt(double(h));
    const auto index = (srcRow.clamp(0, double(h - 1)) * double(w) + srcCol.clamp(0, double(w - 1)))
                           .to(torch::kInt64)
                           .view({n, 1, h * w})
                           .expand({n, c, h * w});
    const auto moved = x.reshape({n, c, h * w}).gather(2, index).view({n, c, h, w});
    return torch::where(inside.unsqueeze(1), moved, torch::zeros_like(moved));
}

// torchvision's _blend: ratio * a + (1 - ratio) * b, clamped, truncated to uint8.
torch::Tensor blend(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& ratio) {
    const auto r = ratio.view({-1, 1, 1, 1});
    return (r * a.to(torch::kFloat32) + (1.0 - r) * b.to(torch::kFloat32))
        .clamp(0, 255)
        .to(torch::kUInt8);
}

// rgb_to_grayscale for uint8: the ITU-R 601 weights, truncated; [N, 1, H, W].
torch::Tensor greyOf(const torch::Tensor& x) {
    const auto f = x.to(torch::kFloat32);
    return (0.2989 * f.select(1, 0) + 0.587 * f.select(1, 1) + 0.114 * f.select(1, 2))
        .to(torch::kUInt8)
        .unsqueeze(1);
}

// The 3x3 smoothing filter (centre 5, the rest 1, over 13) inside a one-pixel border, which
// keeps the original pixels.
torch::Tensor smoothed(const torch::Tensor& x) {
    const int64_t c = x.size(1);
    auto kernel = torch::ones({3, 3}, torch::TensorOptions().dtype(torch::kFloat32).device(x.device()));
    kernel[1][1] = 5.0;
    kernel = (kernel / 13.0).expand({c, 1, 3, 3});
    const std::vector<int64_t> ones{1, 1}, zeros{0, 0};
    const auto inner = torch::conv2d(x.to(torch::kFloat32), kernel, /*bias=*/torch::Tensor(),
                                     /*stride=*/ones, /*padding=*/zeros, /*dilation=*/ones,
                                     /*groups=*/c)
                           .round()
                           .to(torch::kUInt8);
    auto out = x.clone();
    out.narrow(2, 1, x.size(2) - 2).narrow(3, 1, x.size(3) - 2).copy_(inner);
    return out;
}

// Per image and channel, the lowest value to 0 and the highest to 255; flat channels unchanged.
torch::Tensor autoContrast(const torch::Tensor& x) {
    const auto f = x.to(torch::kFloat32);
    auto lo = f.amin({2, 3}, true);
    const auto hi = f.amax({2, 3}, true);
    const auto flat = hi.eq(lo);
    const auto scale = torch::where(flat, torch::ones_like(lo), 255.0 / (hi - lo));
    lo = torch::where(flat, torch::zeros_like(lo), lo);
    return ((f - lo) * scale).clamp(0, 255).to(torch::kUInt8);
}

// Per image and channel, torchvision's equalize: a look-up table from the cumulative histogram
// in steps of (pixels outside the brightest occupied bin) / 255; step 0 leaves the channel.
torch::Tensor equalize(const torch::Tensor& x) {
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const auto values = x.reshape({n * c, h * w}).to(torch::kInt64);
    const auto hist = torch::zeros({n * c, 256}, values.options())
                          .scatter_add_(1, values, torch::ones_like(values));
    const auto brightest = hist.gather(1, values.amax(1, true));
    const auto step = (h * w - brightest).div(255, "floor");
    const auto safeStep = step.clamp_min(1);
    auto lut = (hist.cumsum(1) + step.div(2, "floor")).div(safeStep, "floor");
    lut = torch::cat({torch::zeros_like(step), lut.narrow(1, 0, 255)}, 1).clamp(0, 255);
    const auto mapped = lut.gather(1, values);
    return torch::where(step.gt(0), mapped, values).to(torch::kUInt8).view({n, c, h, w});
}

torch::Tensor affineOp(const torch::Tensor& x, AugmentOp op, const torch::Tensor& magnitudes) {
    const int64_t n = x.size(0);
    const double h = double(x.size(2)), w = double(x.size(3));
    const auto mag = magnitudes.to(torch::kCPU, torch::kFloat64).contiguous();
    auto inverse = torch::zeros({n, 6}, torch::kFloat64);
    auto m = inverse.accessor<double, 2>();
    const double* v = mag.data_ptr<double>();
    for (int64_t i = 0; i < n; ++i) {
        double a = 1, b = 0, tx = 0, cc = 0, d = 1, ty = 0;
        switch (op) {
            case AugmentOp::ShearX:  // about the top-left corner, as torchvision's _apply_op
                b = v[i];
                tx = v[i] * 0.5 * h;
                break;
            case AugmentOp::ShearY:
                cc = v[i];
                ty = v[i] * 0.5 * w;
                break;
            case AugmentOp::TranslateX:
                tx = -std::trunc(v[i]);
                break;
            case AugmentOp::TranslateY:
                ty = -std::trunc(v[i]);
                break;
            default: {  // Rotate: counter-clockwise on screen, about the centre
                const double rad = v[i] * kPi / 180.0;
                a = d = std::cos(rad);
                b = -std::sin(rad);
                cc = std::sin(rad);
            }
        }
        m[i][0] = a, m[i][1] = b, m[i][2] = tx, m[i][3] = cc, m[i][4] = d, m[i][5] = ty;
    }
    return affineNearest(x, inverse);
}

}  // namespace

const std::vector<std::string>& augmentOpNames() {
    static const std::vector<std::string> names = {
        "Identity",   "ShearX",   "ShearY",    "TranslateX", "TranslateY",
        "Rotate",     "Brightness", "Color",   "Contrast",   "Sharpness",
        "Posterize",  "Solarize", "AutoContrast", "Equalize", "Invert"};
    return names;
}

std::string augmentOpName(AugmentOp op) {
    return augmentOpNames().at(size_t(op));
}

AugmentOp augmentOpNamed(const std::string& name) {
    const auto& names = augmentOpNames();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return AugmentOp(i);
    std::string list;
    for (const auto& known : names) list += (list.empty() ? "" : ", ") + known;
    throw InputError("unknown augmentation op '" + name + "'; known: " + list);
}

torch::Tensor applyAugmentOp(const torch::Tensor& x, AugmentOp op, const torch::Tensor& magnitudes) {
    TORCH_CHECK(x.dim() == 4 && x.scalar_type() == torch::kUInt8, "ops take uint8 [N,C,H,W]");
    TORCH_CHECK(magnitudes.numel() == x.size(0), "one magnitude per image");
    if (x.size(0) == 0) return x;
    const auto factor = [&] {
        return (magnitudes.to(x.device(), torch::kFloat32) + 1.0).view({-1, 1, 1, 1});
    };
    switch (op) {
        case AugmentOp::Identity:
            return x;
        case AugmentOp::ShearX:
        case AugmentOp::ShearY:
        case AugmentOp::TranslateX:
        case AugmentOp::TranslateY:
        case AugmentOp::Rotate:
            return affineOp(x, op, magnitudes);
        case AugmentOp::Brightness:
            return blend(x, torch::zeros_like(x), factor());
        case AugmentOp::Color:
            return x.size(1) == 3 ? blend(x, greyOf(x), factor()) : x;
        case AugmentOp::Contrast: {
            const auto grey = x.size(1) == 3 ? greyOf(x) : x;
            return blend(x, grey.to(torch::kFloat32).mean({1, 2, 3}, true), factor());
        }
        case AugmentOp::Sharpness:
            if (x.size(2) <= 2 || x.size(3) <= 2) return x;
            return blend(x, smoothed(x), factor());
        case AugmentOp::Posterize: {
            // Keeping b bits masks with 256 - 2^(8 - b); 0 bits leaves black.
            const auto bits = magnitudes.to(x.device(), torch::kInt64).clamp(0, 8);
            const auto mask = (256 - torch::pow(2, 8 - bits)).to(torch::kUInt8);
            return x.bitwise_and(mask.view({-1, 1, 1, 1}));
        }
        case AugmentOp::Solarize: {
            const auto threshold = magnitudes.to(x.device(), torch::kFloat32).view({-1, 1, 1, 1});
            return torch::where(x.to(torch::kFloat32).ge(threshold), 255 - x, x);
        }
        case AugmentOp::AutoContrast:
            return autoContrast(x);
        case AugmentOp::Equalize:
            return equalize(x);
        case AugmentOp::Invert:
            return 255 - x;
    }
    return x;
}

torch::Tensor eraseBoxes(const torch::Tensor& x, const torch::Tensor& boxes) {
    const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
    const auto b = boxes.to(torch::kCPU, torch::kInt64).contiguous();
    auto keep = torch::ones({n, 1, h, w}, torch::kBool);
    const auto acc = b.accessor<int64_t, 2>();
    bool any = false;
    for (int64_t i = 0; i < n; ++i) {
        if (acc[i][2] <= 0 || acc[i][3] <= 0) continue;
        keep[i].narrow(1, acc[i][0], acc[i][2]).narrow(2, acc[i][1], acc[i][3]).fill_(false);
        any = true;
    }
    if (!any) return x;
    return x * keep.to(x.device()).to(torch::kUInt8);
}

}  // namespace fewdata
