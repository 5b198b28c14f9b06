// The augmentation policies as torchvision defines them (transforms/autoaugment.py):
// RandAugment (N ops drawn uniformly at the fixed magnitude bin M of 31), TrivialAugmentWide
// (one op at a uniformly drawn bin of 31, wider ranges) and AutoAugment's ImageNet policy (one
// of 25 sub-policies, each two ops with a probability and a bin of 10), signed magnitudes
// negated with probability 1/2; then torchvision's RandomErasing. Every draw is a function of
// the generator passed in, taken on the CPU in a fixed amount per image, so a batch is a
// function of the seed and its images whatever device it is formed on.
#pragma once

#include <torch/torch.h>

#include <array>
#include <string>
#include <vector>

#include "core/train/augment.h"
#include "core/train/augment_ops.h"

namespace fewdata {

constexpr int kPolicyMagnitudeBins = 31;   // RandAugment and TrivialAugmentWide
constexpr int kAutoAugmentMagnitudeBins = 10;

// InputError naming `policy` when it is not none, randaugment, trivialaugment or autoaugment.
void checkAugmentPolicy(const std::string& policy);

// The ops `policy` draws from: RandAugment's and TrivialAugmentWide's fourteen (Identity to
// Equalize), or those AutoAugment's sub-policies name.
std::vector<AugmentOp> policyOps(const std::string& policy);
// Whether a drawn magnitude of `op` is negated half of the time.
bool isSignedOp(AugmentOp op);
// The unsigned magnitude of `op` at `bin` of `bins` for an image of height x width, from
// `policy`'s space: trivialaugment's wide ranges, else RandAugment's (which AutoAugment shares).
// InputError naming the bin when it is outside [0, bins).
double policyMagnitude(const std::string& policy, AugmentOp op, int bin, int bins,
                       int64_t height, int64_t width);

struct SubPolicyStep {
    AugmentOp op;
    double probability;
    int bin;  // of kAutoAugmentMagnitudeBins; -1 for ops without a magnitude
};
// AutoAugment's 25 ImageNet sub-policies.
const std::vector<std::array<SubPolicyStep, 2>>& autoAugmentImageNetPolicy();

// One op an image undergoes, at its signed magnitude in applyAugmentOp's units.
struct PolicyStep {
    AugmentOp op = AugmentOp::Identity;
    double magnitude = 0;
};
// Each image's steps, as many for every image (an AutoAugment op not drawn is Identity).
using PolicyPlan = std::vector<std::vector<PolicyStep>>;

PolicyPlan samplePolicy(const AugmentOptions& options, int64_t images, int64_t height,
                        int64_t width, const c10::optional<at::Generator>& generator);
// The plan's steps in order, images grouped by op within a step.
torch::Tensor applyPolicyPlan(const torch::Tensor& uint8Batch, const PolicyPlan& plan);

// torchvision's RandomErasing boxes (scale 0.02 to 0.33 of the area, aspect 0.3 to 3.3 drawn
// log-uniformly, ten tries): int64 [N, 4] of top, left, height, width; height 0 where an image
// is not erased (not drawn under `probability`, or no try fitted).
torch::Tensor sampleErasingBoxes(int64_t images, int64_t height, int64_t width,
                                 double probability,
                                 const c10::optional<at::Generator>& generator);

// The policy, then random erasing, of options.policy and options.erasing. Draws nothing when
// the policy is none and erasing 0, so batches without them are as before.
torch::Tensor applyAugmentPolicy(const torch::Tensor& uint8Batch, const AugmentOptions& options,
                                 const c10::optional<at::Generator>& generator);

}  // namespace fewdata
