// MixUp (Zhang et al. 2017) and CutMix (Yun et al. 2019) on whole batches, as docs/methods.md fixes
// them. The trainer and the GUI's augmentation preview call the same functions, so what the
// preview shows is what the model sees.
#pragma once

#include <torch/torch.h>

#include <string>

namespace fewdata {

struct MixOptions {
    std::string kind = "none";  // none | mixup | cutmix
    double alpha = 1.0;         // lambda ~ Beta(alpha, alpha)
    double probability = 1.0;   // share of batches that are mixed
};

// A pasted rectangle, rows [top, bottom) and columns [left, right).
struct Box {
    int64_t top = 0, left = 0, bottom = 0, right = 0;
    int64_t area() const { return (bottom - top) * (right - left); }
};

struct MixedBatch {
    torch::Tensor images;   // the mixed batch
    torch::Tensor labelsA;  // each image's own label
    torch::Tensor labelsB;  // its partner's label
    double lambda = 1.0;    // weight of labelsA (CutMix: corrected by the clipped box area)
    bool mixed = false;
    Box box;  // CutMix only
};

// The random draws take `generator` when given, else LibTorch's global one; always on the CPU.
using OptionalGenerator = c10::optional<at::Generator>;

// Beta(alpha, alpha) from two Gamma draws (seeded runs repeat).
double sampleBeta(double alpha, OptionalGenerator generator = c10::nullopt);

// CutMix's box (clovaai/CutMix-PyTorch): side ratio sqrt(1 - lambda), int() truncation of the
// sides, centre (cy, cx), halves cut with integer division, clipped to the image.
Box cutmixBox(int64_t height, int64_t width, double lambda, int64_t cy, int64_t cx);

// Mixes each image with a partner from a random permutation of the batch.
MixedBatch mixBatch(const torch::Tensor& images, const torch::Tensor& labels, const MixOptions& o,
                    OptionalGenerator generator = c10::nullopt);

// The deterministic half of mixBatch: image i with image partners[i], weight lambda, and for
// CutMix the box centred at (cy, cx). The preview's slider calls it with a chosen lambda.
MixedBatch mixWith(const torch::Tensor& images, const torch::Tensor& labels,
                   const std::string& kind, const torch::Tensor& partners, double lambda,
                   int64_t cy, int64_t cx);

// lambda CE(labelsA) + (1 - lambda) CE(labelsB); plain CE when the batch was not mixed.
torch::Tensor mixedCrossEntropy(const torch::Tensor& logits, const MixedBatch& batch,
                                double labelSmoothing);

// The soft label of sample i: lambda on its class, 1 - lambda on its partner's (the preview's
// bars).
torch::Tensor softTargets(const MixedBatch& batch, int64_t numClasses);

}  // namespace fewdata
