// Augmentation and normalisation on whole uint8 batches, on whatever device the batch is on,
// so the training device is never starved by per-image CPU work.
#pragma once

#include <torch/torch.h>

#include <string>

namespace fewdata {

struct AugmentOptions {
    std::string mode = "pad-crop";  // pad-crop | resize-crop | random-resized-crop | none
    int pad = 4;                    // pad-crop: zero padding before the random crop
    bool flip = true;               // random horizontal flip, p = 0.5
    int outputSize = 28;            // side of the square the network sees
    // After the crop and flip, per image (augment_policy.h): none | randaugment |
    // trivialaugment | autoaugment, then random erasing with probability `erasing`.
    std::string policy = "none";
    int policyOps = 2;        // randaugment: N
    int policyMagnitude = 9;  // randaugment: M, a bin of 0..30
    double erasing = 0.0;
};

// Per-channel statistics of the training split, applied as (x / 255 - mean) / std.
struct Normalizer {
    torch::Tensor mean;  // float [C]
    torch::Tensor std;   // float [C]
    static Normalizer fromImages(const torch::Tensor& uint8Images);
    static Normalizer imagenet();
    torch::Tensor apply(const torch::Tensor& uint8Batch) const;  // float [N, C, H, W]
};

// Training view: a random crop (after zero padding, from the larger cached image, or
// torchvision's RandomResizedCrop) and a horizontal flip.
// Draws from `generator` (LibTorch's global one when none), always on the CPU.
torch::Tensor augmentTrainBatch(const torch::Tensor& uint8Batch, const AugmentOptions& options,
                                c10::optional<at::Generator> generator = c10::nullopt);
// Evaluation view: the centre crop for resize-crop, the image itself otherwise.
torch::Tensor evalView(const torch::Tensor& uint8Batch, const AugmentOptions& options);

}  // namespace fewdata
