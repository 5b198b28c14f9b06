#include "tensor_image.h"

namespace fewdata {

QImage toQImage(const torch::Tensor& chw) {
    TORCH_CHECK(chw.dim() == 3 && chw.scalar_type() == torch::kUInt8, "a uint8 [C, H, W] image");
    const int c = int(chw.size(0)), h = int(chw.size(1)), w = int(chw.size(2));
    TORCH_CHECK(c == 1 || c == 3, "a grey or RGB image, not ", c, " channels");
    const auto hwc = chw.to(torch::kCPU).permute({1, 2, 0}).contiguous();
    QImage image(w, h, c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    const uint8_t* src = hwc.data_ptr<uint8_t>();
    // QImage rows are padded to 4 bytes, the tensor's are not: copy row by row.
    for (int y = 0; y < h; ++y)
        std::memcpy(image.scanLine(y), src + size_t(y) * size_t(w) * size_t(c), size_t(w) * c);
    return image;
}

}  // namespace fewdata
