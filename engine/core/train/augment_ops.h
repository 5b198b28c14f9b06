// The single image ops the augmentation policies draw from, on whole uint8 [N, C, H, W]
// batches with one magnitude per image, defined as torchvision's tensor functions define them
// (transforms/_functional_tensor.py and autoaugment.py's _apply_op): nearest-neighbour
// geometry filled with 0, colour blends truncated to uint8. On grey images Color (saturation)
// leaves the image as it is, as torchvision's adjust_saturation does for one channel.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace fewdata {

// In torchvision's order of the RandAugment and TrivialAugmentWide op set; Invert is
// AutoAugment's only.
enum class AugmentOp {
    Identity,
    ShearX,
    ShearY,
    TranslateX,
    TranslateY,
    Rotate,
    Brightness,
    Color,
    Contrast,
    Sharpness,
    Posterize,
    Solarize,
    AutoContrast,
    Equalize,
    Invert,
};
constexpr int kAugmentOpCount = 15;

const std::vector<std::string>& augmentOpNames();  // indexed by AugmentOp
std::string augmentOpName(AugmentOp op);
// InputError naming `name` and the known ops when it is none of them.
AugmentOp augmentOpNamed(const std::string& name);

// `op` on every image of `uint8Batch`, image i at `magnitudes[i]` (double [N], any device) in
// the op's own unit: the shear factor (tan of the angle), pixels of translation (truncated to
// an integer), degrees counter-clockwise, the blend factor minus 1 (Brightness, Color,
// Contrast, Sharpness), bits kept (Posterize), the threshold (Solarize); ignored otherwise.
torch::Tensor applyAugmentOp(const torch::Tensor& uint8Batch, AugmentOp op,
                             const torch::Tensor& magnitudes);

// Image i with rows [top, top + height) and columns [left, left + width) set to 0, where
// `boxes` (int64 [N, 4], CPU) holds top, left, height, width; a height of 0 leaves it as is.
torch::Tensor eraseBoxes(const torch::Tensor& uint8Batch, const torch::Tensor& boxes);

}  // namespace fewdata
