#include "core/data/dataset_source.h"

namespace fewdata {

torch::Tensor conformImages(const torch::Tensor& images, const ImageGeometry& g) {
    TORCH_CHECK(images.dim() == 4 && images.scalar_type() == torch::kUInt8,
                "conformImages expects uint8 [N, C, H, W]");
    torch::Tensor x = images;
    const int64_t c = x.size(1);
    if (c != g.channels) {
        if (c == 1 && g.channels == 3) {
            x = x.expand({-1, 3, -1, -1});
        } else if (c >= 3 && g.channels == 1) {
            auto rgb = x.narrow(1, 0, 3).to(torch::kFloat32);
            auto w = torch::tensor({0.299f, 0.587f, 0.114f}).view({1, 3, 1, 1});
            x = (rgb * w).sum(1, true).round().clamp(0, 255).to(torch::kUInt8);
        } else if (c == 4 && g.channels == 3) {
            x = x.narrow(1, 0, 3);
        } else {
            TORCH_CHECK(false, "cannot convert ", c, " channels to ", g.channels);
        }
    }
    if (x.size(2) != g.height || x.size(3) != g.width) {
        const bool down = x.size(2) >= g.height && x.size(3) >= g.width;
        auto f = x.to(torch::kFloat32);
        namespace F = torch::nn::functional;
        auto opts = F::InterpolateFuncOptions().size(std::vector<int64_t>{g.height, g.width});
        if (down)
            opts.mode(torch::kArea);
        else
            opts.mode(torch::kBilinear).align_corners(false);
        x = F::interpolate(f, opts).round().clamp(0, 255).to(torch::kUInt8);
    }
    return x.contiguous();
}

}  // namespace fewdata
